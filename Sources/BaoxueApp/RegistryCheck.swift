import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// 四查三比对: the household registry (户籍) against the student registry
/// (学籍), the children actually in school, and the poverty-household list.
/// Children are matched by ID number. A child with a household registration
/// but no student registration is a suspected never-enrolled child (失学); a
/// registered pupil not in school is a suspected dropout; both go on the
/// suspected-dropout ledger when applied. The others are reported for a
/// person to check.
public struct RegistryCheckView: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        public let child: String
        public let name: String
        public let poverty: Bool
    }
    /// In every list given: nothing to do.
    public let matched: Int
    /// 有户籍、无学籍: suspected never enrolled.
    public let noStudentRegistration: [Entry]
    /// 有学籍、不在校 (only with an attendance list): suspected dropout.
    public let notAttending: [Entry]
    /// 在校、无学籍: attending without registration (人籍分离), to regularise.
    public let attendingUnregistered: [Entry]
    /// 有学籍、无本地户籍: registered here, household elsewhere (migrant children), for information.
    public let householdElsewhere: [Entry]
    /// 有学籍、户籍在本区却不在户籍名单中: the household list is incomplete, or the child moved within the district.
    public let missingFromHouseholdList: [Entry]
    /// People of the household list outside compulsory-education age on the reference day: counted, never written.
    public let notOfSchoolAge: [Entry]
    /// The day ages are counted on (yyyy-MM-dd) and the ages of compulsory education.
    public let ageReference: String
    public let compulsoryAges: String
    /// The district the household list covers (given, or the common part of its 户籍地), if known.
    public let district: String?
    /// Rows refused per file (line and reason), as the import reports them.
    public let rejected: [String: [RosterRejection]]
    /// Whether the findings were written (`--apply`), and how many children got a change.
    public let applied: Bool
    public let childrenWritten: Int

    public func lines(_ l: Language) -> [String] {
        var out = [l.say(RegistryMessages.registryComparisonChildrenMatchIn, matched)]
        func section(_ title: String, _ entries: [Entry]) {
            out.append("\(title)：\(entries.count)")
            out += entries.map { "  \($0.name)（\($0.child)）" + ($0.poverty ? l.say(RegistryMessages.povertyHousehold) : "") }
        }
        section(
            l.say(RegistryMessages.householdRegistrationNoStudentRegistration), noStudentRegistration)
        section(l.say(RegistryMessages.registeredNotInSchoolSuspected), notAttending)
        section(l.say(RegistryMessages.inSchoolNotRegisteredRegister), attendingUnregistered)
        section(l.say(RegistryMessages.registeredHereHouseholdElsewhereFor), householdElsewhere)
        section(
            l.say(RegistryMessages.registeredHouseholdInDistrictBut),
            missingFromHouseholdList)
        out.append(
            l.say(RegistryMessages.onHouseholdListButNot, compulsoryAges, ageReference, notOfSchoolAge.count))
        for (file, rows) in rejected.sorted(by: { $0.key < $1.key }) where !rows.isEmpty {
            out.append(
                l.say(RegistryMessages.rowsNotCompared, file, rows.count)
                    + rows.map { "\($0.line): \($0.reason)" }.joined(separator: "; ") + l.say(Punctuation.closingParenthesis))
        }
        out.append(
            applied
                ? l.say(RegistryMessages.writtenForChildrenSuspectedCases, childrenWritten)
                : l.say(RegistryMessages.comparedOnlyNothingWrittenAdd))
        return out
    }
}

