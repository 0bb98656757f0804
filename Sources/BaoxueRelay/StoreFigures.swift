import BaoxuePostgres
import BaoxueStore
import Synchronization

/// What a relay's `/health` and `/metrics` report about where its log is stored: counts, size,
/// quota. Counts only, never a name, a child or a payload.
public struct StoreFigures: Sendable {
    public var changes = 0
    public var quarantined = 0
    public var pending = 0
    /// Devices caught signing two changes with one seq.
    public var equivocations = 0
    public var diskBytes: Int64 = 0
    public var quotaBytes: Int64?
    /// True while new changes are refused for want of space (a quota reached).
    public var overQuota = false
    /// This process's transactions on a shared database that committed, and those PostgreSQL
    /// aborted for a conflict with another process and that ran again (nil on SQLite).
    public var transactions: (committed: Int, reruns: Int)?

    public init() {}
}

/// A store a relay reports on (`RelayReport`): its figures, or an error when it cannot be read.
/// Why a protocol: a relay on SQLite reads them from its `ChangeLog` at each request; a cluster
/// process reads PostgreSQL in the background (`ClusterFigures`), so a scrape never waits on the
/// shared database.
public protocol RelayStoreFigures: Sendable {
    func storeFigures() throws -> StoreFigures
}

extension ChangeLog: RelayStoreFigures {
    public func storeFigures() throws -> StoreFigures {
        var f = StoreFigures()
        f.changes = try count(nil)
        f.quarantined = try count(.quarantined)
        f.pending = try count(.pending)
        f.equivocations = try equivocations().count
        f.diskBytes = diskBytes
        f.quotaBytes = quota?.bytes
        f.overQuota = isOverQuota
        return f
    }
}

/// A cluster process's latest reading of the shared database's figures (`PostgresLog.figures`),
/// refreshed in the background by `ClusterRelay`.
///
/// Invariant: `storeFigures()` throws until a first reading succeeds and while the latest failed,
/// so `/health` reports `store_failed` while the database is out of reach.
public final class ClusterFigures: RelayStoreFigures {
    private enum Reading {
        case none
        case read(StoreFigures)
        case failed(String)
    }

    /// Why there are no figures to report.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    private let latest = Mutex(Reading.none)
    /// The quota the process stores under (`ClusterStore.quota`), reported beside the size.
    private let quota: DiskQuota?

    public init(quota: DiskQuota? = nil) { self.quota = quota }

    /// Reads the figures from `log` and keeps them (or why they could not be read).
    public func read(from log: PostgresLog) async {
        do {
            let f = try await log.figures()
            var read = StoreFigures()
            read.changes = f.changes
            read.quarantined = f.quarantined
            read.pending = f.pending
            read.equivocations = f.heldAuthors
            read.diskBytes = f.databaseBytes
            read.quotaBytes = quota?.bytes
            read.overQuota = quota.map { !$0.admits(used: f.databaseBytes) } ?? false
            read.transactions = (log.stats.commits, log.stats.reruns)
            latest.withLock { $0 = .read(read) }
        } catch {
            latest.withLock { $0 = .failed("\(error)") }
        }
    }

    public func storeFigures() throws -> StoreFigures {
        switch latest.withLock({ $0 }) {
        case .none: throw Unavailable(description: "the shared database has not been read yet")
        case .failed(let why): throw Unavailable(description: why)
        case .read(let f): return f
        }
    }
}
