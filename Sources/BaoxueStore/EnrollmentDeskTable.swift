import BaoxueCore
import Foundation
import GRDB

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
