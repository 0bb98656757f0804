import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

/// One row of a ledger's 登记表 as the notices lay it out, as of a day: who the child is and how
/// to reach the family, since when it is on the ledger and why, what was done (visits and
/// persuasion attempts dated by then), and who is responsible (the case's 七长负责制 names).
public struct LedgerRegisterRow: Sendable, Equatable {
    public let child: RecordID
    public let name: String?
    public let gender: Gender?
    public let birthDate: String?
    /// The whole ID number; whoever prints it masks it unless told otherwise.
    public let idNumber: String?
    public let school: String?
    public let grade: Int?
    public let className: String?
    public let hukouPlace: String?
    public let residence: String?
    public let guardianName: String?
    public let guardianPhone: String?
    /// The day the entry opened.
    public let since: String
    /// The status the child held on the day, with its reason.
    public let status: ChildStatus?
    public let statusReason: String?
    /// The reason category and words of the child's latest case (一人一案), if one was opened.
    public let caseReason: ReasonCategory?
    public let caseReasonText: String?
    public let visits: Int
    /// What the latest visit agreed with the family.
    public let lastAgreed: String?
    public let attempts: Int
    public let lastAttempt: PersuasionAttempt.Outcome?
    public let lastAttemptMethod: String?
    /// `role:name` elements of the case's responsible set.
    public let responsible: [String]
}

extension ChangeLog {
    /// The 登记表 of `ledger` (one school or all) as of `asOf`: the entries open that day (records.md §3.1),
    /// each with what was done by then. Voided events count nowhere; a voided child is left out.
    public func ledgerRegister(_ ledger: Ledger, school: String? = nil, asOf: SimpleDate) throws(StoreError) -> [LedgerRegisterRow] {
        let entries = try self.ledger(ledger, school: school, asOf: asOf)
        let statuses = try storeCall { try readDB { db in try Self.statusWrites(db) } }
        var history: [RecordID: [StatusWrite]] = [:]
        for write in statuses where write.fact.date <= asOf { history[write.child, default: []].append(write) }
        return try storeCall {
            try readDB { db in
                try entries.map { entry in
                    try Self.registerRow(db, entry, asOf: asOf, status: history[entry.child]?.max(by: StatusWrite.before)?.fact)
                }
            }
        }
    }

    private static func registerRow(_ db: Database, _ entry: LedgerRow, asOf: SimpleDate, status: StatusFact?) throws -> LedgerRegisterRow {
        let c = try Row.fetchOne(db, sql: "SELECT * FROM child_view WHERE child = ?", arguments: [entry.child.hex])
        let events = try Row.fetchAll(db, sql: """
            SELECT kind, body FROM rec_event e WHERE child = ? AND kind IN ('visit', 'persuasion') AND date <= ?
              AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = e.op)
            ORDER BY date, hlc, op
            """, arguments: [entry.child.hex, asOf.description]).compactMap { try? Event.decode(Array($0["body"] as Data)) }
        var visits = 0, attempts = 0
        var agreed: String?, attempt: PersuasionAttempt?
        for e in events {
            switch e.body {
            case .visit(let v): visits += 1; if !v.agreed.isEmpty { agreed = v.agreed }
            case .persuasion(let p): attempts += 1; attempt = p
            default: break
            }
        }
        // The child's latest case: the one whose `child` write came last.
        let caseFile = try String.fetchOne(db, sql: """
            SELECT record FROM rec_write WHERE kind = 'caseFile' AND field = 'child' AND live = 1 AND value = ?
            ORDER BY hlc DESC, op DESC LIMIT 1
            """, arguments: [FieldValue.text(entry.child.hex).storageText])
        func caseText(_ field: String) throws -> String? {
            guard let caseFile, let stored = try String.fetchOne(db, sql: """
                SELECT value FROM rec_write WHERE record = ? AND kind = 'caseFile' AND field = ? AND live = 1
                ORDER BY rank DESC, hlc DESC, author DESC, op DESC LIMIT 1
                """, arguments: [caseFile, field]), case .text(let t) = try FieldValue(storageText: stored) else { return nil }
            return t
        }
        let responsible = try caseFile.map { file in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT element FROM rec_element WHERE record = ? AND kind = 'caseFile' AND set_name = 'responsible' AND live = 1
                ORDER BY element
                """, arguments: [file])
        } ?? []
        return LedgerRegisterRow(
            child: entry.child, name: c?["name"], gender: (c?["gender"] as String?).flatMap(Gender.init(rawValue:)),
            birthDate: c?["birth_date"], idNumber: c?["id_number"], school: c?["school"], grade: c?["grade"], className: c?["class_name"],
            hukouPlace: c?["hukou_place"], residence: c?["residence"], guardianName: c?["guardian_name"],
                guardianPhone: c?["guardian_phone"],
            since: entry.since, status: status?.status, statusReason: status?.reason,
            caseReason: try caseText("reason").flatMap(ReasonCategory.init(rawValue:)), caseReasonText: try caseText("reasonText"),
            visits: visits, lastAgreed: agreed, attempts: attempts, lastAttempt: attempt?.outcome, lastAttemptMethod: attempt?.method,
            responsible: responsible
        )
    }
}