extension ReplicaCommands {
    /// Compares the lists; with `apply`, adds the children not yet held, marks the suspected
    /// cases (only where no other status than "enrolled" is recorded) and flags poverty.
    public static func checkRegistries(
        directory: String, huji: String, xueji: String, attending: String?, poverty: String?, scope: String?, apply: Bool,
        ageOn: SimpleDate? = nil, district given: String? = nil, base: Policy = .fengnan, language l: Language
    ) throws(AppError) -> RegistryCheckView {
        let replica = try open(directory)
        let now = Replica.nowMilliseconds()
        let today = try day(at: now)
        // The ages are those of the policy in force today for the school's district.
        let target = try importScope(replica, scope, at: now)
        let policy = try attempt { () throws(StoreError) in try replica.log.policyBook(base: base) }.policy(for: target, on: today)
        let reference = ageOn ?? policy.ageReference(today: today)
        let key = try attempt { () throws(StoreError) in try replica.log.registryKeyForImport() }
        func plan(_ path: String, _ source: RosterSource) throws(AppError) -> RosterPlan {
            try RosterPlan(try RosterFile.read(path), source: source, path: path, today: today, registryKey: key, language: l)
        }
        let household = try plan(huji, .huji)
        let registered = try plan(xueji, .xueji)
        let inSchool = try attending.map { p throws(AppError) in try plan(p, .xueji) }
        let poor = try poverty.map { p throws(AppError) in try plan(p, .poverty) }

        // Only children of compulsory-education age are compared; the rest of each household is counted.
        let (ofAge, notOfAge) = household.bySchoolAge(policy, on: reference)
        let district = given ?? Self.district(of: household.rows.compactMap { $0.text("hukouPlace") })
        let h = Dictionary(ofAge.map { ($0.child, $0) }, uniquingKeysWith: { a, _ in a })
        let listed = Set(household.rows.map(\.child))
        let x = Dictionary(registered.rows.map { ($0.child, $0) }, uniquingKeysWith: { a, _ in a })
        let a = inSchool.map { Set($0.rows.map(\.child)) }
        let p = Set(poor?.rows.map(\.child) ?? [])
        func entry(_ row: RosterRow) -> RegistryCheckView.Entry {
            let name = row.fields.first { $0.0 == "name" }.flatMap { if case .text(let t) = $0.1 { t } else { nil } } ?? "?"
            return .init(child: row.child.hex, name: name, poverty: p.contains(row.child))
        }
        let byName: (RegistryCheckView.Entry, RegistryCheckView.Entry) -> Bool = { ($0.name, $0.child) < ($1.name, $1.child) }
        let noRegistration = ofAge.filter { x[$0.child] == nil }
        let notAttending = a.map { present in registered.rows.filter { !present.contains($0.child) } } ?? []
        let unregistered = inSchool?.rows.filter { x[$0.child] == nil } ?? []
        let absent = registered.rows.filter { !listed.contains($0.child) }
        func inDistrict(_ row: RosterRow) -> Bool {
            guard let district, let place = row.text("hukouPlace") else { return false }
            return place.hasPrefix(district)
        }
        let elsewhere = absent.filter { !inDistrict($0) }
        let missing = absent.filter(inDistrict)
        let matched = ofAge.filter { x[$0.child] != nil && (a?.contains($0.child) ?? true) }.count

        var written = 0
        if apply {
            // Every child of the registries, each with its fields (the student registry's win), the finding's status and the poverty flag.
            var work: [(row: RosterRow, status: StatusFact?)] = []
            let suspicious: [RecordID: StatusFact] = Dictionary(
                uniqueKeysWithValues:
                    noRegistration.map { ($0.child, StatusFact(status: .neverEnrolled, date: today, reason: "四查三比对：有户籍、无学籍")) }
                    + notAttending.map { ($0.child, StatusFact(status: .suspectedDropout, date: today, reason: "四查三比对：有学籍、不在校")) })
            for child in Set(h.keys).union(x.keys).sorted() {
                let fields =
                    (h[child]?.fields ?? []).filter { f in !(x[child]?.fields.contains { $0.0 == f.0 } ?? false) }
                    + (x[child]?.fields ?? [])
                work.append((RosterRow(line: 0, child: child, fields: fields), suspicious[child]))
            }
            /// One group's ops against what the replica shows, and how many children they touch.
            func ops(
                _ group: ArraySlice<(row: RosterRow, status: StatusFact?)>, _ s: RecordSnapshot
            ) throws(StoreError) -> (ops: [RecordOp], children: Int) {
                var ops: [RecordOp] = []
                var children = 0
                for (row, suspect) in group {
                    var mine: [RecordOp] = []
                    let current = try s.childRow(row.child)
                    for (field, value) in changes(row, current.fields) where field != "status" || suspect == nil {
                        // The lists' values are registry defaults; the ledger statuses below are the admin's decision.
                        guard let pred = try s.registryPred(kind: .child, record: row.child, field: field) else { continue }
                        mine.append(.registryDefault(kind: .child, record: row.child, field: field, value: value, pred: pred))
                    }
                    var shown: ChildStatus?
                    if case .status(let f)? = current.fields["status"] { shown = f.status }
                    if let suspect, shown == nil || shown == .enrolled {
                        mine.append(
                            .set(
                                kind: .child, record: row.child, field: "status", value: .status(suspect),
                                pred: try s.liveOps(kind: .child, record: row.child, field: "status")))
                    }
                    if p.contains(row.child), !current.focus.contains(.poverty) {
                        mine.append(.add(kind: .child, record: row.child, set: "focus", element: FocusGroup.poverty.rawValue))
                    }
                    if !mine.isEmpty { children += 1 }
                    ops += mine
                }
                return (ops, children)
            }
            for start in stride(from: 0, to: work.count, by: 12) {
                let group = work[start..<min(work.count, start + 12)]
                let planned = try attempt { () throws(StoreError) in try replica.log.read { s throws(StoreError) in try ops(group, s) } }
                guard !planned.ops.isEmpty else { continue }
                _ = try attempt { () throws(StoreError) in
                    try replica.log.appendOperations(by: replica.key, scope: target, now: Replica.nowMilliseconds()) {
                        s throws(StoreError) in try ops(group, s).ops
                    }
                }
                written += planned.children
            }
        }
        var rejected = [huji: household.rejected, xueji: registered.rejected]
        if let attending, let inSchool { rejected[attending] = inSchool.rejected }
        if let poverty, let poor { rejected[poverty] = poor.rejected }
        return RegistryCheckView(
            matched: matched, noStudentRegistration: noRegistration.map(entry).sorted(by: byName),
            notAttending: notAttending.map(entry).sorted(by: byName),
            attendingUnregistered: unregistered.map(entry).sorted(by: byName), householdElsewhere: elsewhere.map(entry).sorted(by: byName),
            missingFromHouseholdList: missing.map(entry).sorted(by: byName), notOfSchoolAge: notOfAge.map(entry).sorted(by: byName),
            ageReference: reference.description, compulsoryAges: "\(policy.compulsoryAges.lowerBound)–\(policy.compulsoryAges.upperBound)",
            district: district, rejected: rejected, applied: apply, childrenWritten: written)
    }

    /// The district a household list covers: the common beginning of its 户籍地, up to its last
    /// 区, 县, 市 or 旗 (e.g. 唐山市丰南区); nil when the list is too short or has none.
    static func district(of places: [String]) -> String? {
        guard places.count >= 2, var common = places.first.map(Array.init) else { return nil }
        for place in places.dropFirst() {
            common = Array(zip(common, place).prefix { $0 == $1 }.map(\.0))
        }
        guard let end = common.lastIndex(where: { "区县市旗".contains($0) }) else { return nil }
        return String(common[...end])
    }
}
