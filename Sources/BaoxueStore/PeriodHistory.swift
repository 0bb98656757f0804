import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

/// The end of a report's last day (China Standard Time, UTC+8), against which facts without a
/// date of their own (a child's school, a record's creation, a close-out) are placed by the clock
/// of the signed change that wrote them.
struct PeriodCutoff {
    /// The first packed HLC after the day: writes before it were made by the end of the day.
    let packedHLC: Int64

    init(endOf day: SimpleDate) {
        let ms = Int64(day.dayNumber + 1) * 86_400_000 - 8 * 3_600_000
        packedHLC = ms << 16
    }

    /// The UTC+8 day of a packed HLC.
    static func day(packedHLC: Int64) -> SimpleDate? {
        try? SimpleDate(unixMilliseconds: UInt64(bitPattern: packedHLC) >> 16)
    }
}

/// A status write as the report reads its history: whose, which fact, and its place among
/// writes of the same date (the register's display order).
struct StatusWrite {
    let child: RecordID
    let fact: StatusFact
    let hlc: Int64
    let author: Data
    let op: Data
    /// A registry default (records.md §3): on the same date a person's status comes after it, so wins.
    let isDefault: Bool

    /// Earlier in the history: an earlier fact date, then the register's order (defaults, HLC, author, op).
    static func before(_ a: StatusWrite, _ b: StatusWrite) -> Bool {
        if a.fact.date != b.fact.date { return a.fact.date < b.fact.date }
        if a.isDefault != b.isDefault { return a.isDefault }
        if a.hlc != b.hlc { return a.hlc < b.hlc }
        if a.author != b.author { return a.author.lexicographicallyPrecedes(b.author) }
        return a.op.lexicographicallyPrecedes(b.op)
    }
}

extension ChangeLog {
    /// Every status write of a child not voided, superseded or not: a status holds from its date
    /// until the next one by date.
    static func statusWrites(_ db: Database) throws -> [StatusWrite] {
        try Row.fetchAll(db, sql: """
            SELECT record, value, hlc, author, op, rank FROM rec_write w WHERE kind = 'child' AND field = 'status'
              AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = w.op)
            """).compactMap { row in
            guard case .status(let fact) = try FieldValue(storageText: row[1]) else { return nil }
            return StatusWrite(child: try RecordID(hex: row[0]), fact: fact, hlc: row[2], author: row[3], op: row[4],
                               isDefault: (row[5] as Int) == 0)
        }
    }

    /// Every ledger opener not voided (of one ledger, of one school's children, when given), with
    /// the day of the first close-out naming it (records.md §3.1), each under the child its history
    /// counts under (`merges`: a provisional child merged into a registry child, §3.3).
    static func ledgerSpans(_ db: Database, ledger: Ledger? = nil, school: String? = nil,
                            merges: [RecordID: RecordID] = [:]) throws -> [LedgerSpan] {
        let spans = try Row.fetchAll(db, sql: """
            SELECT o.ledger, o.child, o.date, MIN(x.hlc) FROM rec_opener o
            LEFT JOIN rec_closed c ON c.opener = o.op
            LEFT JOIN rec_closeout x ON x.op = c.by_op AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = x.op)
            WHERE NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = o.op) AND (?1 IS NULL OR o.ledger = ?1)
            GROUP BY o.op
            """, arguments: [ledger?.rawValue]).compactMap { row -> LedgerSpan? in
            guard let ledger = Ledger(rawValue: row[0]) else { return nil }
            return LedgerSpan(ledger: ledger, child: try RecordID(hex: row[1]), opened: try SimpleDate(row[2] as String),
                              closed: (row[3] as Int64?).flatMap(PeriodCutoff.day(packedHLC:))).counted(under: merges)
        }
        guard let school else { return spans }
        let pupils = Set(try String.fetchAll(db, sql: "SELECT child FROM child_view WHERE school = ?", arguments: [school]))
        return spans.filter { pupils.contains($0.child.hex) }
    }

    /// Each child's school as written by `cutoff`: the school write with the latest clock before it,
    /// a person's over a registry default's.
    static func schools(_ db: Database, before cutoff: PeriodCutoff) throws -> [RecordID: String] {
        var out: [RecordID: String] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT record, value FROM rec_write w WHERE kind = 'child' AND field = 'school' AND hlc < ?
              AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = w.op)
            ORDER BY record, rank, hlc, author, op
            """, arguments: [cutoff.packedHLC])
        while let row = try rows.next() {
            if case .text(let t) = try FieldValue(storageText: row[1]) { out[try RecordID(hex: row[0])] = t }
        }
        return out
    }
}
