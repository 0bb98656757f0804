import BaoxueApp
import BaoxueRecords
import BaoxueTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `baoxue child import|show|list` and `ledger` through the built binary: rosters from the
/// registries, in UTF-8 or GBK, with bad rows, imported once, and bad files changing nothing.
@Suite struct CLIChildTests {
    let cli = CLITests()

    /// A valid 18-digit ID number for a child born on `date` (yyyyMMdd), `serial` 3 digits, `male` by its 17th digit.
    static func idNumber(_ date: String, _ serial: Int, male: Bool) -> String {
        let seq = serial * 2 + (male ? 1 : 0)
        let seventeen = "130207" + date + String(format: "%03d", seq % 1000)
        return seventeen + String(ResidentID.checkCharacter(for: seventeen))
    }

    static func xueji(_ rows: [String]) -> String {
        (["姓名,性别,出生日期,身份证件号,全国学籍号,学校名称,年级,班级,现住址,监护人,监护人电话"] + rows).joined(separator: "\r\n") + "\r\n"
    }

    func changes(_ dir: String) throws -> Int {
        let who = try cli.baoxue(["whoami", "--dir", dir, "--json"])
        return (try JSONSerialization.jsonObject(with: Data(who.out.utf8)) as! [String: Any])["changes"] as! Int
    }

    func write(_ text: String, bom: Bool = true) -> String {
        let path = Fixtures.temporaryDirectory() + "/roster.csv"
        FileManager.default.createFile(atPath: path, contents: Data((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)))
        return path
    }

    @Test func aStudentRosterImportsOnceReportsBadRowsAndCanBeSearched() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        var rows: [String] = []
        for i in 0..<40 {
            let male = i % 2 == 0
            rows.append(
                "学生\(i),\(male ? "男" : "女"),2014-03-0\(i % 9 + 1),\(Self.idNumber("2014030\(i % 9 + 1)", i, male: male)),"
                    + "G\(1000 + i),东镇一小,三年级,\(i % 2 + 1)班,\"东村, \(i) 号\",家长\(i),1380000\(String(format: "%04d", i))"
            )
        }
        let good = rows.count
        let valid = Self.idNumber("20140101", 500, male: true)
        let forged = valid.prefix(17) + (valid.last == "0" ? "1" : "0")
        rows.append("坏号码,男,2014-01-01,\(forged),G9001,东镇一小,3,1班,,,")
        rows.append(rows[3])
        rows.append("电话错,女,,\(Self.idNumber("20140505", 600, male: false)),G9002,东镇一小,3,1班,,,12345")
        rows.append(",女,,\(Self.idNumber("20140506", 601, male: false)),G9003,东镇一小,3,1班,,,")
        rows.append("年级错,女,,\(Self.idNumber("20140507", 602, male: false)),G9004,东镇一小,十年级,1班,,,")
        rows.append("初中生,男,,\(Self.idNumber("20110507", 603, male: true)),G9005,东镇一小,初二,1班,,,")
        let file = write(Self.xueji(rows))
        let first = try cli.baoxue(["child", "import", file, "--source", "xueji", "--dir", dir, "--scope", "东镇/一小", "--json"])
        #expect(first.status == 0, "\(first.err)")
        let report = try JSONSerialization.jsonObject(with: Data(first.out.utf8)) as! [String: Any]
        #expect(report["added"] as? Int == good + 1)
        #expect(report["encoding"] as? String == "UTF-8")
        let rejected = (report["rejected"] as! [[String: Any]]).map { ($0["line"] as! Int, $0["reason"] as! String) }
        #expect(rejected.map(\.0) == [good + 2, good + 3, good + 4, good + 5, good + 6])
        #expect(rejected[0].1.contains("身份证号") && !rejected[0].1.contains(String(forged)), "the bad number is named, masked")
        #expect(rejected[1].1.contains("重复"))
        #expect(rejected[2].1.contains("电话"))
        #expect(rejected[3].1.contains("姓名"))
        #expect(rejected[4].1.contains("年级"))
        let stored = try changes(dir)

        // The same file again: nothing new, every child already up to date.
        let again = try cli.baoxue(["child", "import", file, "--source", "xueji", "--dir", dir, "--scope", "东镇/一小"])
        #expect(again.status == 0)
        #expect(again.out.contains("新增 0 人") && again.out.contains("已是最新 \(good + 1) 人"), "\(again.out)")
        #expect(try changes(dir) == stored)

