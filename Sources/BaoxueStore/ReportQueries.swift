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
                let rows = try Row.fetchCursor(db, sql: "SELECT child, id_number FROM child_view WHERE id_number IS NOT NULL AND (?1 IS NULL OR school = ?1)",
                                               arguments: [school])
                while let row = try rows.next() { out[try RecordID(hex: row[0])] = row[1] }
                return out
            }
        }
    }

    /// Figures per school (sorted by name) for events dated `from`…`to` inclusive; `school` limits it to one.
    public func periodFigures(from: SimpleDate, to: SimpleDate, school: String? = nil) throws(StoreError) -> [PeriodFigures] {
        try storeCall {
            try readDB { db in
                var bySchool: [String: PeriodFigures] = [:]
                func add(_ s: String?, _ body: (inout PeriodFigures) -> Void) {
                    let key = s ?? ""
                    if let school, key != school { return }
                    var f = bySchool[key] ?? PeriodFigures(school: key)
                    body(&f)
                    bySchool[key] = f
                }
                for row in try Row.fetchAll(db, sql: "SELECT school, status, conflicts FROM child_view WHERE voided IS NULL") {
                    let status: String = row["status"] ?? ""
                    let conflicts: String = row["conflicts"]
                    add(row["school"]) { $0.children += 1; $0.byStatus[status, default: 0] += 1; if !conflicts.isEmpty { $0.conflicts += 1 } }
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT c.school AS school, l.ledger AS ledger FROM ledger_entry l JOIN child_view c ON c.child = l.child WHERE c.voided IS NULL
                    """) {
                    let dropout = (row["ledger"] as String) == Ledger.dropout.rawValue
                    add(row["school"]) { if dropout { $0.dropoutOpen += 1 } else { $0.suspectedOpen += 1 } }
                }
                let range: StatementArguments = [from.description, to.description]
                for row in try Row.fetchAll(db, sql: """
                    SELECT c.school AS school, COUNT(*) AS n FROM rec_opener o JOIN child_view c ON c.child = o.child
                    WHERE o.date BETWEEN ? AND ? GROUP BY c.school
                    """, arguments: range) {
                    let n: Int = row["n"]
                    add(row["school"]) { $0.ledgerOpened += n }
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT c.school AS school, COUNT(*) AS n FROM child_view c
                    WHERE c.status = 'returned' AND c.status_date BETWEEN ? AND ? GROUP BY c.school
                    """, arguments: range) {
                    let n: Int = row["n"]
                    add(row["school"]) { $0.returned += n }
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT c.school AS school, e.kind AS kind, COUNT(*) AS n,
                           SUM(CASE WHEN e.kind = 'homeTeaching' THEN e.amount ELSE 0 END) AS hours
                    FROM rec_event e JOIN child_view c ON c.child = e.child
                    WHERE e.date BETWEEN ? AND ? AND \(Self.liveEvent)
                    GROUP BY c.school, e.kind
                    """, arguments: range) {
                    let n: Int = row["n"], hours: Int = row["hours"] ?? 0, kind: String = row["kind"]
                    add(row["school"]) { f in
                        switch kind {
                        case "visit": f.visits += n
                        case "persuasion": f.persuasionAttempts += n
                        case "homeTeaching": f.homeTeachingSessions += n; f.homeTeachingHours += hours
                        case "absence": f.absences += n
                        case "verificationLetter": f.letters += n
                        default: break
                        }
                    }
                }
                // A close-out carries no date of its own: its signed change's clock (UTC day) dates it.
                for row in try Row.fetchAll(db, sql: "SELECT c.school AS school, x.hlc AS hlc FROM rec_closeout x JOIN child_view c ON c.child = x.child") {
                    let ms = UInt64(bitPattern: row["hlc"] as Int64) >> 16
                    guard let day = try? SimpleDate(unixMilliseconds: ms), day >= from, day <= to else { continue }
                    add(row["school"]) { $0.closedOut += 1 }
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
    /// What the survey's household checks add up to (voided checks do not count).
    public func surveyCoverage(_ survey: RecordID) throws(StoreError) -> SurveyCoverage {
        try storeCall {
            try readDB { db in
                var c = SurveyCoverage()
                for row in try Row.fetchAll(db, sql: """
                    SELECT field, value FROM rec_write WHERE record = ? AND kind = 'survey' AND live = 1 ORDER BY hlc
                    """, arguments: [survey.hex]) {
                    let field: String = row["field"]
                    let value = try? FieldValue(storageText: row["value"])
                    switch (field, value) {
                    case ("village", .text(let t)?): c.village = t
                    case ("date", .date(let d)?): c.date = d.description
                    default: break
                    }
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT e.code AS finding,
                           e.amount AS found
                    FROM rec_event e WHERE e.subject = ? AND e.kind = 'householdCheck' AND \(Self.liveEvent)
                    """, arguments: [survey.hex]) {
                    c.households += 1
                    c.childrenFound += row["found"] ?? 0
                    c.byFinding[row["finding"] ?? "", default: 0] += 1
                }
                return c
            }
        }
    }
}
