import BaoxueCore
import Logging
import PostgresNIO

/// The reconciliation sets of every scope in the log on PostgreSQL, held in one relay process's
/// memory and brought up to date before each session: a range's fingerprint then costs two
/// lookups in the running sums (`ReconciliationSet`), whatever the scope's size.
///
/// Catching up reads only what committed since the last read. Not by position: PostgreSQL hands
/// positions out at insert, so a transaction holding a lower one can commit after a higher one was
/// read. By transaction id instead: every transaction not finished when the last read's snapshot
/// was taken has an id at or above that snapshot's xmin, so reading `txid >= xmin` again cannot miss
/// one (and what it reads twice, the merge ignores).
public struct PostgresScopeSets: Sendable {
    public private(set) var sets: [ScopeID: ReconciliationSet] = [:]
    /// xmin of the last read's snapshot (nil: nothing read yet).
    public private(set) var finishedBelow: UInt64?

    public init() {}

    /// Reads what committed since the last call and merges it in; returns how many rows it read.
    @discardableResult
    public mutating func refresh(from log: PostgresLog) async throws -> Int {
        let read = try await Self.read(from: log, since: finishedBelow)
        merge(read)
        return read.rows
    }

    /// What committed since `since` (all of it for nil), read without holding the sets: a process
    /// serving sessions reads outside its lock and merges inside it.
    public static func read(from log: PostgresLog, since: UInt64?) async throws -> Read {
        let logger = log.logger
        let (xmin, rows) = try await log.transaction(isolation: "REPEATABLE READ READ ONLY") { connection in
            var xmin: UInt64 = 0
            for try await text in try await connection.query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", logger: logger)
                .decode(String.self)
            {
                guard let value = UInt64(text) else { throw PostgresLogError.corruptRow("snapshot xmin \(text)") }
                xmin = value
            }
            let query: PostgresQuery =
                since.map { "SELECT scope, hlc, id FROM log_change WHERE txid >= \(String($0))::xid8" }
                ?? "SELECT scope, hlc, id FROM log_change"
            var rows: [(String, Int64, ByteBuffer)] = []
            for try await row in try await connection.query(query, logger: logger).decode((String, Int64, ByteBuffer).self) {
                rows.append(row)
            }
            return (xmin, rows)
        }
        var added: [ScopeID: [SyncItem]] = [:]
        for (scope, hlc, id) in rows {
            let item = SyncItem(timestamp: UInt64(bitPattern: hlc), packed: try PackedChangeID(bytes: id.bytes))
            added[try ScopeID(scope), default: []].append(item)
        }
        return Read(finishedBelow: xmin, rows: rows.count, added: added)
    }

    /// One catch-up's rows, by scope.
    public struct Read: Sendable {
        public let finishedBelow: UInt64
        public let rows: Int
        public let added: [ScopeID: [SyncItem]]
    }

    /// Merges a catch-up read after the last one merged (what it reads twice, the merge ignores).
    public mutating func merge(_ read: Read) {
        for (scope, items) in read.added { sets[scope, default: ReconciliationSet()].merge(items.sorted()) }
        finishedBelow = max(finishedBelow ?? 0, read.finishedBelow)
    }

    /// Adds changes this process stored itself, before a later catch-up reads them again.
    public mutating func insert(_ changes: [Change]) {
        var added: [ScopeID: [SyncItem]] = [:]
        for change in changes { added[change.scope, default: []].append(SyncItem(change: change)) }
        for (scope, items) in added { sets[scope, default: ReconciliationSet()].merge(items.sorted()) }
    }
}
