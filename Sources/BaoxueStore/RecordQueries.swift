import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

/// A child as shown in lists and on screen.
public struct ChildView: Sendable, Equatable, Codable {
    public let child: RecordID
    public let name: String?
    public let school: String?
    public let grade: Int?
    public let className: String?
    public let status: ChildStatus?
    public let statusDate: String?
    public let statusReason: String?
    /// Fields with concurrent values a person must settle.
    public let conflicts: [String]
    public let focus: [String]
    /// Why the record was marked void (entered by mistake); nil when in force.
    public let voided: String?

    init(row: Row) throws {
        child = try RecordID(hex: row["child"])
        name = row["name"]
        school = row["school"]
        grade = row["grade"]
        className = row["class_name"]
        status = (row["status"] as String?).flatMap(ChildStatus.init(rawValue:))
        statusDate = row["status_date"]
        statusReason = row["status_reason"]
        conflicts = (row["conflicts"] as String? ?? "").split(separator: ",").map(String.init)
        focus = (row["focus"] as String? ?? "").split(separator: ",").map(String.init)
        voided = row["voided"]
    }
}

/// One open ledger entry: the child and the earliest date that put it there.
public struct LedgerRow: Sendable, Equatable, Codable {
    public let child: RecordID
    public let name: String?
    public let school: String?
    public let since: String
}

/// A signed op every replica refused to apply, kept for a person to see.
public struct RejectedOp: Sendable, Equatable {
    public let op: OpID
    public let reason: String
    public let author: PublicKey
}

extension ChangeLog {
    public func child(_ id: RecordID) throws(StoreError) -> ChildView? {
        try storeCall {
            try readDB { db in try Row.fetchOne(db, sql: "SELECT * FROM child_view WHERE child = ?", arguments: [id.hex]).map(ChildView.init) }
        }
    }

    /// Children of one school (or all), by name; records marked void are left out (they stay in the audit trail).
    public func children(school: String? = nil, limit: Int = 10_000) throws(StoreError) -> [ChildView] {
        try storeCall {
            try readDB { db in
                let sql = school == nil
                    ? "SELECT * FROM child_view WHERE voided IS NULL ORDER BY name, child LIMIT ?"
                    : "SELECT * FROM child_view WHERE school = ? AND voided IS NULL ORDER BY name, child LIMIT ?"
                let args: StatementArguments = school.map { [$0, limit] } ?? [limit]
                return try Row.fetchAll(db, sql: sql, arguments: args).map(ChildView.init)
            }
        }
    }

    /// The open entries of a ledger, optionally of one school, sorted by name.
    public func ledger(_ ledger: Ledger, school: String? = nil) throws(StoreError) -> [LedgerRow] {
        try storeCall {
            try readDB { db in
                let filter = school == nil ? "" : "AND c.school = ?"
                let sql = """
                    SELECT o.child AS child, c.name AS name, c.school AS school, MIN(o.date) AS since
                    FROM \(school == nil ? "rec_opener o LEFT JOIN child_view c ON c.child = o.child" : "child_view c JOIN rec_opener o ON o.child = c.child")
                    WHERE o.ledger = ? \(filter) AND c.voided IS NULL
                      AND NOT EXISTS (SELECT 1 FROM rec_closed x WHERE x.opener = o.op)
                    GROUP BY o.child ORDER BY c.name, o.child
                    """
                let args: StatementArguments = school.map { [ledger.rawValue, $0] } ?? [ledger.rawValue]
                return try Row.fetchAll(db, sql: sql, arguments: args).map { row in
                    LedgerRow(child: try RecordID(hex: row["child"]), name: row["name"], school: row["school"], since: row["since"])
                }
            }
        }
    }

    /// Children with fields in conflict, for a person to review.
    public func conflicts() throws(StoreError) -> [ChildView] {
        try storeCall {
            try readDB { db in try Row.fetchAll(db, sql: "SELECT * FROM child_view WHERE conflicts <> '' AND voided IS NULL ORDER BY name, child").map(ChildView.init) }
        }
    }

    public func rejectedOps() throws(StoreError) -> [RejectedOp] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(db, sql: "SELECT op, reason, author FROM rec_rejected ORDER BY hlc, op").map { row in
                    RejectedOp(op: try OpID(bytes: Array(row[0] as Data)), reason: row[1], author: try PublicKey(bytes: Array(row[2] as Data)))
                }
            }
        }
    }
}
