import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

/// What a month adds to the monthly report for the bureau (issue 24 §3): the follow-up of children
/// who returned (巩固) — of those returned 1, 3 and 6 months before, how many are not back on a
/// dropout status at this month's end — and the children taught at home then.
///
/// Invariant: as `periodFigures`, computed as of the month's end from the facts' own dates, so the
/// same log gives the same answer whenever it is asked.
public struct MonthFollowUps: Sendable, Equatable {
    /// Months back the cohorts are taken from.
    public static let monthsBack = [1, 3, 6]
    /// Per entry of `monthsBack`: children with a 劝返复学 status dated in that month.
    public var returned: [Int]
    /// Per entry of `monthsBack`: those of `returned` whose status at this month's end is not
    /// suspected dropout, dropout or never enrolled.
    public var stayed: [Int]
    /// Children whose status at the month's end is home teaching (送教上门).
    public var homeTeachingChildren = 0
}

extension ChangeLog {
    /// The follow-ups for the month `from`…`to` (its first and last day), of one school (by the name
    /// the register gives it) or all.
    public func monthFollowUps(from: SimpleDate, to: SimpleDate, school: String? = nil) throws(StoreError) -> MonthFollowUps {
        try storeCall {
            try readDB { db in
                let cutoff = PeriodCutoff(endOf: to)
                let schools = try Self.schools(db, before: cutoff)
                let merges = try Self.merges(db, before: cutoff)
                let live = Set(try String.fetchAll(db, sql: "SELECT child FROM child_view WHERE voided IS NULL"))
                func counted(_ child: RecordID) -> RecordID { merges[child] ?? child }
                func included(_ child: RecordID) -> Bool {
                    live.contains(child.hex) && (school == nil || schools[child] == school)
                }
                let byChild = Dictionary(grouping: try Self.statusWrites(db), by: { counted($0.child) })
                // A child's status on `day`: its latest fact dated that day or before, in the register's order.
                func status(_ child: RecordID, on day: SimpleDate) -> ChildStatus? {
                    byChild[child]?.filter { $0.fact.date <= day }.max(by: StatusWrite.before)?.fact.status
                }
                let away: Set<ChildStatus> = [.suspectedDropout, .dropout, .neverEnrolled]
                var out = MonthFollowUps(returned: [], stayed: [])
                for back in MonthFollowUps.monthsBack {
                    let first = try Self.monthStart(from, monthsBack: back)
                    let last = try Self.monthStart(from, monthsBack: back - 1).adding(days: -1)
                    let cohort = byChild.filter { child, writes in
                        included(child) && writes.contains { $0.fact.status == .returned && $0.fact.date >= first && $0.fact.date <= last }
                    }.keys
                    out.returned.append(cohort.count)
                    out.stayed.append(cohort.filter { status($0, on: to).map { !away.contains($0) } ?? false }.count)
                }
                out.homeTeachingChildren = byChild.keys.filter { included($0) && status($0, on: to) == .homeTeaching }.count
                return out
            }
        }
    }

    /// The first day of the month `back` months before `day`'s month.
    static func monthStart(_ day: SimpleDate, monthsBack back: Int) throws(RecordsError) -> SimpleDate {
        let m = day.year * 12 + day.month - 1 - back
        return try SimpleDate(year: m / 12, month: m % 12 + 1, day: 1)
    }
}
