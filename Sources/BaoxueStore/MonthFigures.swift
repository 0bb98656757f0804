import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

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
        let survey = try monthHouseholdChecks(scope: scope, from: from, to: to)
        counts += [survey.checked, survey.withFindings]
        do { return try PublishedFigures(school: scope, year: from.year, month: from.month, counts: counts) } catch {
            throw .invalidRecord(error)
        }
    }

    /// 摸排 in the month `from`…`to`: households checked by changes of `scope` (or a scope under it), each
    /// counted once — as its latest check that month found it (by date, clock, op) — and those of them where
    /// a child had no household registration, no student registration or was not in school.
    public func monthHouseholdChecks(
        scope: ScopeID, from: SimpleDate, to: SimpleDate
    ) throws(StoreError) -> (checked: Int, withFindings: Int) {
        try storeCall {
            try readDB { db in
                let below = scope.value + "/"
                var latest: [String: String] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.code AS finding, e.body AS body FROM rec_event e JOIN change c ON c.id = substr(e.op, 1, 32)
                        WHERE e.kind = 'householdCheck' AND e.date BETWEEN ? AND ? AND (c.scope = ? OR substr(c.scope, 1, ?) = ?)
                          AND \(Self.liveEvent)
                        ORDER BY e.date, e.hlc, e.op
                        """, arguments: [from.description, to.description, scope.value, below.unicodeScalars.count, below])
                {
                    guard case .householdCheck(let check) = try Event.decode(Array(row["body"] as Data)).body else { continue }
                    latest[Self.householdKey(check.address)] = row["finding"] ?? ""
                }
                let flagged: Set<String> = [
                    HouseholdCheck.Finding.noHukou.rawValue, HouseholdCheck.Finding.noStudentRegistration.rawValue,
                    HouseholdCheck.Finding.notAttending.rawValue,
                ]
                return (latest.count, latest.values.filter { flagged.contains($0) }.count)
            }
        }
    }
}
