import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTrust
import Foundation

/// A district's policy as `baoxue policy` publishes and shows it (trust.md §9): a signed `_admin`
/// change by a district admin, in force from its date for the records of its district.
public enum PolicyCommands {
    /// What `policy show` prints: every policy held, and the rules in force for one district on one day.
    public struct Shown: Sendable, Encodable {
        /// One policy a district published, as listed: its thresholds by their wire names.
        public struct Published: Sendable, Encodable {
            public let district: String
            public let effective: String
            public let change: String
            public let rules: [String: Int]
        }
        public let published: [Published]
        public let district: String?
        public let on: String
        /// Nil: the built-in rules (the Fengnan notice), as no policy of the district is in force.
        public let inForce: String?
        public let rules: [String: Int]

        public func text(_ l: Language) -> String {
            var lines: [String] = []
            let whose = district ?? l.say(PolicyMessages.noDistrictGiven)
            lines.append(
                l.say(PolicyMessages.rulesInForceForOn, whose, on)
                    + (inForce.map { l.say(PolicyMessages.inForceFrom, $0) }
                        ?? l.say(PolicyMessages.builtInFengnanNotice)))
            for field in DistrictPolicy.Field.allCases {
                lines.append("  " + PolicyText.label(field, l) + l.say(Punctuation.colon) + "\(rules[field.name] ?? 0)")
            }
            lines.append(
                published.isEmpty
                    ? l.say(PolicyMessages.noDistrictHasPublishedPolicy)
                    : l.say(PolicyMessages.publishedPolicies))
            for p in published {
                lines.append(
                    l.say(PolicyMessages.inForceFromChange, p.district, p.effective, p.change.prefix(12)))
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Publishes the policy of `district` from `effective` on: the thresholds given, the others those
    /// in force for the district on that day. Refuses a device that is not a district admin over the
    /// district, a date before today, and any threshold out of its range (listing the range).
    public static func publish(
        directory: String, district given: String?, effective: SimpleDate?, values: [DistrictPolicy.Field: Int],
        now: UInt64 = Replica.nowMilliseconds()
    ) throws(AppError) -> (policy: DistrictPolicy, applied: Bool) {
        let replica = try ReplicaCommands.open(directory)
        let role = try attempt { () throws(StoreError) in try replica.log.holder(of: replica.key.publicKey) }?.role
        guard role == .districtAdmin else {
            throw .trust(role.map { .roleForbids(role: $0, operation: .administer) } ?? .noCertificate(replica.key.publicKey))
        }
        let district = try ReplicaCommands.importScope(replica, given, at: now)
        let today = try BaoxueApp.day(at: now)
        let from = effective ?? today
        guard from >= today else { throw .invalidArgument(option: "--effective", value: from.description) }
        var rules = try attempt { () throws(StoreError) in try replica.log.policyBook() }.policy(for: district, on: from)
        for field in DistrictPolicy.Field.allCases {
            guard let v = values[field] else { continue }
            guard field.range.contains(v) else { throw .valueOutOfRange(option: PolicyText.option(field), value: v, allowed: field.range) }
            field.set(v, in: &rules)
        }
        let policy: DistrictPolicy
        do { policy = try DistrictPolicy(district: district, effective: from, rules: rules) } catch {
            throw .invalidArgument(option: "--age-reference", value: "\(rules.ageReferenceMonth)-\(rules.ageReferenceDay)")
        }
        let change = try attempt { () throws(StoreError) in
            try replica.write(scope: .admin, payload: AdminPayload.policy(policy).encoded, now: now)
        }
        let applied = try attempt { () throws(StoreError) in try replica.log.quarantined() }.allSatisfy { $0.id != change.id }
        return (policy, applied)
    }

    /// Every policy held, and the rules in force for `district` (default: the device's one scope) on `day`.
    public static func show(directory: String, district given: String?, on day: SimpleDate?) throws(AppError) -> Shown {
        let replica = try ReplicaCommands.open(directory)
        let now = Replica.nowMilliseconds()
        let district: ScopeID?
        if let given {
            guard let scope = try? ScopeID(given), scope != .admin else { throw .invalidArgument(option: "--district", value: given) }
            district = scope
        } else {
            district = try? ReplicaCommands.importScope(replica, nil, at: now) as ScopeID
        }
        let on = try BaoxueApp.day(day, at: now)
        let book = try attempt { () throws(StoreError) in try replica.log.policyBook() }
        let rules = book.policy(for: district, on: on)
        func values(_ p: Policy) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: DistrictPolicy.Field.allCases.map { ($0.name, $0.value(in: p)) })
        }
        return Shown(
            published: book.entries.map {
                .init(
                    district: $0.policy.district.value, effective: $0.policy.effective.description, change: $0.change.hex,
                    rules: values($0.policy.rules))
            },
            district: district?.value, on: on.description, inForce: book.entry(for: district, on: on)?.policy.effective.description,
            rules: values(rules))
    }
}

/// The words people read for each threshold, and the CLI option that sets it.
public enum PolicyText {
    public static func label(_ field: DistrictPolicy.Field, _ l: Language) -> String {
        switch field {
        case .absenceDays: l.say(PolicyMessages.unexcusedSchoolDaysInRow)
        case .leaveDaysRequiringVisit: l.say(PolicyMessages.leaveLongerThanThisMany)
        case .contactIntervalDays: l.say(PolicyMessages.contactAtLeastEveryThis)
        case .sessionsPerMonth: l.say(PolicyMessages.homeTeachingSessionsMonthAt)
        case .classHoursPerSession: l.say(PolicyMessages.classHoursSession)
        case .classHoursPerSemester: l.say(PolicyMessages.classHoursSemesterAtLeast)
        case .classHourMinutes: l.say(PolicyMessages.minutesClassHour)
        case .caseAttemptIntervalDays: l.say(PolicyMessages.daysWithoutPersuasionAttemptBefore)
        case .firstAge: l.say(PolicyMessages.firstAgeOfCompulsoryEducation)
        case .lastAge: l.say(PolicyMessages.lastAgeOfCompulsoryEducation)
        case .referenceMonth: l.say(PolicyMessages.ageReferenceDayMonth)
        case .referenceDay: l.say(PolicyMessages.ageReferenceDayDay)
        }
    }

    public static func option(_ field: DistrictPolicy.Field) -> String {
        switch field {
        case .absenceDays: "--absence-days"
        case .leaveDaysRequiringVisit: "--leave-days"
        case .contactIntervalDays: "--contact-days"
        case .sessionsPerMonth: "--sessions-per-month"
        case .classHoursPerSession: "--hours-per-session"
        case .classHoursPerSemester: "--hours-per-semester"
        case .classHourMinutes: "--class-hour-minutes"
        case .caseAttemptIntervalDays: "--case-attempt-days"
        case .firstAge, .lastAge: "--ages"
        case .referenceMonth, .referenceDay: "--age-reference"
        }
    }
}
