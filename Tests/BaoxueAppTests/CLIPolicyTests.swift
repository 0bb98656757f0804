import BaoxueApp
import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// `baoxue policy publish` and `policy show`: a district admin publishes the district's thresholds
/// from a day on; a teacher's device that receives the change shows them; every wrong input is
/// refused with the allowed values and writes nothing.
@Suite struct CLIPolicyTests {
    let cli = CLITests()

    func json(_ run: CLITests.Run) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as! [String: Any]
    }

    @Test func aDistrictAdminPublishesAndATeachersDeviceShowsThePolicyOfTheDay() throws {
        let town = Township(root: Fixtures.temporaryDirectory())
        let teacher = try town.makeDevice(0, schools: 1)
        let adminDir = town.root + "/admin"
        let admin = try town.enroll(adminDir, name: "区管理员", role: .districtAdmin, scopes: [try ScopeID("丰南区")])
        let today = try SimpleDate(unixMilliseconds: Replica.nowMilliseconds())
        let tomorrow = try today.adding(days: 1).description
        let before = try admin.log.count(nil)

        let teacherTries = try cli.baoxue(["policy", "publish", "--dir", town.deviceDirectory(0), "--absence-days", "5"])
        #expect(teacherTries.status == 1 && teacherTries.err.contains("教师"), "\(teacherTries.err)")
        let zero = try cli.baoxue(["policy", "publish", "--dir", adminDir, "--absence-days", "0"])
        #expect(zero.status == 2 && zero.err.contains("1–30"), "the message gives the range: \(zero.err)")
        let past = try cli.baoxue(["policy", "publish", "--dir", adminDir, "--effective", "2020-01-01", "--absence-days", "5"])
        #expect(past.status == 2, "a policy never rewrites the past: \(past.err)")
        let ages = try cli.baoxue(["policy", "publish", "--dir", adminDir, "--ages", "15-6"])
        #expect(ages.status == 2, "\(ages.err)")
        let outside = try cli.baoxue(["policy", "publish", "--dir", adminDir, "--district", "古冶区", "--absence-days", "5"])
        #expect(outside.status != 0 && outside.err.contains("古冶区"), "\(outside.err)")
        #expect(try admin.log.count(nil) == before, "nothing written by a refused command")

        let published = try cli.baoxue(["policy", "publish", "--dir", adminDir, "--effective", tomorrow, "--absence-days", "5",
                                         "--leave-days", "10"])
        #expect(published.status == 0 && published.out.contains("自 \(tomorrow) 起施行"), "\(published.out)\(published.err)")

        // The teacher's device receives the change as by a sync.
        _ = try teacher.log.append(encoded: try admin.log.encodedChanges(try admin.log.entries(after: 0, limit: 100).map(\.change.id)))
        let shownTomorrow = try json(try cli.baoxue(["policy", "show", "--dir", town.deviceDirectory(0), "--on", tomorrow, "--json"]))
        let rules = shownTomorrow["rules"] as! [String: Int]
        #expect(rules["absenceDays"] == 5 && rules["leaveDays"] == 10 && rules["contactDays"] == 14, "\(rules)")
        #expect(shownTomorrow["inForce"] as? String == tomorrow)
        let shownToday = try json(try cli.baoxue(["policy", "show", "--dir", town.deviceDirectory(0), "--on", today.description, "--json"]))
        #expect((shownToday["rules"] as! [String: Int])["absenceDays"] == 3, "today the built-in rules still hold")
        let text = try cli.baoxue(["policy", "show", "--dir", town.deviceDirectory(0), "--on", tomorrow])
        #expect(text.out.contains("连续无故缺课几天纳入疑似辍学台账：5") && text.out.contains("丰南区，\(tomorrow) 起施行"), "\(text.out)")
    }
}
