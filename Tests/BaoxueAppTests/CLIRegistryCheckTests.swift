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
        let xueji = file(
            CLIChildTests.xueji([
                "甲,女,,\(id[0]),,东镇一小,3,1班,,,", "丙,女,,\(id[2]),,东镇一小,3,1班,,,", "己,女,,\(id[4]),,东镇一小,4,1班,,,",
            ]))
        let attending = file(
            CLIChildTests.xueji([
                "甲,女,,\(id[0]),,东镇一小,3,1班,,,", "丁,女,,\(id[3]),,东镇一小,3,1班,,,", "己,女,,\(id[4]),,东镇一小,4,1班,,,",
            ]))
        let poverty = file("姓名,身份证号\n乙,\(id[1])\n")
        let args = [
            "child", "check", "--huji", huji, "--xueji", xueji, "--attending", attending, "--poverty", poverty, "--scope", "东镇/一小", "--dir",
            dir,
        ]
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
        let ledgerOut = try cli.baoxue(["ledger", "--dir", dir, "--json"]).out
        let ledger = try JSONSerialization.jsonObject(with: Data(ledgerOut.utf8)) as! [[String: Any]]
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

/// A real household export lists whole households: only children of compulsory-education age on
/// the reference day (6–15 on 31 August) are compared or written; the rest are counted and listed.
/// A registered child absent from the household list whose 户籍地 is the district itself is not
/// "household elsewhere".
@Suite struct CLIRegistryCheckAgeTests {
    let cli = CLITests()

    @Test func wholeHouseholdsOnlySchoolAgeChildrenAreComparedAndWritten() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        func id(_ date: String, _ n: Int, _ male: Bool = true) -> String { CLIChildTests.idNumber(date, n, male: male) }
        // (name, birth, of age on 2026-08-31)
        let people: [(String, String, Bool)] = [
            ("户主", "19850312", false), ("配偶", "19870720", false), ("祖母", "19500101", false),
            ("幼儿", "20230415", false), ("五岁", "20200901", false), ("满六岁", "20200831", true),
            ("小学生", "20140610", true), ("十五岁", "20100901", true), ("满十六岁", "20100831", false), ("高中生", "20090301", false),
        ]
        var rows = ["姓名,公民身份号码,户籍地址"]
        for (n, p) in people.enumerated() { rows.append("\(p.0),\(id(p.1, n)),唐山市丰南区东村\(n % 3)组") }
        let huji = Fixtures.temporaryDirectory() + "/huji.csv"
        FileManager.default.createFile(atPath: huji, contents: Data((rows.joined(separator: "\r\n") + "\r\n").utf8))
        let xueji = Fixtures.temporaryDirectory() + "/xueji.csv"
        let header = "姓名,性别,出生日期,身份证件号,全国学籍号,学校名称,年级,班级,户口所在地,监护人,监护人电话"
        let pupils = [
            header, "小学生,男,,\(id("20140610", 6)),,东镇一小,6,1班,唐山市丰南区东村0组,,",
            "本区转来,女,,\(id("20150101", 20, false)),,东镇一小,5,1班,唐山市丰南区西村,,",
            "随迁,男,,\(id("20150202", 21)),,东镇一小,5,1班,四川省南充市仪陇县,,",
        ]
        FileManager.default.createFile(atPath: xueji, contents: Data((pupils.joined(separator: "\r\n") + "\r\n").utf8))
        let args = ["child", "check", "--huji", huji, "--xueji", xueji, "--scope", "东镇/一小", "--dir", dir, "--age-on", "2026-08-31"]
        let run = try cli.baoxue(args + ["--json"])
        #expect(run.status == 0, "\(run.err)")
        let view = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as! [String: Any]
        func names(_ key: String) -> Set<String> { Set((view[key] as! [[String: Any]]).map { $0["name"] as! String }) }
        let ofAge = Set(people.filter(\.2).map(\.0))
        let notOfAge = Set(people.filter { !$0.2 }.map(\.0))
        #expect(names("notOfSchoolAge") == notOfAge)
        #expect(names("noStudentRegistration") == ofAge.subtracting(["小学生"]), "only school-age children can be 失学")
        #expect(view["matched"] as? Int == 1)
        #expect(view["district"] as? String == "唐山市丰南区")
        #expect(names("householdElsewhere") == ["随迁"])
        #expect(names("missingFromHouseholdList") == ["本区转来"])
        #expect(view["ageReference"] as? String == "2026-08-31")
        let text = try cli.baoxue(args)
        #expect(text.out.contains("不在义务教育年龄（6–15 周岁，以 2026-08-31 计）：\(notOfAge.count) 人"), "\(text.out)")

        #expect(try cli.baoxue(args + ["--apply"]).status == 0)
        let listOut = try cli.baoxue(["child", "list", "--dir", dir, "--json"]).out
        let list = try JSONSerialization.jsonObject(with: Data(listOut.utf8)) as! [[String: Any]]
        let written = Set(list.map { $0["name"] as! String })
        #expect(written.isDisjoint(with: notOfAge), "no adult, toddler or 16-year-old is written as a child: \(written)")
        #expect(written == ofAge.union(["本区转来", "随迁"]))
        let ledgerOut = try cli.baoxue(["ledger", "--dir", dir, "--json"]).out
        let ledger = try JSONSerialization.jsonObject(with: Data(ledgerOut.utf8)) as! [[String: Any]]
        #expect(Set(ledger.map { $0["name"] as! String }) == ofAge.subtracting(["小学生"]))
        #expect(try cli.baoxue(args.dropLast(2) + ["--age-on", "31/08/2026"]).status == 2)
    }
}
