import BaoxueApp
import BaoxueRecords
import BaoxueTesting
import Foundation
import Testing

/// What a person can get wrong at the command line about cases, leaves, dates and whole
/// records (issue 21 §4, §8, §9): each mistake is refused with nothing signed, and voiding
/// a child entered by mistake takes it out of the lists until restored.
@Suite struct CLIEntryRulesTests {
    let cli = CLITests()

    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test func casesLeavesAndDatesAreCheckedBeforeAnythingIsSigned() throws {
        let (dir, c) = try CLIRecordTests().replica()
        let other = String(try cli.baoxue(["child", "list", "--search", "学生1", "--dir", dir]).out.prefix(32))
        func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
            let r = try cli.baoxue(args + ["--dir", dir])
            return (r.status, r.out, r.err)
        }
        func ok(_ args: [String]) throws -> String {
            let r = try run(args)
            #expect(r.status == 0, "\(args): \(r.err)")
            return r.out
        }
        func refused(_ args: [String], _ words: String) throws {
            let before = try CLIChildTests().changes(dir)
            let r = try run(args)
            #expect(r.status != 0, "\(args) must be refused")
            #expect(r.err.contains(words), "\(args): \(r.err)")
            // Chinese messages name fields as a school form does: no camelCase identifier in them.
            #expect(r.err.range(of: "[a-z][A-Z]", options: .regularExpression) == nil, "an identifier in: \(r.err)")
            #expect(try CLIChildTests().changes(dir) == before, "nothing signed for \(args)")
        }
        let opened = try json(try ok(["case", "open", c, "--reason", "厌学", "--json"]))
        let caseFile = try #require(opened["caseFile"] as? String)
        let persuade = ["--method", "入户", "--outcome", "agreedToReturn"]
        try refused(["record", "persuasion", c, "--case", String(repeating: "0", count: 32)] + persuade, "案卷在本机找不到")
        try refused(["record", "persuasion", other, "--case", caseFile] + persuade, "另一个儿童")
        try refused(["record", "persuasion", c, "--case", caseFile, "--method", "入户", "--outcome", "maybe"],
                    "可选：已返校、同意返校、拒绝返校、未联系上")
        _ = try ok(["record", "persuasion", c, "--case", caseFile, "--method", "电话", "--outcome", "同意返校"])
        _ = try ok(["record", "persuasion", c, "--case", caseFile] + persuade)
        _ = try ok(["case", "close", c, "--case", caseFile, "--placement", "随班就读", "--outcome", "已返校"])
        try refused(["case", "close", c, "--case", caseFile, "--placement", "随班就读", "--outcome", "又结一次"], "已结案")
        try refused(["record", "persuasion", c, "--case", caseFile] + persuade, "已结案")
        _ = try ok(["record", "follow-up", c, "--case", caseFile, "--months", "1", "--note", "按时到校"])

        let leave = try json(try ok(["record", "leave", c, "--from", "2026-11-09", "--to", "2026-11-20", "--reason", "病假",
                                     "--approved-by", "班主任", "--date", "2026-11-09", "--json"]))
        let entry = try #require(leave["entry"] as? String)
        let change = try #require(leave["change"] as? String)
        #expect(entry.hasSuffix(":0") && entry.hasPrefix(change))
        try refused(["record", "leave-end", c, "--leave", entry, "--date", "2026-11-02"], "早于请假开始日期")
        _ = try ok(["record", "leave-end", c, "--leave", entry, "--date", "2026-11-16"])
        try refused(["record", "leave-end", c, "--leave", entry, "--date", "2026-11-18"], "不能再次销假")

        try refused(["record", "absence", c, "--from", "2026-12-01", "--to", "2026-12-01", "--days", "5", "--date", "2026-12-01"],
                    "缺课天数超过起止日期之间的天数（1 天）")
        try refused(["record", "absence", c, "--from", "1990-03-05", "--to", "1990-03-06", "--days", "2"], "起始日期早于两个学年以前")
        try refused(["child", "status", c, "dropout", "--reason", "核实", "--date", "2099-01-01"], "状态日期不能晚于明天")
        try refused(["record", "leave", c, "--from", "2026-11-02", "--to", "2028-11-01", "--reason", "病假", "--approved-by", "班主任",
                     "--date", "2026-11-02"], "请假最长 183 天")

