import BaoxueCore
import Foundation
import GRDB
import Synchronization

extension ChangeLog {
    /// The changes reconciled as `scope`'s set, sorted by (hlc, id) with running id sums: the scope's
    /// own. (A transferred child's history travels inside a change of the new school, privacy.md
    /// §2(b); no set holds another school's changes.)
    ///
    /// Each scope's set is kept in `memberCache` with the log position it was read up to; the next
    /// call reads only the changes stored since (positions only grow and no change is deleted) and
    /// merges them in, redoing the running sums only from the first position that moved. So a relay
    /// neither reads and sorts a school's whole set again for every connection, nor sums it again.
    public func members(of scope: ScopeID) throws(StoreError) -> ReconciliationSet {
        try storeCall {
            try readDB { db in
                let top = try Int64.fetchOne(db.cachedStatement(sql: "SELECT IFNULL(MAX(position), 0) FROM change")) ?? 0
                let kept = memberCache.entry(scope)
                if let kept, kept.upTo == top { return kept.members }
                let from = kept?.upTo ?? 0
                // After a first read, walk the positions stored since (`+scope` keeps SQLite off the scope
                // index, which would visit every change of the scope to find the few new ones).
                let sql =
                    from == 0
                    ? "SELECT hlc, id FROM change WHERE scope = ?2 AND ?1 = 0"
                    : "SELECT hlc, id FROM change WHERE position > ?1 AND +scope = ?2"
                var added = try Self.members(db, sql: sql, arguments: [from, scope.value])
                added.sort()
                let members = (kept?.members ?? ReconciliationSet()).merging(added)
                memberCache.store(scope, members: members, upTo: top)
                return members
            }
        }
    }

    private static func members(_ db: Database, sql: String, arguments: StatementArguments) throws -> [SyncItem] {
        var out: [SyncItem] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try rows.next() {
            let id: Data = row[1]
            let hlc: Int64 = row[0]
            out.append(SyncItem(timestamp: UInt64(hlc), packed: try PackedChangeID(bytes: id)))
        }
        return out
    }

    public func encodedChanges(_ ids: [ChangeID]) throws(StoreError) -> [[UInt8]] {
        try storeCall {
            try readDB { db in
                let statement = try db.cachedStatement(sql: "SELECT bytes FROM change WHERE id = ?")
                return try ids.map { id in
                    guard let bytes = try Data.fetchOne(statement, arguments: [Data(id.bytes)]) else { throw StoreError.changeMissing(id) }
                    return Array(bytes)
                }
            }
        }
    }

    public func scopes() throws(StoreError) -> [ScopeID] {
        try storeCall {
            try readDB { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT scope FROM change ORDER BY scope").map { try ScopeID($0) }
            }
        }
    }
}

/// A stored change that no certificate permits (yet), and why.
public struct QuarantinedChange: Sendable, Equatable {
    public let position: Int64
    public let id: ChangeID
    public let author: PublicKey
    public let scope: String
    /// A `TrustError.code`: no_certificate, role_forbids, outside_scope, not_valid_at, self_signed, …
    public let reason: String
}

extension ChangeLog {
    /// Quarantined changes in arrival order (`baoxue quarantine`).
    public func quarantined() throws(StoreError) -> [QuarantinedChange] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.position, c.id, c.author, c.scope, q.reason FROM quarantine q JOIN change c ON c.position = q.position
                        WHERE c.state = \(ChangeState.quarantined.sql) ORDER BY c.position
                        """
                ).map { row in
                    QuarantinedChange(
                        position: row[0], id: try ChangeID(bytes: Array(row[1] as Data)),
                        author: try PublicKey(bytes: Array(row[2] as Data)), scope: row[3], reason: row[4])
                }
            }
        }
    }
}

/// A hole in what this replica holds of one author's changes in one scope:
/// some of them wait on changes that never arrived (a relay or peer withheld
/// them, or they are still in transit). Each change names its author's
/// previous change in its scope as a dep (changes.md §5), so a withheld
/// change shows here even on a replica that holds only some scopes.
public struct SequenceGap: Sendable, Equatable {
    public let author: PublicKey
    public let scope: ScopeID
    /// The seq after the author's last applied change in the scope (1 if none): the hole starts here.
    public let missingFrom: UInt64
    /// How many of the author's changes in the scope wait behind the hole.
    public let waiting: Int
}

extension ChangeLog {
    /// Holes in authors' chains ("missing from author X since seq N"), for `baoxue alerts`.
    public func sequenceGaps() throws(StoreError) -> [SequenceGap] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.author, c.scope, COUNT(*),
                               (SELECT MAX(a.seq) FROM change a
                                WHERE a.author = c.author AND a.scope = c.scope AND a.state = \(ChangeState.applied.sql))
                        FROM change c
                        WHERE c.state = \(ChangeState.pending.sql) AND EXISTS (
                            SELECT 1 FROM change p JOIN waiting w ON w.position = p.position
                            WHERE p.author = c.author AND p.scope = c.scope AND p.state = \(ChangeState.pending.sql)
                              AND length(w.dep) = 32 AND NOT EXISTS (SELECT 1 FROM change d WHERE d.id = w.dep))
                        GROUP BY c.author, c.scope ORDER BY c.author, c.scope
                        """
                ).map { row in
                    SequenceGap(
                        author: try PublicKey(bytes: Array(row[0] as Data)), scope: try ScopeID(row[1] as String),
                        missingFrom: UInt64(row[3] as Int64? ?? 0) + 1, waiting: row[2])
                }
            }
        }
    }
}

