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

    public init() {}

    /// The Fengnan notice's rules.
    public static let fengnan = Policy()
}