        // A toddler added by hand: nothing may be dated before the birth.
        let born = CLIChildTests.idNumber("20250601", 7, male: true)
        _ = try ok(["child", "add", "--name", "小宝", "--id", born, "--scope", "东镇/一小"])
        let baby = String(try cli.baoxue(["child", "list", "--search", "小宝", "--dir", dir]).out.prefix(32))
        try refused(["record", "absence", baby, "--from", "2025-03-03", "--to", "2025-03-04", "--days", "2", "--date", "2025-03-05"],
            "早于儿童的出生日期（2025-06-01）")
    }

    @Test func aChildEnteredByMistakeIsVoidedWholeAndCanBeRestored() throws {
        let (dir, c) = try CLIRecordTests().replica()
        func count() throws -> Int { try cli.baoxue(["child", "list", "--json", "--dir",
            dir]).out.components(separatedBy: "\"child\"").count - 1 }
        #expect(try count() == 3)
        let missing = try cli.baoxue(["child", "void", c, "--dir", dir])
        #expect(missing.status != 0 && missing.err.contains("--reason"), "\(missing.err)")
        #expect(try cli.baoxue(["child", "void", c, "--reason", "重复录入", "--dir", dir]).status == 0)
        #expect(try count() == 2)
        #expect(try cli.baoxue(["child", "show", c, "--dir", dir]).out.contains("重复录入"))
        #expect(try cli.baoxue(["child", "void", c, "--restore", "--dir", dir]).status == 0)
        #expect(try count() == 3)
    }
}

/// Ids people can type (issue 21 §15): a child by name, by the first digits of its id, by ID number
/// or its tail, by 学籍号 (even when an ID number exists), by phone or village; two children of one
/// name give the list to choose from, and `child add` prints the id it wrote.
@Suite struct CLIChildNamesTests {
    let cli = CLITests()

    @Test func aChildIsFoundByWhatPeopleKnowAndTwoOfOneNameAreListed() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        let idA = CLIChildTests.idNumber("20150304", 11, male: false), idB = CLIChildTests.idNumber("20160405", 12, male: false)
        let a = try cli.baoxue(["child", "add", "--name", "王芳", "--id", idA, "--student-number", "G130207201503040011", "--school", "东镇一小",
                                "--village", "河东村", "--phone", "13812345678", "--scope", "东镇/一小", "--dir", dir])
        #expect(a.status == 0, "\(a.err)")
        let printed = try #require(a.out.range(of: "[0-9a-f]{32}", options: .regularExpression).map { String(a.out[$0]) }, "\(a.out)")
        _ = try cli.baoxue(["child", "add", "--name", "王芳", "--id", idB, "--school", "西镇二小", "--scope", "东镇/一小", "--dir", dir])
        _ = try cli.baoxue(["child", "add", "--name", "王芳芳", "--id", CLIChildTests.idNumber("20150101", 13, male: false),
                            "--scope", "东镇/一小", "--dir", dir])
        func shown(_ text: String) throws -> String? {
            let r = try cli.baoxue(["child", "show", text, "--json", "--dir", dir])
            return r.status == 0 ? (try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any])["child"] as? String : nil
        }
        for text in [printed, String(printed.prefix(8)), idA, String(idA.suffix(4)), "G130207201503040011", "13812345678"] {
            #expect(try shown(text) == printed, "\(text) names the first 王芳")
        }
        let ambiguous = try cli.baoxue(["record", "absence", "王芳", "--from", "2026-11-30", "--to", "2026-11-30", "--days", "1", "--dir",
            dir])
        #expect(ambiguous.status != 0 && ambiguous.err.contains("对应多个儿童"), "\(ambiguous.err)")
        #expect(ambiguous.err.contains(String(printed.prefix(8))) && ambiguous.err.contains("西镇二小") && !ambiguous.err.contains("王芳芳"),
                "an exact name lists only the children of that name: \(ambiguous.err)")
        #expect(try CLIChildTests().changes(dir) == 3, "nothing written")
        let byVillage = try cli.baoxue(["child", "list", "--search", "河东村", "--json", "--dir", dir])
        #expect(byVillage.out.contains(printed) && !byVillage.out.contains("西镇二小"))
        let unknown = try cli.baoxue(["child", "show", "李四", "--dir", dir])
        #expect(unknown.status != 0 && unknown.err.contains("找不到“李四”"), "\(unknown.err)")
    }
}

/// Imports that stop or overlap (issue 21 §12): a disk that fills mid-import is reported with how
/// many children were written (they stay, and running it again finishes the rest); two imports of
/// one roster on one replica at once both finish, neither failing on what the other wrote.
@Suite struct CLIImportTruthTests {
    let cli = CLITests()

