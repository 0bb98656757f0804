import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation
import Testing

/// 摸排 coverage as a school publishes it (issue 24 §3): households checked in the month by its own
/// scope, each once as its latest check found it. The sweep is written out by hand, so the counts are known.
@Suite struct SurveyCoverageQueryTests {
    let school = try! ScopeID("丰南区/东镇/一小")
    let teacher = DeviceKey.generate()

    func check(_ survey: RecordID, _ address: String, _ finding: HouseholdCheck.Finding, on date: String) throws -> RecordOp {
        .event(
            Event(
                child: nil, subject: survey, date: try SimpleDate(date),
                body: .householdCheck(HouseholdCheck(address: address, childrenFound: 1, finding: finding))))
    }

    @Test func householdsAreCountedOnceAsTheirLatestCheckFoundThem() throws {
        let log = try ChangeLog(inMemory: ())
        let survey = RecordID.derived("survey-east")
        let other = RecordID.derived("survey-west")
        let now = Replica.nowMilliseconds()
        let ours = [
            try check(survey, "东村 1 号", .notAttending, on: "2026-11-03"),
            try check(survey, "东村　1  号", .allAttending, on: "2026-11-20"),  // the same house (full-width space), back in school
            try check(survey, "东村 2 号", .noHukou, on: "2026-11-04"),
            try check(survey, "东村 3 号", .householdAbsent, on: "2026-11-05"),
            try check(survey, "东村 4 号", .noStudentRegistration, on: "2026-11-30"),
            try check(survey, "东村 5 号", .notAttending, on: "2026-10-31"),  // October: not this month
        ]
        _ = try log.appendOperations(by: teacher, scope: school, now: now) { _ throws(StoreError) in ours }
        // Another school's sweep, and a scope whose name merely starts like ours.
        for (i, scope) in [try ScopeID("丰南区/东镇/二小"), try ScopeID("丰南区/东镇/一小分校")].enumerated() {
            let theirs = [try check(other, "西村 \(i) 号", .notAttending, on: "2026-11-10")]
            _ = try log.appendOperations(by: teacher, scope: scope, now: now + 1) { _ throws(StoreError) in theirs }
        }
        let (from, to) = (try SimpleDate("2026-11-01"), try SimpleDate("2026-11-30"))
        let november = try log.monthHouseholdChecks(scope: school, from: from, to: to)
        // 东村 1 (latest: all attending), 2 (no hukou), 3 (nobody home), 4 (no student registration).
        #expect(november.checked == 4 && november.withFindings == 2, "\(november)")
        let township = try log.monthHouseholdChecks(scope: try ScopeID("丰南区/东镇"), from: from, to: to)
        #expect(township.checked == 6 && township.withFindings == 4, "\(township)")
        let published = try log.monthFigures(scope: school, from: from, to: to)
        #expect(published[.householdsChecked] == 4 && published[.householdsWithFindings] == 2)
    }
}
