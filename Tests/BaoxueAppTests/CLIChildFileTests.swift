import BaoxueApp
import BaoxueRecords
import BaoxueTesting
import Foundation
import Testing

/// Reading back what was recorded (issue 21 §14, §17): a child's file shows every event with its
/// content, the statuses with reasons and authors, the ledger entries and the case with its
/// responsible people; `case list` / `case show`; the month's home-teaching book; focus groups
/// set from the command line and read from a roster's columns; the statuses that end the ledgers'
/// concern (deceased, emigrated, graduated …).
@Suite struct CLIChildFileTests {
    let cli = CLITests()

    @Test func everythingRecordedReadsBackInTheChildsFile() throws {
        let (dir, c) = try CLIRecordTests().replica()
        func ok(_ args: [String]) throws -> String {
            let run = try cli.baoxue(args + ["--dir", dir])
            #expect(run.status == 0, "\(args): \(run.err)")
            return run.out
        }
        _ = try ok(["record", "absence", c, "--from", "2026-11-02", "--to", "2026-11-04", "--days", "3", "--date", "2026-11-05"])
        _ = try ok(["record", "visit", c, "--with", "王老师，赵联络员", "--spoke-to", "祖母", "--agreed", "周一送孩子到校",
                    "--next", "2026-11-16", "--date", "2026-11-06"])
        let opened = try JSONSerialization.jsonObject(with: Data(try ok(["case", "open", c, "--reason", "厌学", "--text", "跟不上数学",
                                                                         "--responsible", "村长:李村长", "--json"]).utf8)) as! [String: Any]
        let caseFile = try #require(opened["caseFile"] as? String)
        _ = try ok(["case", "responsible", c, "--case", caseFile, "--person", "校长：王校长"])
        _ = try ok(["record", "persuasion", c, "--case", caseFile, "--method", "入户", "--outcome", "同意返校", "--note", "祖母同意"])
        _ = try ok(["record", "home-teaching", c, "--hours", "2", "--teacher", "李老师", "--content", "识字", "--date", "2026-11-10"])
        _ = try ok(["record", "home-teaching", c, "--hours", "1", "--teacher", "李老师", "--content", "算术", "--date", "2026-11-20"])
        _ = try ok(["child", "status", c, "returned", "--reason", "已返校上课", "--date", "2026-11-23"])
        _ = try ok(["child", "focus", c, "--add", "留守儿童,残疾儿童"])
        _ = try ok(["child", "focus", c, "--remove", "残疾儿童"])

        let file = try ok(["child", "file", "学生0"])
        for expected in ["缺课 2026-11-02 至 2026-11-04，3 个上学日，未请假", "家访（王老师、赵联络员）", "交谈对象：祖母", "约定：周一送孩子到校",
                         "下次联系 2026-11-16", "劝返（入户）：同意返校；祖母同意", "原因：厌学，跟不上数学", "责任人：校长 王校长、村长 李村长",
                         "送教上门 2 课时（李老师）：识字", "劝返复学（已返校上课）", "疑似辍学/失学台账 2026-11-02 起，在册", "重点群体：留守儿童"] {
            #expect(file.contains(expected), "\(expected) missing from:\n\(file)")
        }
        #expect(!file.contains("残疾儿童"), "a removed group is gone")

        let open = try ok(["case", "list"])
        #expect(open.contains("学生0") && open.contains("共 1 个未结案案卷"), "\(open)")
        let shown = try ok(["case", "show", String(caseFile.prefix(8))])
        #expect(shown.contains("劝返（入户）：同意返校") && shown.contains("未结案"), "\(shown)")

        let book = try ok(["child", "teaching-book", c, "--month", "2026-11"])
        #expect(book.contains("识字") && book.contains("算术") && book.contains("本月合计 3 课时") && book.contains("（不足）"), "\(book)")

        // A dropout status entered by mistake and voided: its entry shows as voided, never as 销号, and the status falls back.
        let wrong = try JSONSerialization.jsonObject(with: Data(try ok(["child", "status", c, "辍学", "--reason", "核实", "--json"]).utf8))
        let entry = try #require((wrong as! [String: Any])["entry"] as? String)
        #expect(try ok(["ledger", "dropout"]).contains("学生0"))
        _ = try ok(["void", entry, "--reason", "录错了孩子"])
        #expect(!(try ok(["ledger", "dropout"])).contains("学生0"))
        let after = try ok(["child", "file", c])
        #expect(after.contains("（已作废：录错了孩子，不计入台账）") && after.contains("状态: 劝返复学"), "\(after)")

        // A status that ends the ledgers' concern, in Chinese.
        _ = try ok(["child", "status", String(try ok(["child", "list", "--search", "学生1"]).prefix(32)), "出国（境）", "--reason", "随父母出国"])
        #expect(try ok(["child", "list", "--search", "学生1"]).contains("出国（境）"))
        let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        let report = try ok(["report", "monthly", "--period", String(format: "%04d-%02d", now.year!, now.month!)])
        #expect(report.contains("适龄儿童 2 人"), "an emigrated child leaves the count of school-age children: \(report)")
    }

    @Test func aRostersFocusColumnsBecomeFocusGroups() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        let header = "姓名,性别,出生日期,身份证件号,全国学籍号,学校名称,年级,班级,现住址,监护人,监护人电话,重点群体,是否留守儿童"
        let rows = [
            "甲,女,,\(CLIChildTests.idNumber("20150201", 1, male: false)),,东镇一小,三年级,1班,,,,残疾儿童、孤儿,否",
            "乙,女,,\(CLIChildTests.idNumber("20150202", 2, male: false)),,东镇一小,三年级,1班,,,,,是",
            "丙,女,,\(CLIChildTests.idNumber("20150203", 3, male: false)),,东镇一小,三年级,1班,,,,高个子,否",
        ]
        let path = Fixtures.temporaryDirectory() + "/roster.csv"
        FileManager.default.createFile(atPath: path, contents: Data(([header] + rows).joined(separator: "\r\n").utf8))
        let run = try cli.baoxue(["child", "import", path, "--source", "xueji", "--scope", "东镇/一小", "--dir", dir])
        #expect(run.status == 0 && run.out.contains("高个子"), "the unknown group is reported: \(run.out) \(run.err)")
        let orphans = try cli.baoxue(["child", "list", "--focus", "孤儿", "--dir", dir]).out
        #expect(orphans.contains("甲") && !orphans.contains("乙"))
        let leftBehind = try cli.baoxue(["child", "list", "--focus", "留守儿童", "--dir", dir]).out
        #expect(leftBehind.contains("乙") && !leftBehind.contains("甲") && !leftBehind.contains("丙"))
    }
}