    func roster(_ n: Int) -> String {
        let rows = (0..<n).map { i in
            "学生\(i),女,,\(CLIChildTests.idNumber(String(format: "2015%02d%02d", 1 + i % 12, 1 + i % 28), i, male: false)),,东镇一小,三年级,1班,,,"
        }
        let path = Fixtures.temporaryDirectory() + "/roster.csv"
        FileManager.default.createFile(atPath: path, contents: Data(CLIChildTests.xueji(rows).utf8))
        return path
    }

    func count(_ dir: String) throws -> Int {
        try cli.baoxue(["child", "list", "--json", "--dir", dir]).out.components(separatedBy: "\"child\"").count - 1
    }

    @Test func aFullDiskSaysHowFarTheImportGotAndTheNextRunFinishes() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        let file = roster(400)
        let size = (try FileManager.default.attributesOfItem(atPath: dir + "/replica.sqlite")[.size] as? Int) ?? 0
        // The shell lets files grow to ~250 KiB past the empty replica; writing past it fails as a full disk does.
        let limited = "trap '' XFSZ; ulimit -f \(size / 1024 + 250); exec \"$0\" \"$@\""
        let run = try cli.run(URL(fileURLWithPath: "/bin/bash"), ["-c", limited,
            Fixtures.productsDirectory.appendingPathComponent("baoxue").path, "child", "import", file, "--source", "xueji",
                                                                  "--scope", "东镇/一小", "--dir", dir])
        #expect(run.status == 1, "\(run.err)")
        let written = try #require(run.err.range(of: "已写入 [0-9]+/400", options: .regularExpression).map {
            Int(run.err[$0].dropFirst(4).split(separator: "/")[0])!
        }, "\(run.err)")
        #expect(written > 0 && written < 400)
        #expect(!run.err.contains("未写入任何数据"), "the message tells the truth: \(run.err)")
        #expect(try count(dir) == written, "exactly what it says was written is there")
        let again = try cli.baoxue(["child", "import", file, "--source", "xueji", "--scope", "东镇/一小", "--dir", dir])
        #expect(again.status == 0, "\(again.err)")
        #expect(try count(dir) == 400)
    }

    @Test func twoImportsAtOnceBothFinish() async throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        let file = roster(300)
        let args = ["child", "import", file, "--source", "xueji", "--scope", "东镇/一小", "--dir", dir]
        async let first = cli.baoxue(args)
        async let second = cli.baoxue(args)
        let (a, b) = try await (first, second)
        #expect(a.status == 0 && b.status == 0, "\(a.err) | \(b.err)")
        #expect(!(a.err + b.err).contains("操作过多"))
        #expect(try count(dir) == 300)
        #expect(try cli.baoxue(["conflicts", "--dir", dir]).out.contains("共 0 处冲突"), "two imports of one roster conflict nowhere")
    }
}

/// Errors that used to send people the wrong way (issue 21 §13): each now names the real cause.
@Suite struct CLIErrorWordsTests {
    let cli = CLITests()

    @Test func aBusyPortAndAMissingFolderSayWhatTheyAre() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        // A port another program holds.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", "import socket,sys,time; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); "
                            + "print(s.getsockname()[1], flush=True); time.sleep(30)"]
        let pipe = Pipe()
        holder.standardOutput = pipe
        try holder.run()
        defer { holder.terminate() }
        let port = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let serve = try cli.baoxue(["serve", "--listen", "127.0.0.1:\(port)", "--dir", dir])
        #expect(serve.status != 0 && serve.err.contains("端口已被占用") && !serve.err.contains("磁盘"), "\(serve.err)")

        let backup = try cli.baoxue(["relay", "backup", "/nonexistent-folder/b.sqlite", "--dir", dir])
        #expect(backup.status != 0 && backup.err.contains("文件夹不存在：/nonexistent-folder") && !backup.err.contains("数据库错误"),
                "\(backup.err)")
    }

    @Test func aRevokedDeviceIsToldItWasRevokedNotToAskForPeerAllow() {
        let revoked = AppError.sync(.peerAborted(code: 6, reason: "peer_not_allowed: revoked"))
        #expect(revoked.line(.zh).contains("已被教育局吊销") && !revoked.line(.zh).contains("peer allow"), "\(revoked.line(.zh))")
        let notAllowed = AppError.sync(.peerAborted(code: 6, reason: "peer_not_allowed"))
        #expect(notAllowed.line(.zh).contains("peer allow"))
    }
}
