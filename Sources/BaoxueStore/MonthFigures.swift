import BaoxueCore
import BaoxueRecords

extension ChangeLog {
    /// What a school publishes for the month `from`…`to` (trust.md §10): the monthly report's summary
    /// summed over the children this replica holds (of `schoolName` when given), the follow-ups of the
    /// children returned 1, 3 and 6 months before, and the home-teaching hours the policy in force for
    /// `scope` on the month's last day asks (sessions a month × class hours a session × children).
    /// The one computation the CLI, the field app and the county simulator publish.
    public func monthFigures(
        scope: ScopeID, from: SimpleDate, to: SimpleDate, schoolName: String? = nil
    ) throws(StoreError)
        -> PublishedFigures
    {
        let rows = try periodFigures(from: from, to: to, school: schoolName)
        let followUps = try monthFollowUps(from: from, to: to, school: schoolName)
        let policy = try policyBook().policy(for: scope, on: to)
        let measures: [(PeriodFigures) -> Int] = [
            \.children, { $0.byStatus["enrolled"] ?? 0 }, \.suspectedOpen, \.dropoutOpen, \.ledgerOpened, \.closedOut, \.returned,
            \.visits, \.persuasionAttempts, \.homeTeachingSessions, \.homeTeachingHours, \.conflicts,
        ]
        var counts = measures.map { m in rows.reduce(0) { $0 + m($1) } }
        for (returned, stayed) in zip(followUps.returned, followUps.stayed) { counts += [returned, stayed] }
        counts += [
            followUps.homeTeachingChildren,
            followUps.homeTeachingChildren * policy.homeTeachingSessionsPerMonth * policy.homeTeachingClassHoursPerSession,
        ]
        do { return try PublishedFigures(school: scope, year: from.year, month: from.month, counts: counts) } catch {
            throw .invalidRecord(error)
        }
    }
}
