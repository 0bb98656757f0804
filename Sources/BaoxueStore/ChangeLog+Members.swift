import BaoxueCore
import Foundation
import GRDB

extension ChangeLog {
    public func members(of scope: ScopeID) throws(StoreError) -> [ScopeMember] {
        try storeCall {
            try writer.read { db in
                var out: [ScopeMember] = []
                let rows = try Row.fetchCursor(db, sql: "SELECT hlc, id FROM change WHERE scope = ? ORDER BY hlc, id", arguments: [scope.value])
                while let row = try rows.next() {
                    let id: Data = row[1]
                    out.append(ScopeMember(timestamp: row[0], id: try ChangeID(bytes: Array(id))))
                }
                return out
            }
        }
    }

    public func encodedChanges(_ ids: [ChangeID]) throws(StoreError) -> [[UInt8]] {
        try storeCall {
            try writer.read { db in
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
            try writer.read { db in
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
            try writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT c.position, c.id, c.author, c.scope, q.reason FROM quarantine q JOIN change c ON c.position = q.position
                    WHERE c.state = 3 ORDER BY c.position
                    """).map { row in
                    QuarantinedChange(position: row[0], id: try ChangeID(bytes: Array(row[1] as Data)),
                                      author: try PublicKey(bytes: Array(row[2] as Data)), scope: row[3], reason: row[4])
                }
            }
        }
    }
}

/// An author whose log has a hole: changes above `missingFrom` are stored but
/// `missingFrom` itself never arrived (a relay or peer withheld it, or it is still in transit).
public struct SequenceGap: Sendable, Equatable {
    public let author: PublicKey
    public let missingFrom: UInt64
    /// How many of the author's changes wait behind the hole.
    public let waiting: Int
}

extension ChangeLog {
    /// Holes in authors' sequences ("missing from author X since seq N"), for `baoxue alerts`.
    public func sequenceGaps() throws(StoreError) -> [SequenceGap] {
        try storeCall {
            try writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT c.author, COALESCE(a.applied_seq, 0) + 1 AS next, COUNT(*)
                    FROM change c LEFT JOIN author a ON a.key = c.author
                    WHERE c.seq > COALESCE(a.applied_seq, 0) + 1
                      AND NOT EXISTS (SELECT 1 FROM change d WHERE d.author = c.author AND d.seq = COALESCE(a.applied_seq, 0) + 1)
                    GROUP BY c.author ORDER BY c.author
                    """).map { row in
                    SequenceGap(author: try PublicKey(bytes: Array(row[0] as Data)), missingFrom: UInt64(row[1] as Int64), waiting: row[2])
                }
            }
        }
    }
}