/// Changes of a revoked device dated before its revocation that no relay
/// witnessed before it (`Protocol/trust.md` §6): the device's clock may have
/// been set back by whoever holds it, so a person must review them.
public struct UnwitnessedChanges: Sendable, Equatable {
    public let author: PublicKey
    public let revokedAt: UInt64
    /// Ids of the changes, in HLC order (applied or pending; quarantined ones are already out).
    public let changes: [ChangeID]
}

extension ChangeLog {
    /// For each revoked device, its record changes with HLC < revocation time
    /// and no receipt from a relay dated before that time.
    /// How many of `author`'s record changes no relay has countersigned yet: on a device, the
    /// work that has not reached the township office (receipts arrive with the next sync after it has).
    public func notYetWitnessed(author: PublicKey) throws(StoreError) -> Int {
        try storeCall {
            try readDB { db in
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM change c WHERE c.author = ? AND c.scope <> ?
                          AND NOT EXISTS (SELECT 1 FROM witness w WHERE w.change = c.id)
                        """, arguments: [Data(author.bytes), ScopeID.admin.value]) ?? 0
            }
        }
    }

    public func unwitnessed() throws(StoreError) -> [UnwitnessedChanges] {
        try storeCall {
            try readDB { db in
                let revoked = try Row.fetchAll(db, sql: "SELECT subject, MIN(revoked_at) FROM revocation GROUP BY subject ORDER BY subject")
                return try revoked.compactMap { row -> UnwitnessedChanges? in
                    let subject: Data = row[0]
                    let at: Int64 = row[1]
                    let ids = try Data.fetchAll(
                        db,
                        sql: """
                            SELECT c.id FROM change c
                            WHERE c.author = ? AND c.hlc < ? AND c.scope <> ?
                                AND c.state IN (\(ChangeState.applied.sql), \(ChangeState.pending.sql))
                              AND NOT EXISTS (SELECT 1 FROM witness w WHERE w.change = c.id AND w.at < ?)
                            ORDER BY c.hlc, c.id
                            """, arguments: [subject, at << 16, ScopeID.admin.value, at]
                    ).map { try ChangeID(bytes: Array($0)) }
                    guard !ids.isEmpty else { return nil }
                    return UnwitnessedChanges(author: try PublicKey(bytes: Array(subject)), revokedAt: UInt64(at), changes: ids)
                }
            }
        }
    }
}

/// Scope sets as last read from one log, each with the log position it was read up to
/// (`ChangeLog.members(of:)`). Shared by the log's readers, hence the mutex.
final class MemberCache: Sendable {
    typealias Entry = (upTo: Int64, members: ReconciliationSet)
    private let entries = Mutex<[ScopeID: Entry]>([:])

    func entry(_ scope: ScopeID) -> Entry? { entries.withLock { $0[scope] } }

    /// Keeps the newer of what is cached and `members` (two readers may race; carry rows only grow).
    func store(_ scope: ScopeID, members: ReconciliationSet, upTo: Int64) {
        entries.withLock {
            if let old = $0[scope], old.upTo >= upTo { return }
            $0[scope] = (upTo, members)
        }
    }
}
