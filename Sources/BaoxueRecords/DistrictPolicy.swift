import BaoxueCore

/// A district's rules as its admin published them (trust.md §9): the thresholds of `Policy` for
/// the records of one scope and everything below it, in force from a date on.
///
/// Invariant: every threshold lies in its range (`Field`), `district` is a record scope (not
/// `_admin`), and `encoded` is the one canonical encoding, which `decode` reproduces byte for byte.
/// A policy never rewrites the past: the gate refuses one whose effective date is before the day
/// it was signed (`takesEffect(signedOn:)`).
public struct DistrictPolicy: Sendable, Equatable {
    public let district: ScopeID
    public let effective: SimpleDate
    public let rules: Policy

    public static let version: UInt8 = 1

    public init(district: ScopeID, effective: SimpleDate, rules: Policy) throws(RecordsError) {
        guard district != .admin else { throw .invalidField("district", reason: "_admin holds no records") }
        for field in Field.allCases where !field.range.contains(field.value(in: rules)) {
            throw .invalidField(field.name, reason: "must be \(field.range.lowerBound)–\(field.range.upperBound)")
        }
        guard rules.compulsoryAges.lowerBound <= rules.compulsoryAges.upperBound else {
            throw .invalidField("compulsoryAges", reason: "first age after last")
        }
        guard (try? SimpleDate(year: 2001, month: rules.ageReferenceMonth, day: rules.ageReferenceDay)) != nil else {
            throw .invalidField("ageReference", reason: "not a day of a common year")
        }
        guard (2000...2200).contains(effective.year) else { throw .invalidField("effective", reason: "must be 2000–2200") }
        self.district = district
        self.effective = effective
        self.rules = rules
    }

    /// The thresholds a policy carries, in their order on the wire, each a `u16` with its range.
    public enum Field: Int, CaseIterable, Sendable {
        case absenceDays, leaveDaysRequiringVisit, contactIntervalDays, sessionsPerMonth, classHoursPerSession
        case classHoursPerSemester, classHourMinutes, caseAttemptIntervalDays, firstAge, lastAge, referenceMonth, referenceDay

        public var name: String {
            ["absenceDays", "leaveDays", "contactDays", "sessionsPerMonth", "hoursPerSession", "hoursPerSemester",
             "classHourMinutes", "caseAttemptDays", "firstAge", "lastAge", "referenceMonth", "referenceDay"][rawValue]
        }

        public var range: ClosedRange<Int> {
            switch self {
            case .absenceDays: 1...30
            case .leaveDaysRequiringVisit: 1...183
            case .contactIntervalDays, .caseAttemptIntervalDays: 1...92
            case .sessionsPerMonth: 1...31
            case .classHoursPerSession: 1...12
            case .classHoursPerSemester: 1...600
            case .classHourMinutes: 10...120
            case .firstAge, .lastAge: 3...20
            case .referenceMonth: 1...12
            case .referenceDay: 1...31
            }
        }

        public func value(in p: Policy) -> Int {
            switch self {
            case .absenceDays: p.unexcusedAbsenceDaysForLedger
            case .leaveDaysRequiringVisit: p.leaveDaysRequiringVisit
            case .contactIntervalDays: p.contactIntervalDays
            case .sessionsPerMonth: p.homeTeachingSessionsPerMonth
            case .classHoursPerSession: p.homeTeachingClassHoursPerSession
            case .classHoursPerSemester: p.homeTeachingClassHoursPerSemester
            case .classHourMinutes: p.classHourMinutes
            case .caseAttemptIntervalDays: p.caseAttemptIntervalDays
            case .firstAge: p.compulsoryAges.lowerBound
            case .lastAge: p.compulsoryAges.upperBound
            case .referenceMonth: p.ageReferenceMonth
            case .referenceDay: p.ageReferenceDay
            }
        }

        /// `p` with this threshold set (the ages keep a valid range: a first age after the last moves both).
        public func set(_ v: Int, in p: inout Policy) {
            switch self {
            case .absenceDays: p.unexcusedAbsenceDaysForLedger = v
            case .leaveDaysRequiringVisit: p.leaveDaysRequiringVisit = v
            case .contactIntervalDays: p.contactIntervalDays = v
            case .sessionsPerMonth: p.homeTeachingSessionsPerMonth = v
            case .classHoursPerSession: p.homeTeachingClassHoursPerSession = v
            case .classHoursPerSemester: p.homeTeachingClassHoursPerSemester = v
            case .classHourMinutes: p.classHourMinutes = v
            case .caseAttemptIntervalDays: p.caseAttemptIntervalDays = v
            case .firstAge: p.compulsoryAges = v...max(v, p.compulsoryAges.upperBound)
            case .lastAge: p.compulsoryAges = min(v, p.compulsoryAges.lowerBound)...v
            case .referenceMonth: p.ageReferenceMonth = v
            case .referenceDay: p.ageReferenceDay = v
            }
        }
    }

    /// `u8` version ‖ `u8` length, district ‖ `u16` year, `u8` month, `u8` day ‖ each `Field` as `u16`, big-endian.
    public var encoded: [UInt8] {
        var out: [UInt8] = [Self.version, UInt8(district.utf8.count)] + district.utf8
        out += [UInt8(effective.year >> 8), UInt8(effective.year & 0xff), UInt8(effective.month), UInt8(effective.day)]
        for field in Field.allCases {
            let v = field.value(in: rules)
            out += [UInt8(v >> 8), UInt8(v & 0xff)]
        }
        return out
    }

    /// The one strict parser: exact length, known version, every field in range.
    public static func decode(_ bytes: [UInt8]) throws(RecordsError) -> DistrictPolicy {
        guard bytes.count >= 2, bytes[0] == version else { throw .invalidField("policy", reason: "unknown version") }
        let length = Int(bytes[1])
        let fixed = 4 + 2 * Field.allCases.count
        guard bytes.count == 2 + length + fixed else { throw .invalidField("policy", reason: "wrong length") }
        let district: ScopeID
        do { district = try ScopeID(String(decoding: bytes[2..<(2 + length)], as: UTF8.self)) } catch {
            throw .invalidField("district", reason: "not a scope")
        }
        guard district.utf8 == Array(bytes[2..<(2 + length)]) else { throw .invalidField("district", reason: "not UTF-8") }
        var at = 2 + length
        func u16() -> Int { defer { at += 2 }; return Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
        let year = u16(), month = Int(bytes[at]), day = Int(bytes[at + 1])
        at += 2
        let effective = try SimpleDate(year: year, month: month, day: day)
        var rules = Policy()
        var values: [Field: Int] = [:]
        for field in Field.allCases { values[field] = u16() }
        // Ages as a pair, so the order fields are set in cannot clamp one against the other.
        for field in Field.allCases where field != .firstAge && field != .lastAge { field.set(values[field]!, in: &rules) }
        let first = values[.firstAge]!, last = values[.lastAge]!
        guard first <= last else { throw .invalidField("compulsoryAges", reason: "first age after last") }
        rules.compulsoryAges = first...last
        let policy = try DistrictPolicy(district: district, effective: effective, rules: rules)
        guard policy.encoded == bytes else { throw .invalidField("policy", reason: "not canonical") }
        return policy
    }

    /// Whether a policy signed on `day` may take effect: never before the day it was signed.
    public func takesEffect(signedOn day: SimpleDate) -> Bool { effective >= day }
}
