import BaoxueCore
import Foundation
import GRDB

/// A relay's enrollment holding area as rows (sync.md §3.1): a device's request and, once an admin
/// decided, the encoded decision. A table beside the log, not in it: nothing here is ever
/// reconciled, synced or served to a device (the desk's rules are `EnrollmentDesk`'s, in the relay).
public struct EnrollmentDeskRow: Sendable, Equatable {
    public let subject: PublicKey
    public let request: [UInt8]
    public let receivedAt: UInt64
    /// The decision's bytes as the desk encodes them, nil while the request waits.
    public let decision: [UInt8]?
    public let decidedAt: UInt64?

    public init(subject: PublicKey, request: [UInt8], receivedAt: UInt64, decision: [UInt8]?, decidedAt: UInt64?) {
        self.subject = subject
        self.request = request
        self.receivedAt = receivedAt
        self.decision = decision
        self.decidedAt = decidedAt
    }
}

extension ChangeLog {
    static func registerEnrollmentDesk(in m: inout DatabaseMigrator) {
        m.registerMigration("v25-enrollment-desk") { db in
            try db.execute(
                sql: """
                    CREATE TABLE enrollment_desk (
                        subject BLOB PRIMARY KEY, request BLOB NOT NULL, received_at INTEGER NOT NULL,
                        decision BLOB, decided_at INTEGER
                    ) WITHOUT ROWID;
                    """)
        }
    }

    /// Every row of the holding area.
    public func enrollmentDeskRows() throws(StoreError) -> [EnrollmentDeskRow] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(db, sql: "SELECT subject, request, received_at, decision, decided_at FROM enrollment_desk").map { row in
                    EnrollmentDeskRow(
                        subject: try PublicKey(bytes: Array(row[0] as Data)), request: Array(row[1] as Data),
                        receivedAt: UInt64(row[2] as Int64), decision: (row[3] as Data?).map { Array($0) },
                        decidedAt: (row[4] as Int64?).map { UInt64($0) })
                }
            }
        }
    }

    /// Inserts or replaces the row of `row.subject` (committed before returning).
    public func keepEnrollmentDeskRow(_ row: EnrollmentDeskRow) throws(StoreError) {
        try storeCall {
            try writer.write { db in
                try db.execute(
                    sql:
                        "INSERT OR REPLACE INTO enrollment_desk (subject, request, received_at, decision, decided_at) "
                        + "VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        Data(row.subject.bytes), Data(row.request), Int64(row.receivedAt), row.decision.map { Data($0) },
                        row.decidedAt.map { Int64($0) },
                    ])
            }
        }
    }

    public func dropEnrollmentDeskRow(_ subject: PublicKey) throws(StoreError) {
        try storeCall {
            try writer.write { db in try db.execute(sql: "DELETE FROM enrollment_desk WHERE subject = ?", arguments: [Data(subject.bytes)])
            }
        }
    }
}
