import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// 巩固 as the bureau counts it (issue 24 §3): of the children returned 1, 3 and 6 months before a
/// month, those not back on a dropout status at its end; facts dated after the month change nothing.
/// The histories are written out by hand, so every count below is known without the code.
@Suite struct FollowUpQueryTests {
    let scope = try! ScopeID("东镇/一小")
    let teacher = DeviceKey.generate()

    /// The roster: the child and its school, imported in April (a child's school counts from when it was written).
    func enrolled(_ n: Int, school: String = "一小") -> [RecordOp] {
        let id = RecordID.derived("follow-up-\(n)")
        return [
            .set(kind: .child, record: id, field: "name", value: .text("儿童\(n)"), pred: []),
            .set(kind: .child, record: id, field: "school", value: .text(school), pred: []),
        ]
    }

    func child(_ n: Int, _ statuses: [(ChildStatus, String)]) throws -> [RecordOp] {
        let id = RecordID.derived("follow-up-\(n)")
        return
            (try statuses.map { s, date in
                RecordOp.set(
                    kind: .child, record: id, field: "status",
                    value: .status(StatusFact(status: s, date: try SimpleDate(date), reason: "核实")), pred: [])
            })
    }

    @Test func returnedChildrenAreFollowedAtOneThreeAndSixMonths() throws {
        let log = try ChangeLog(inMemory: ())
        let april = UInt64(try SimpleDate("2026-04-01").dayNumber) * 86_400_000
        let roster = (1...7).flatMap { enrolled($0, school: $0 == 6 ? "二小" : "一小") }
        _ = try log.appendOperations(by: teacher, scope: scope, now: april) { _ throws(StoreError) in roster }
        let ops =
            try child(1, [(.dropout, "2026-09-20"), (.returned, "2026-10-10")])  // back in October, still in school
            + child(2, [(.returned, "2026-10-15"), (.dropout, "2026-11-20")])  // back in October, gone again in November
            + child(3, [(.returned, "2026-08-05"), (.enrolled, "2026-09-01")])  // back in August, enrolled since
            + child(4, [(.returned, "2026-05-03"), (.suspectedDropout, "2026-12-02")])  // back in May; absent only in December
            + child(5, [(.homeTeaching, "2026-09-01")])  // taught at home
            + child(6, [(.returned, "2026-10-20")])  // another school
            + child(7, [(.returned, "2026-11-03")])  // back in the month itself: no cohort yet
        _ = try log.appendOperations(by: teacher, scope: scope, now: Replica.nowMilliseconds()) { _ throws(StoreError) in ops }
        let (from, to) = (try SimpleDate("2026-11-01"), try SimpleDate("2026-11-30"))
        let school = try log.monthFollowUps(from: from, to: to, school: "一小")
        #expect(school.returned == [2, 1, 1] && school.stayed == [1, 1, 1], "\(school)")
        #expect(school.homeTeachingChildren == 1)
        let all = try log.monthFollowUps(from: from, to: to)
        #expect(all.returned == [3, 1, 1] && all.stayed == [2, 1, 1], "\(all)")
        // December: child 4 is suspected again by the month's end; child 7's November return is 1 month back.
        let december = try log.monthFollowUps(from: try SimpleDate("2026-12-01"), to: try SimpleDate("2026-12-31"), school: "一小")
        #expect(december.returned == [1, 0, 0] && december.stayed == [1, 0, 0], "\(december)")
        // The publication carries them, and the hours the built-in policy asks (2 sessions × 2 class hours a child).
        let published = try log.monthFigures(scope: scope, from: from, to: to, schoolName: "一小")
        #expect(published[.returned1MonthAgo] == 2 && published[.stayed1Month] == 1 && published[.returned6MonthsAgo] == 1)
        #expect(published[.homeTeachingChildren] == 1 && published[.homeTeachingHoursExpected] == 4)
    }
}
