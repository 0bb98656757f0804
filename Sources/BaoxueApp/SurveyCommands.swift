import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// A survey sweep (铁脚板摸排) and how far it has got.
public struct SurveyView: Codable, Equatable, Sendable {
    public let survey: String
    public let coverage: SurveyCoverage

    static func finding(_ raw: String, _ l: Language) -> String {
        switch HouseholdCheck.Finding(rawValue: raw) {
        case .allAttending: l.say(RegistryMessages.allChildrenInSchool)
        case .noHukou: l.say(RegistryMessages.childWithoutHouseholdRegistration)
        case .noStudentRegistration: l.say(RegistryMessages.childWithoutStudentRegistration)
        case .notAttending: l.say(RegistryMessages.childNotInSchool)
        case .householdAbsent: l.say(RegistryMessages.nobodyHome)
        case nil: raw
        }
    }

    public func lines(_ l: Language) -> [String] {
        [
            l.say(RegistryMessages.survey, survey, coverage.village ?? "?", coverage.date ?? ""),
            l.say(RegistryMessages.householdsCheckedSchoolAgeChildren, coverage.households, coverage.childrenFound),
        ]
            + coverage.byFinding.sorted { $0.key < $1.key }.map { "  \(Self.finding($0.key, l))：\($0.value)" }
    }
}

extension ReplicaCommands {
    /// Starts a sweep of `village` by `team`; returns its id for `survey household`.
    public static func surveyStart(
        directory: String, village: String, team: [String], date: SimpleDate?, scope: String?, language l: Language
    ) throws(AppError) -> String {
        try surveyStart(try open(directory), village: village, team: team, date: date, scope: scope, language: l)
    }

    static func surveyStart(
        _ replica: Replica, village: String, team: [String], date: SimpleDate?, scope: String?, language l: Language
    ) throws(AppError) -> String {
        try checkRole(replica, .recordVisit, l.say(RegistryMessages.surveyAction), l)
        let now = Replica.nowMilliseconds()
        let target = try importScope(replica, scope, at: now)
        let day = try BaoxueApp.day(date, at: now)
        let survey = RecordID.random()
        _ = try attempt { () throws(StoreError) in
            try replica.log.appendOperations(by: replica.key, scope: target, now: now) { _ throws(StoreError) in
                [
                    .set(kind: .survey, record: survey, field: "village", value: .text(village), pred: []),
                    .set(kind: .survey, record: survey, field: "date", value: .date(day), pred: []),
                ]
                    + team.map { .add(kind: .survey, record: survey, set: "team", element: $0) }
            }
        }
        return survey.hex
    }

    /// One household checked in a sweep, optionally about a known child.
    public static func surveyHousehold(
        directory: String, survey: String, check: HouseholdCheck, child: String?, date: SimpleDate?, scope: String?, language l: Language
    ) throws(AppError) -> SurveyView {
        try surveyHousehold(try open(directory), survey: survey, check: check, child: child, date: date, scope: scope, language: l)
    }

    static func surveyHousehold(
        _ replica: Replica, survey: String, check: HouseholdCheck, child: String?, date: SimpleDate?, scope: String?, language l: Language
    ) throws(AppError) -> SurveyView {
        guard let id = try? RecordID(hex: survey) else { throw .invalidArgument(option: "SURVEY", value: survey) }
        let childID = try child.map { c throws(AppError) in try resolveChild(replica.log, c, option: "--child") }
        try checkRole(replica, .recordVisit, l.say(RegistryMessages.householdCheck), l)
        let (coverage, home) = try attempt { () throws(StoreError) in
            (try replica.log.surveyCoverage(id), try replica.log.read { s throws(StoreError) in try s.scope(of: id) })
        }
        guard coverage.village != nil else { throw .surveyUnknown(survey) }
        let now = Replica.nowMilliseconds()
        let target = try importScope(replica, scope ?? home?.value, at: now)
        let day = try BaoxueApp.day(date, at: now)
        _ = try attempt { () throws(StoreError) in
            try replica.log.appendOperations(by: replica.key, scope: target, now: now) { _ throws(StoreError) in
                [.event(Event(child: childID, subject: id, date: day, body: .householdCheck(check)))]
            }
        }
        return SurveyView(survey: survey, coverage: try attempt { () throws(StoreError) in try replica.log.surveyCoverage(id) })
    }

    public static func survey(directory: String, survey: String) throws(AppError) -> SurveyView {
        try Self.survey(try open(directory), survey: survey)
    }

    static func survey(_ replica: Replica, survey: String) throws(AppError) -> SurveyView {
        guard let id = try? RecordID(hex: survey) else { throw .invalidArgument(option: "SURVEY", value: survey) }
        let log = replica.log
        let coverage = try attempt { () throws(StoreError) in try log.surveyCoverage(id) }
        guard coverage.village != nil else { throw .surveyUnknown(survey) }
        return SurveyView(survey: survey, coverage: coverage)
    }
}

extension ReplicaCommands {
    /// Marks an op entered by mistake void (`baoxue void OP --reason R`): it stays in the audit,
    /// stops counting in views and reports. The void goes to the scope of the change it names.
    public static func void(directory: String, op: String, reason: String, language l: Language) throws(AppError) -> RecordedView {
        guard let target = try? OpID(text: op) else { throw .invalidArgument(option: "OP", value: op) }
        let replica = try open(directory)
        try checkRole(replica, .voidRecord, l.say(RegistryMessages.void), l)
        guard let scope = try attempt({ () throws(StoreError) in try replica.log.scope(ofChange: target.change) }) else {
            throw .opUnknown(op)
        }
        let change = try attempt { () throws(StoreError) in
            try replica.log.appendOperations(by: replica.key, scope: scope, now: Replica.nowMilliseconds()) { _ throws(StoreError) in
                [.void(target: target, reason: reason)]
            }
        }
        return RecordedView(
            change: change.id.hex, entry: OpID(change: change.id, index: 0).text, child: "-",
            what: l.say(RegistryMessages.voidOperation, op), caseFile: nil, attachments: [])
    }
}
