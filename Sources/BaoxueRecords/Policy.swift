/// The district's rules from its notices, in one value. Defaults follow the
/// Fengnan 2025 notice (seeds/000): 3+ days of unexcused absence puts a
/// child on the suspected-dropout ledger; leave over 7 days needs a home
/// visit and contact every 1–2 weeks; home teaching 2–3 sessions a month,
/// 2 class hours each, at least 20 class hours a semester, 30 minutes each.
public struct Policy: Sendable, Equatable, Codable {
    public var unexcusedAbsenceDaysForLedger = 3
    public var leaveDaysRequiringVisit = 7
    /// Contact at least every this many days during long leave (the notice: 1–2 weeks).
    public var contactIntervalDays = 14
    public var homeTeachingSessionsPerMonth = 2
    public var homeTeachingClassHoursPerSession = 2
    public var homeTeachingClassHoursPerSemester = 20
    public var classHourMinutes = 30
    /// An open case with no persuasion attempt for this many days is flagged.
    public var caseAttemptIntervalDays = 14
    /// How far into the future an event date may lie, against the signing device's clock.
    public var clockToleranceDays = 1

    /// Ages of compulsory education (义务教育), in full years on the reference day.
    public var compulsoryAges = 6...15
    /// The reference day of a school year's ages: 31 August, as the notices count.
    public var ageReferenceMonth = 8
    public var ageReferenceDay = 31

    public init() {}

    /// The reference day of the school year `today` falls in: this year's when it is past, else last year's.
    public func ageReference(today: SimpleDate) -> SimpleDate {
        let thisYear = (try? SimpleDate(year: today.year, month: ageReferenceMonth, day: ageReferenceDay)) ?? today
        guard thisYear > today else { return thisYear }
        return (try? SimpleDate(year: today.year - 1, month: ageReferenceMonth, day: ageReferenceDay)) ?? today
    }

    /// Full years from `birth` to `day`.
    public static func age(born birth: SimpleDate, on day: SimpleDate) -> Int {
        day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day) ? 1 : 0)
    }

    /// Whether someone born on `birth` is of compulsory-education age on `reference`.
    public func isOfCompulsoryAge(born birth: SimpleDate, on reference: SimpleDate) -> Bool {
        compulsoryAges.contains(Self.age(born: birth, on: reference))
    }

    /// The Fengnan notice's rules.
    public static let fengnan = Policy()
}
