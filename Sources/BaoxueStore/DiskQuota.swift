/// A relay's disk budget: what its database files (main file, WAL and shared memory) may take, or on a
/// cluster what its PostgreSQL database may take (`ClusterStore.quota`, read with `pg_database_size`).
///
/// Invariant: an append starts only while the files take less than `bytes`, so they exceed it
/// by at most one group commit. Why not SQLite's `max_page_count`: it counts the main file only
/// (a WAL grew to half again the quota beside it), and a database at its limit could not even be
/// reopened, since opening and WAL recovery may need a page.
public struct DiskQuota: Sendable, Equatable {
    public let bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    /// The WAL is truncated to this after each checkpoint (an eighth of the quota, 64 KiB to 4 MiB),
    /// so most of the budget holds changes, not a WAL's leftovers.
    public var walLimit: Int64 { min(4 << 20, max(64 << 10, bytes / 8)) }

    /// True while `used` bytes leave room for another append.
    public func admits(used: Int64) -> Bool { used < bytes }
}
