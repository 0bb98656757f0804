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
    /// How a child without papers was found: a provisional record (records.md §3.3); nil for a registry child.
    public let provisional: String?
    /// The registry child this provisional one was merged into; nil while it stands alone.
    public let mergedInto: RecordID?

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
        provisional = row["provisional"]
        mergedInto = (row["merged_into"] as String?).flatMap { try? RecordID(hex: $0) }
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
            try readDB { db in
                try Row.fetchOne(db, sql: "SELECT * FROM child_view WHERE child = ?", arguments: [id.hex]).map(ChildView.init)
            }
        }
    }

    /// Children of one school (or all), by name; records marked void are left out (they stay in the audit trail).
    public func children(school: String? = nil, limit: Int = 10_000) throws(StoreError) -> [ChildView] {
        try storeCall {
            try readDB { db in
                let sql =
                    school == nil
                    ? "SELECT * FROM child_view WHERE voided IS NULL AND merged_into IS NULL ORDER BY name, child LIMIT ?"
                    : "SELECT * FROM child_view WHERE school = ? AND voided IS NULL AND merged_into IS NULL ORDER BY name, child LIMIT ?"
                let args: StatementArguments = school.map { [$0, limit] } ?? [limit]
                return try Row.fetchAll(db, sql: sql, arguments: args).map(ChildView.init)
            }
        }
    }

    /// Children (not voided) a person may mean by `text`, by name: a name or part of one, a school, class or
    /// village; a record-id prefix; a 学籍号, a guardian's phone or an ID number exactly; the last 4–6
    /// characters of an ID number. One school's only, when given.
    public func findChildren(_ text: String, school: String? = nil, limit: Int = 10_000) throws(StoreError) -> [ChildView] {
        let t = text.trimmingCharacters(in: .whitespaces)
        return try storeCall {
            try readDB { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM child_view WHERE voided IS NULL AND merged_into IS NULL AND (?2 IS NULL OR school = ?2) AND (
                            ?1 = '' OR instr(name, ?1) > 0 OR instr(school, ?1) > 0 OR instr(class_name, ?1) > 0 OR instr(village, ?1) > 0
                            OR (length(?1) >= 4 AND child LIKE lower(?1) || '%') OR student_number = ?1 OR guardian_phone = ?1
                            OR id_number = upper(?1) OR (length(?1) BETWEEN 4 AND 6 AND id_number LIKE '%' || upper(?1)))
                        ORDER BY name, child LIMIT ?3
                        """, arguments: [t, school, limit]
                ).map(ChildView.init)
            }
        }
    }

    /// The entries of a ledger open at the end of `asOf` (every fact, when nil), optionally of one
    /// school, sorted by name; `since` is the day the entry opened (records.md §3.1). The same rule
    /// as the reports', so a month's ledger sheet and its figures agree; voided ops count nowhere; a
    /// provisional child merged by then is listed under the registry child it was merged into.
    public func ledger(_ ledger: Ledger, school: String? = nil, asOf: SimpleDate? = nil) throws(StoreError) -> [LedgerRow] {
        try storeCall {
            try readDB { db in
                let day = try asOf ?? SimpleDate(year: 2199, month: 12, day: 31)
                let merges = try Self.merges(db, before: asOf.map { PeriodCutoff(endOf: $0) })
                let spans = try Self.ledgerSpans(db, ledger: ledger, school: school, merges: merges)
                var rows: [LedgerRow] = []
                for entry in LedgerEntries.entries(spans, asOf: day) where entry.closed == nil {
                    // A child known only by its events (no row yet) is listed; a voided child is not.
                    let row = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT name, school, voided FROM child_view WHERE child = ?"),
                        arguments: [entry.child.hex])
                    if (row?["voided"] as String?) != nil { continue }
                    rows.append(LedgerRow(child: entry.child, name: row?["name"], school: row?["school"], since: entry.opened.description))
                }
                return rows.sorted { ($0.name ?? "", $0.child) < ($1.name ?? "", $1.child) }
            }
        }
    }

    /// Children with fields in conflict, for a person to review.
    public func conflicts() throws(StoreError) -> [ChildView] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM child_view WHERE conflicts <> '' AND voided IS NULL AND merged_into IS NULL ORDER BY name, child"
                ).map(ChildView.init)
            }
        }
    }

    public func rejectedOps() throws(StoreError) -> [RejectedOp] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(db, sql: "SELECT op, reason, author FROM rec_rejected ORDER BY hlc, op").map { row in
                    RejectedOp(
                        op: try OpID(bytes: Array(row[0] as Data)), reason: row[1], author: try PublicKey(bytes: Array(row[2] as Data)))
                }
            }
        }
    }
}
