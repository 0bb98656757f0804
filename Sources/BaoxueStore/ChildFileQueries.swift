import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

/// One status a child was given: the fact (status, date, reason), who signed it, and whether a
/// void took it back. Superseded statuses stay: the history is every status ever written.
public struct StatusEntry: Sendable, Equatable {
    public let op: OpID
    public let fact: StatusFact
    public let author: PublicKey
    public let voided: Bool
    /// A registry import's status (学籍导入), not a person's.
    public let fromRegistry: Bool
}

/// A persuasion-to-return case (一人一案) as its file reads: its fields, the people responsible
/// (七长负责制, `role:name`) and its events (attempts, follow-ups), oldest first.
public struct CaseView: Sendable, Equatable {
    public let caseFile: RecordID
    public let child: RecordID?
    public let reason: ReasonCategory?
    public let reasonText: String?
    public let placement: Placement?
    public let outcome: String?
    public let responsible: [String]
    public let events: [EventRow]
    /// Opened on: the day of the case's first write (UTC+8).
    public let opened: SimpleDate?
}

extension ChangeLog {
    /// Every status write about `child`, by date then the register's order.
    public func statusHistory(child: RecordID) throws(StoreError) -> [StatusEntry] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT op, value, author, rank, EXISTS (SELECT 1 FROM rec_void v WHERE v.target = w.op) AS voided
                        FROM rec_write w WHERE record = ? AND kind = 'child' AND field = 'status' ORDER BY hlc, op
                        """, arguments: [child.hex]
                ).compactMap { row in
                    guard case .status(let fact) = try FieldValue(storageText: row["value"]) else { return nil }
                    return StatusEntry(
                        op: try OpID(bytes: Array(row["op"] as Data)), fact: fact,
                        author: try PublicKey(bytes: Array(row["author"] as Data)), voided: row["voided"],
                        fromRegistry: (row["rank"] as Int) == 0)
                }.sorted { ($0.fact.date, $0.op) < ($1.fact.date, $1.op) }
            }
        }
    }

    /// The child's ledger entries over all time (records.md §3.1), oldest first, with those of the
    /// provisional children merged into it (§3.3).
    public func ledgerHistory(child: RecordID) throws(StoreError) -> [LedgerEntry] {
        try storeCall {
            try readDB { db in
                let spans = try Self.ledgerSpans(db, merges: try Self.merges(db)).filter { $0.child == child }
                return LedgerEntries.entries(spans, asOf: try SimpleDate(year: 2199, month: 12, day: 31))
            }
        }
    }

    /// What put `child` on a ledger and was voided since: the ledger, the opener's date, the void's reason.
    /// A voided opener counts nowhere (records.md §3); the child's file still shows it, marked.
    public func voidedOpeners(child: RecordID) throws(StoreError) -> [(ledger: Ledger, date: String, reason: String)] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT o.ledger, o.date, (SELECT v.reason FROM rec_void v WHERE v.target = o.op ORDER BY v.op LIMIT 1) AS reason
                        FROM rec_opener o WHERE o.child = ? AND EXISTS (SELECT 1 FROM rec_void v WHERE v.target = o.op)
                        ORDER BY o.date, o.op
                        """, arguments: [child.hex]
                ).compactMap { row in
                    Ledger(rawValue: row[0]).map { ($0, row[1] as String, row[2] as String) }
                }
            }
        }
    }

    /// The cases of `child` (or the one case `caseFile`), each with its events.
    public func cases(child: RecordID? = nil, caseFile: RecordID? = nil) throws(StoreError) -> [CaseView] {
        try storeCall {
            try readDB { db in
                // One statement per shape, so each seeks its index (`rec_write_case_child`, `rec_write_record`).
                var filters: [String] = []
                var arguments: [(any DatabaseValueConvertible)?] = []
                if let child {
                    filters.append("AND value = ?")
                    arguments.append(FieldValue.text(child.hex).storageText)
                }
                if let caseFile {
                    filters.append("AND record = ?")
                    arguments.append(caseFile.hex)
                }
                let files = try String.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT record FROM rec_write WHERE kind = 'caseFile' AND field = 'child' \(filters.joined(separator: " "))
                        ORDER BY hlc, record
                        """, arguments: StatementArguments(arguments))
                return try files.map { try Self.caseView(db, try RecordID(hex: $0)) }
            }
        }
    }

    private static func caseView(_ db: Database, _ file: RecordID) throws -> CaseView {
        var fields: [String: String] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT field, value FROM rec_write WHERE record = ? AND kind = 'caseFile' AND live = 1 ORDER BY rank, hlc, author, op
                """, arguments: [file.hex])
        {
            if case .text(let t) = try FieldValue(storageText: row["value"]) { fields[row["field"]] = t }
        }
        let responsible = try String.fetchAll(
            db,
            sql: """
                SELECT DISTINCT element FROM rec_element WHERE record = ? AND kind = 'caseFile' AND set_name = 'responsible' AND live = 1
                ORDER BY element
                """, arguments: [file.hex])
        let events = try Row.fetchAll(
            db,
            sql: """
                SELECT op, date, body, EXISTS (SELECT 1 FROM rec_void v WHERE v.target = e.op) AS voided
                FROM rec_event e WHERE subject = ? ORDER BY date, op
                """, arguments: [file.hex]
        ).map { row in
            EventRow(
                op: try OpID(bytes: Array(row["op"] as Data)), date: row["date"],
                event: try Event.decode(Array(row["body"] as Data)), voided: row["voided"])
        }
        let first = try Int64.fetchOne(
            db, sql: "SELECT MIN(hlc) FROM rec_write WHERE record = ? AND kind = 'caseFile'",
            arguments: [file.hex])
        return CaseView(
            caseFile: file, child: try fields["child"].map(RecordID.init(hex:)),
            reason: fields["reason"].flatMap(ReasonCategory.init(rawValue:)), reasonText: fields["reasonText"],
            placement: fields["placement"].flatMap(Placement.init(rawValue:)), outcome: fields["outcome"],
            responsible: responsible, events: events, opened: first.flatMap(PeriodCutoff.day(packedHLC:)))
    }
}
