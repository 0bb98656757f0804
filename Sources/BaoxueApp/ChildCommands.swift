import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueStore
import Foundation

/// A child as `baoxue child show` prints it: every field shown, conflicts
/// named, the ID number masked unless asked for in full.
public struct ChildCard: Codable, Equatable, Sendable {
    public let child: String
    public let fields: [String: String]
    public let conflicts: [String]
    public let focus: [String]

    /// Field names in the order a school form lists them (their labels: `Language.fieldName`).
    static let order = [
        "name", "gender", "birthDate", "idNumber", "studentNumber", "school", "grade", "className", "status", "hukouPlace",
        "residence", "village", "guardianName", "guardianPhone", "voided",
    ]

    public func lines(_ l: Language) -> [String] {
        var out = [l.say(ChildMessages.child, child)]
        for field in Self.order {
            guard let value = fields[field] else { continue }
            let mark = conflicts.contains(field) ? l.say(ChildMessages.inConflictToSettle) : ""
            out.append("  \(l.fieldName(field)): \(value)\(mark)")
        }
        if !focus.isEmpty {
            out.append("  " + l.say(ChildMessages.focusGroups) + focus.joined(separator: l.say(Punctuation.listSeparator)))
        }
        return out
    }
}

extension ReplicaCommands {
    /// One child's card; `full` shows the whole ID number and birth date (otherwise the ID's last 4
    /// digits and the birth year only, which together do not rebuild the number).
    public static func child(
        directory: String, child: String, full: Bool, language l: Language
    ) throws(AppError) -> ChildCard {
        try Self.child(try open(directory), child: child, full: full, language: l)
    }

    static func child(
        _ replica: Replica, child: String, full: Bool, language l: Language
    ) throws(AppError) -> ChildCard {
        let log = replica.log
        let id = try resolveChild(log, child)
        let row = try attempt { () throws(StoreError) in try log.read { s throws(StoreError) in try s.childRow(id) } }
        guard !row.fields.isEmpty else { throw .childUnknown(child) }
        var fields: [String: String] = [:]
        for (field, value) in row.fields { fields[field] = text(field, value, full: full, l) }
        return ChildCard(
            child: id.hex, fields: fields, conflicts: row.conflicts,
            focus: row.focus.map { l.label($0) })
    }

    static func text(_ field: String, _ value: FieldValue, full: Bool, _ l: Language) -> String {
        switch (field, value) {
        case ("idNumber", .text(let t)): return full ? t : RosterPlan.mask(t)
        case ("birthDate", .date(let d)): return full ? d.description : RosterPlan.maskBirthDate(d.description)
        case ("gender", .text(let t)): return Gender(rawValue: t).map { l.label($0) } ?? t
        case (_, .text(let t)): return t
        case (_, .number(let n)): return String(n)
        case (_, .date(let d)): return d.description
        case (_, .status(let f)): return "\(l.label(f.status))（\(f.date)，\(f.reason)）"
        }
    }

    /// Children a person may mean by `text` (`ChangeLog.findChildren`: name, school, class, village,
    /// id prefix, 学籍号, phone, ID number or its tail), and the child whose ID number or 学籍号 derives
    /// exactly this id (a record known only by its events' id).
    public static func searchChildren(directory: String, text: String, school: String?) throws(AppError) -> [ChildView] {
        try searchChildren(open(directory).log, text: text, school: school)
    }

    static func searchChildren(_ log: ChangeLog, text: String, school: String?, limit: Int = 100_000) throws(AppError) -> [ChildView] {
        let key = try attempt { () throws(StoreError) in try log.registryKey()?.key }
        let exact =
            key.map {
                [
                    RosterPlan.child(idNumber: text.uppercased(), studentNumber: nil, key: $0),
                    RosterPlan.child(idNumber: nil, studentNumber: text, key: $0),
                ]
            } ?? []
        var found: [ChildView] = []
        for id in exact.compactMap({ $0 }) {
            if let c = try attempt({ () throws(StoreError) in try log.child(id) }), c.voided == nil, school == nil || c.school == school {
                found.append(c)
            }
        }
        let matches = try attempt { () throws(StoreError) in try log.findChildren(text, school: school, limit: limit) }
        return found + matches.filter { !found.contains($0) }
    }

    /// The child a person means by `text`: a whole record id as is; otherwise the one child that
    /// `searchChildren` finds (a name, a short id prefix, an ID number, its tail, a 学籍号, a phone).
    /// Several: refused with the list to choose from; none: refused with how to search.
    public static func resolveChild(_ log: ChangeLog, _ text: String, option: String = "CHILD") throws(AppError) -> RecordID {
        // A provisional child merged into a registry child is that child from then on (records.md §3.3).
        if let id = try? RecordID(hex: text) { return try attempt { () throws(StoreError) in try log.canonicalChild(id) } }
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { throw .invalidArgument(option: option, value: text) }
        let found = try searchChildren(log, text: t, school: nil)
        // An exact name wins over names that merely contain it (王芳 is not 王芳芳).
        let exactName = found.filter { $0.name == t }
        let candidates = exactName.isEmpty ? found : exactName
        guard let first = candidates.first else { throw .childUnknown(text) }
        guard candidates.count == 1 else {
            throw .childAmbiguous(
                text,
                choices: candidates.prefix(20).map { c in
                    ChildChoice(id: c.child.hex, name: c.name ?? "", school: c.school ?? "", className: c.className ?? "", grade: c.grade)
                }, more: max(0, candidates.count - 20))
        }
        return first.child
    }

    /// The open entries of the three ledgers (all children, suspected dropouts, dropouts).
    public static func ledger(
        directory: String, which: Ledger?, school: String?
    ) throws(AppError) -> [LedgerRow] {
        try ledger(try open(directory), which: which, school: school)
    }

    static func ledger(
        _ replica: Replica, which: Ledger?, school: String?
    ) throws(AppError) -> [LedgerRow] {
        let log = replica.log
        return try attempt { () throws(StoreError) in try log.ledger(which ?? .suspectedDropout, school: school) }
    }
}