        // Search by name, by ID number; show masks the ID number unless --full.
        let found = try cli.baoxue(["child", "list", "--search", "学生7", "--dir", dir])
        #expect(found.out.contains("学生7") && found.out.contains("在校") && found.out.contains("共 1 人"))
        let id = String(found.out.prefix(32))
        let byID = try cli.baoxue(["child", "list", "--search", Self.idNumber("20140308", 7, male: false), "--dir", dir, "--json"])
        #expect(byID.out.contains(id))
        let card = try cli.baoxue(["child", "show", id, "--dir", dir])
        let number = Self.idNumber("20140308", 7, male: false)
        #expect(card.out.contains("身份证号: **************" + number.suffix(4)) && !card.out.contains(number))
        #expect(card.out.contains("现住址: 东村, 7 号"), "a quoted cell with a comma")
        #expect(card.out.contains("年级: 3"))
        let full = try cli.baoxue(["child", "show", id, "--dir", dir, "--full"]).out
        #expect(full.contains(number) && full.contains("出生日期: 2014-03-08"), "\(full)")
        // Beside a masked number only the birth year: county code, birth date and the last four digits are the whole number.
        #expect(card.out.contains("出生日期: 2014-**-**") && !card.out.contains("2014-03-08"), "\(card.out)")
        let junior = try cli.baoxue(["child", "list", "--search", "初中生", "--dir", dir, "--json"])
        #expect(junior.out.contains("\"grade\" : 8"), "初二 is grade 8")
    }

    @Test func aGBKHouseholdListIsConvertedAndImported() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        let csv =
            "姓名,性别,公民身份号码,户籍地址,户主姓名,联系电话,村（居）\r\n王小花,女,\(Self.idNumber("20150601", 5, male: false)),东镇西村,王大山,13900001111,西村\r\n"
            + "王大山,男,\(Self.idNumber("19800304", 6, male: true)),东镇西村,王大山,13900001111,西村\r\n"
        let gbk = try #require(Self.toGB18030(csv))
        #expect(String(validating: gbk, as: UTF8.self) == nil, "really not UTF-8")
        let path = Fixtures.temporaryDirectory() + "/huji.csv"
        FileManager.default.createFile(atPath: path, contents: Data(gbk))
        let run = try cli.baoxue(["child", "import", path, "--source", "huji", "--dir", dir, "--scope", "东镇/西村"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("GBK") && run.out.contains("新增 1 人"))
        #expect(run.out.contains("户籍名单中 1 人不在义务教育年龄"), "the household head is counted, not imported: \(run.out)")
        #expect(!(try cli.baoxue(["child", "list", "--dir", dir]).out.contains("王大山")))
        let found = try cli.baoxue(["child", "list", "--search", "王小花", "--dir", dir])
        #expect(found.out.contains("王小花") && found.out.contains("状态未知"), "the household list says nothing about school")
    }

    /// Rejections name the physical line (blank lines counted); a row with an unquoted comma is
    /// refused, not read shifted; a name padded with a full-width space is the name.
    @Test func physicalLinesShiftedRowsAndPaddedNames() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        let good = Self.idNumber("20140301", 1, male: true)
        let other = Self.idNumber("20140302", 2, male: false)
        let forged = Self.idNumber("20140303", 3, male: true).prefix(17) + "Y"
        let text = Self.xueji([
            "", "张三,男,,\(good),G1,东镇一小,3,1班,,,", "",
            "李四,女,,\(other),G2,东镇一小,3,1班,东村 3 组, 5 号,,",
            "赵五,男,,\(forged),G3,东镇一小,3,1班,,,",
            "王　芳,女,,\(Self.idNumber("20140304", 4, male: false)),G4,东镇一小,3,1班,,,",
        ])
        let run = try cli.baoxue(["child", "import", write(text), "--source", "xueji", "--dir", dir, "--scope", "东镇/一小", "--json"])
        #expect(run.status == 0, "\(run.err)")
        let report = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as! [String: Any]
        let rejected = (report["rejected"] as! [[String: Any]]).map { ($0["line"] as! Int, $0["reason"] as! String) }
        #expect(rejected.map(\.0) == [5, 6], "physical lines: \(rejected)")
        #expect(rejected.first?.1.contains("有 12 列，表头有 11 列") == true, "\(rejected)")
        #expect(report["added"] as? Int == 2)
        let found = try cli.baoxue(["child", "list", "--search", "王芳", "--dir", dir])
        #expect(found.out.contains("王芳"), "\(found.out)")
        #expect(!(try cli.baoxue(["child", "list", "--dir", dir]).out.contains("李四")), "the shifted row is not read")
    }

    @Test func badFilesAndArgumentsSayWhatToDoAndChangeNothing() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        let before = try changes(dir)
        func refused(_ args: [String], _ status: Int32, _ text: String) throws {
            let run = try cli.baoxue(args + ["--dir", dir])
            #expect(run.status == status, "\(args): \(run.err)")
            #expect(run.err.contains(text), "\(args): \(run.err)")
            #expect(run.err.split(separator: "\n").count == 1, "\(args): \(run.err)")
        }
        try refused(["child", "import", "/nonexistent/roster.csv", "--source", "xueji", "--scope", "a"], 1, "找不到文件")
        try refused(["child", "import", write("姓名,性别\r\n张三,男\r\n"), "--source", "huji", "--scope", "a"], 1, "缺少必需的列：公民身份号码")
        try refused(["child", "import", write(Self.xueji(["a,b"])), "--source", "registry", "--scope", "a"], 2, "--source")
        try refused(["child", "import", write("姓名,身份证号\r\n\"张三,男\r\n"), "--source", "huji", "--scope", "a"], 1, "CSV")
        let garbage = Fixtures.temporaryDirectory() + "/garbage.csv"
        FileManager.default.createFile(atPath: garbage, contents: Data([0xFF, 0xFE, 0xFF, 0x81, 0x30]))
        try refused(["child", "import", garbage, "--source", "huji", "--scope", "a"], 1, "既不是 UTF-8 也不是 GBK")
        try refused(["child", "import", write(Self.xueji([])), "--source", "xueji"], 1, "--scope")
        try refused(["child", "show", "nothex"], 1, "找不到“nothex”")
        try refused(["child", "show", String(repeating: "a", count: 32)], 1, "找不到")
        try refused(["ledger", "everyone"], 2, "suspected")
        #expect(try changes(dir) == before)
    }

    static func toGB18030(_ text: String) -> [UInt8]? {
        let cd = iconv_open("GB18030", "UTF-8")
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2)
        let n: Int? = input.withUnsafeMutableBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o in
                var ip = i.baseAddress
                var il = i.count
                var op = o.baseAddress
                var ol = o.count
                guard iconv(cd, &ip, &il, &op, &ol) != -1 else { return nil }
                return o.count - ol
            }
        }
        return n.map { output[0..<$0].map { UInt8(bitPattern: $0) } }
    }

    /// The README's main command: the whole township, ending with the merged ledgers, the
    /// conflict both teachers' values make, and a witnessed audit trail.
    @Test func theTownshipDemoShowsTheWholeSystem() throws {
        let dir = Fixtures.temporaryDirectory() + "/demo"
        let run = try cli.baoxue(["demo", "--township", "--children", "120", "--dir", dir, "--lang", "en"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("the file was GBK-encoded") && run.out.contains("120 children added"))
        #expect(run.out.contains("the three devices agree"))
        #expect(run.out.contains("status has 2 concurrent values"))
        #expect(run.out.contains("transferredOut") && run.out.contains("suspectedDropout"))
        #expect(run.out.contains("event persuasion") && run.out.contains("witnessed by 东镇中继"))
        #expect(run.out.contains("the relay has stopped"))
        #expect(run.out.contains("it cannot tell the ledger children apart; ID numbers found: 0."), "\(run.out)")
        #expect(run.out.contains("to find the 15 on ledgers"))
        // What the liaison's device holds afterwards is the same through the CLI.
        let conflicts = try cli.baoxue(["child", "list", "--dir", dir + "/liaison", "--lang", "en"])
        #expect(conflicts.out.contains("⚠ conflict: status"))
        let ledger = try cli.baoxue(["ledger", "--dir", dir + "/liaison", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(ledger.out.utf8)) as! [Any]).count >= 1)
    }
}
