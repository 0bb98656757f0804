import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

/// One school's figures for a period: what the monthly report (一月一报告)
/// and the quarterly review (一季度一复核) print. Voided events never count.
public struct PeriodFigures: Sendable, Equatable, Codable {
    public var school: String
    public var children = 0
    /// Children by status (raw value), children without one under "".
    public var byStatus: [String: Int] = [:]
    public var suspectedOpen = 0
    public var dropoutOpen = 0
    /// Ledger entries opened in the period.
    public var ledgerOpened = 0
    /// Entries closed out in the period (by the close-out's date).
    public var closedOut = 0
    /// Status changes to `returned` dated in the period.
    public var returned = 0
    public var visits = 0
    public var persuasionAttempts = 0
    public var homeTeachingSessions = 0
    public var homeTeachingHours = 0
    public var absences = 0
    public var letters = 0
    public var conflicts = 0
}

extension ChangeLog {
    /// Each child's ID number (one school or all), for an export that asks for it; masked there by default.
    public func idNumbers(school: String? = nil) throws(StoreError) -> [RecordID: String] {
        try storeCall {
            try readDB { db in
                var out: [RecordID: String] = [:]
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT child, id_number FROM child_view WHERE id_number IS NOT NULL AND (?1 IS NULL OR school = ?1)",
                    arguments: [school])
                while let row = try rows.next() { out[try RecordID(hex: row[0])] = row[1] }
                return out
            }
        }
    }

    /// Figures per school (sorted by name) for the period `from`…`to` inclusive, as they stood at the
    /// end of `to` (records.md §3.1): statuses and ledger entries by their facts' own dates, a child's
    /// school and its existence by the time they were written, close-outs by theirs. Facts dated after
    /// `to` change nothing, so the same log gives the same report whenever it is run. Voided ops
    /// count nowhere. `school` limits it to one.
    public func periodFigures(from: SimpleDate, to: SimpleDate, school: String? = nil) throws(StoreError) -> [PeriodFigures] {
        try storeCall {
            try readDB { db in
                var bySchool: [String: PeriodFigures] = [:]
                let cutoff = PeriodCutoff(endOf: to)
                let schools = try Self.schools(db, before: cutoff)
                // A provisional child merged by the period's end counts under its registry child (records.md §3.3).
                let merges = try Self.merges(db, before: cutoff)
                func counted(_ child: RecordID) -> RecordID { merges[child] ?? child }
                func add(_ s: String?, _ body: (inout PeriodFigures) -> Void) {
                    let key = s ?? ""
                    if let school, key != school { return }
                    var f = bySchool[key] ?? PeriodFigures(school: key)
                    body(&f)
                    bySchool[key] = f
                }
                let statuses = try Self.statusWrites(db)
                var returned = Set<RecordID>()
                for w in statuses where w.fact.status == .returned && w.fact.date >= from && w.fact.date <= to {
                    returned.insert(counted(w.child))
                }
                let shown = Dictionary(grouping: statuses.filter { $0.fact.date <= to }, by: { counted($0.child) })
                    .mapValues { $0.max(by: StatusWrite.before)!.fact.status }
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.child AS child, c.conflicts AS conflicts FROM child_view c
                        WHERE c.voided IS NULL AND (SELECT MIN(w.hlc) FROM rec_write w WHERE w.record = c.child AND w.kind = 'child') < ?
                        """, arguments: [cutoff.packedHLC])
                {
                    let child = try RecordID(hex: row["child"])
                    guard merges[child] == nil else { continue }
                    let conflicts: String = row["conflicts"]
                    add(schools[child]) { f in
                        f.byStatus[shown[child]?.rawValue ?? "", default: 0] += 1
                        // Deceased, emigrated, graduated … by the period's end: no longer a school-age child of the count.
                        if shown[child]?.leftCompulsoryEducation != true { f.children += 1 }
                        if !conflicts.isEmpty { f.conflicts += 1 }
                        if returned.contains(child) { f.returned += 1 }
                    }
                }
                let live = Set(try String.fetchAll(db, sql: "SELECT child FROM child_view WHERE voided IS NULL"))
                let spans = try Self.ledgerSpans(db, merges: merges)
                for entry in LedgerEntries.entries(spans, asOf: to) where live.contains(entry.child.hex) {
                    add(schools[entry.child]) { f in
                        if entry.opened >= from { f.ledgerOpened += 1 }
                        if entry.closed == nil { if entry.ledger == .dropout { f.dropoutOpen += 1 } else { f.suspectedOpen += 1 } }
                    }
                }
                let range: StatementArguments = [from.description, to.description]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.child AS child, e.kind AS kind, COUNT(*) AS n,
                               SUM(CASE WHEN e.kind = 'homeTeaching' THEN e.amount ELSE 0 END) AS hours
                        FROM rec_event e JOIN child_view c ON c.child = e.child
                        WHERE e.date BETWEEN ? AND ? AND c.voided IS NULL AND \(Self.liveEvent)
                        GROUP BY e.child, e.kind
                        """, arguments: range)
                {
                    let n: Int = row["n"]
                    let hours: Int = row["hours"] ?? 0
                    let kind: String = row["kind"]
                    add(schools[counted(try RecordID(hex: row["child"]))]) { f in
                        switch kind {
                        case "visit": f.visits += n
                        case "persuasion": f.persuasionAttempts += n
                        case "homeTeaching":
                            f.homeTeachingSessions += n
                            f.homeTeachingHours += hours
                        case "absence": f.absences += n
                        case "verificationLetter": f.letters += n
                        default: break
                        }
                    }
                }
                // A close-out carries no date of its own: its signed change's clock (UTC+8 day) dates it.
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT x.child AS child, x.hlc AS hlc FROM rec_closeout x JOIN child_view c ON c.child = x.child
                        WHERE c.voided IS NULL AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = x.op)
                        """)
                {
                    guard let day = PeriodCutoff.day(packedHLC: row["hlc"]), day >= from, day <= to else { continue }
                    add(schools[counted(try RecordID(hex: row["child"]))]) { $0.closedOut += 1 }
                }
                return bySchool.values.sorted { $0.school < $1.school }
            }
        }
    }
}

/// A shoe-leather survey sweep (铁脚板摸排) as far as it has got: households checked, by finding.
public struct SurveyCoverage: Sendable, Equatable, Codable {
    public var village: String?
    public var date: String?
    public var households = 0
    public var childrenFound = 0
    /// Finding (raw value) → households.
    public var byFinding: [String: Int] = [:]
}

extension ChangeLog {
    /// The key an address is one household by: full-width spaces as spaces, runs of spaces as one, trimmed.
    static func householdKey(_ address: String) -> String {
        address.replacingOccurrences(of: "\u{3000}", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Every survey sweep this replica holds (a village and a date set), newest first.
    public func surveys() throws(StoreError) -> [RecordID] {
        try storeCall {
            try readDB { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT record FROM rec_write WHERE kind = 'survey' AND field = 'village' AND live = 1
                        GROUP BY record ORDER BY MAX(hlc) DESC
                        """
                ).compactMap { try? RecordID(hex: $0) }
            }
        }
    }

    /// What the survey's household checks add up to (voided checks do not count; a household checked twice counts once).
    public func surveyCoverage(_ survey: RecordID) throws(StoreError) -> SurveyCoverage {
        try storeCall {
            try readDB { db in
                var c = SurveyCoverage()
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT field, value FROM rec_write WHERE record = ? AND kind = 'survey' AND live = 1 ORDER BY hlc
                        """, arguments: [survey.hex])
                {
                    let field: String = row["field"]
                    let value = try? FieldValue(storageText: row["value"])
                    switch (field, value) {
                    case ("village", .text(let t)?): c.village = t
                    case ("date", .date(let d)?): c.date = d.description
                    default: break
                    }
                }
                // A household checked twice counts once, as its latest check found it (by date, then clock, then op).
                var latest: [String: (finding: String, found: Int)] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.code AS finding, e.amount AS found, e.body AS body
                        FROM rec_event e WHERE e.subject = ? AND e.kind = 'householdCheck' AND \(Self.liveEvent)
                        ORDER BY e.date, e.hlc, e.op
                        """, arguments: [survey.hex])
                {
                    guard case .householdCheck(let check) = try Event.decode(Array(row["body"] as Data)).body else { continue }
                    latest[Self.householdKey(check.address)] = (row["finding"] ?? "", row["found"] ?? 0)
                }
                for (finding, found) in latest.values {
                    c.households += 1
                    c.childrenFound += found
                    c.byFinding[finding, default: 0] += 1
                }
                return c
            }
        }
    }
}
