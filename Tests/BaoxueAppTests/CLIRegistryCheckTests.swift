import BaoxueApp
import BaoxueTesting
import Foundation
import Testing

/// 四查三比对 through the binary: four lists, each finding on the right list, written to the
/// ledger only with --apply, and a second --apply writes nothing.
@Suite struct CLIRegistryCheckTests {
    let cli = CLITests()

    func file(_ text: String) -> String {
        let path = Fixtures.temporaryDirectory() + "/list.csv"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func eachChildLandsOnTheRightListAndTheLedgerOnlyWithApply() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        let id = (0..<6).map { CLIChildTests.idNumber("2014060\($0 + 1)", $0, male: false) }
        // 0: everywhere; 1: household only (never enrolled, poverty); 2: registered, not in school;
        // 3: in school, not registered; 4: registered, household elsewhere (and in school); 5: bad ID in the household list.
        let huji = file("姓名,公民身份号码,户籍地址\n甲,\(id[0]),东村\n乙,\(id[1]),东村\n丙,\(id[2]),西村\n丁,\(id[3]),西村\n戊,\(id[5].dropLast())0,西村\n")
        let xueji = file(CLIChildTests.xueji([
            "甲,女,,\(id[0]),,东镇一小,3,1班,,,", "丙,女,,\(id[2]),,东镇一小,3,1班,,,", "己,女,,\(id[4]),,东镇一小,4,1班,,,"]))
        let attending = file(CLIChildTests.xueji([
            "甲,女,,\(id[0]),,东镇一小,3,1班,,,", "丁,女,,\(id[3]),,东镇一小,3,1班,,,", "己,女,,\(id[4]),,东镇一小,4,1班,,,"]))
        let poverty = file("姓名,身份证号\n乙,\(id[1])\n")
        let args = ["child", "check", "--huji", huji, "--xueji", xueji, "--attending", attending, "--poverty", poverty, "--scope", "东镇/一小", "--dir", dir]
        let before = try CLIChildTests().changes(dir)
        let dry = try cli.baoxue(args + ["--json"])
        #expect(dry.status == 0, "\(dry.err)")
        let view = try JSONSerialization.jsonObject(with: Data(dry.out.utf8)) as! [String: Any]
        func names(_ key: String) -> [String] { (view[key] as! [[String: Any]]).map { $0["name"] as! String } }
        #expect(view["matched"] as? Int == 1)
        #expect(names("noStudentRegistration").sorted() == ["乙", "丁"].sorted())
        #expect((view["noStudentRegistration"] as! [[String: Any]]).first { $0["name"] as? String == "乙" }?["poverty"] as? Bool == true)
        #expect(names("notAttending") == ["丙"])
        #expect(names("attendingUnregistered") == ["丁"])
        #expect(names("householdElsewhere") == ["己"])
        #expect(((view["rejected"] as! [String: Any])[huji] as! [Any]).count == 1, "the bad ID row is reported")
        #expect(try CLIChildTests().changes(dir) == before, "without --apply nothing is written")

        let applied = try cli.baoxue(args + ["--apply"])
        #expect(applied.status == 0)
        #expect(applied.out.contains("仅比对") == false && applied.out.contains("已写入"))
        let wrote = try CLIChildTests().changes(dir)
        let ledger = try JSONSerialization.jsonObject(with: Data(try cli.baoxue(["ledger", "--dir", dir, "--json"]).out.utf8)) as! [[String: Any]]
        #expect(ledger.map { $0["name"] as! String }.sorted() == ["丁", "丙", "乙"].sorted())
        let yi = try cli.baoxue(["child", "list", "--search", "乙", "--dir", dir, "--json"]).out
        #expect(yi.contains("neverEnrolled") && yi.contains("poverty"))
        #expect(try cli.baoxue(["child", "list", "--search", "甲", "--dir", dir]).out.contains("在校"))
        let focus = try cli.baoxue(["child", "list", "--focus", "家庭困难", "--dir", dir]).out
        #expect(focus.contains("乙") && focus.contains("共 1 人"), "the poverty focus-group ledger: \(focus)")
        let again = try cli.baoxue(args + ["--apply", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(again.out.utf8)) as! [String: Any])["childrenWritten"] as? Int == 0)
        #expect(try CLIChildTests().changes(dir) == wrote, "a second --apply writes nothing")
    }
}
