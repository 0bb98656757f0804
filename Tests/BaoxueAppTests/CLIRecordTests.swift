import BaoxueApp
import BaoxueRecords
import BaoxueTesting
import Foundation
import Testing

/// `baoxue record …`, `case open`, `child status|set`, `close-out`, `conflicts`, `today`
/// through the built binary: each entry lands in the audit, and bad ones store nothing.
@Suite struct CLIRecordTests {
    let cli = CLITests()

    /// A replica (no authority pinned, so any role's entries) with a roster of 3 children; returns the first child's id.
    func replica() throws -> (dir: String, child: String) {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        let rows = (0..<3).map { i in
            "学生\(i),女,,\(CLIChildTests.idNumber("2015020\(i + 1)", i, male: false)),,东镇一小,三年级,1班,,,"
        }
        let path = Fixtures.temporaryDirectory() + "/roster.csv"
        FileManager.default.createFile(atPath: path, contents: Data(CLIChildTests.xueji(rows).utf8))
        #expect(try cli.baoxue(["child", "import", path, "--source", "xueji", "--dir", dir, "--scope", "东镇/一小"]).status == 0)
        let list = try cli.baoxue(["child", "list", "--search", "学生0", "--dir", dir])
        return (dir, String(list.out.prefix(32)))
    }

    func changes(_ dir: String) throws -> Int { try CLIChildTests().changes(dir) }

    /// A file's permission bits.
    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o777
    }

    /// A locked device shows no evidence: `lock` seals each attachment in place, `unlock` restores it.
    @Test func lockSealsTheAttachmentsAndUnlockRestoresThem() throws {
        let (dir, c) = try replica()
        let photo = Fixtures.temporaryDirectory() + "/statement.jpg"
        let content = Data("签名的情况说明：王小明将于下周一返校".utf8)
        FileManager.default.createFile(atPath: photo, contents: content)
        let visit = try cli.baoxue(["record", "visit", c, "--with", "王老师", "--spoke-to", "母亲", "--attach", photo, "--json", "--dir", dir])
        let recorded = try JSONSerialization.jsonObject(with: Data(visit.out.utf8)) as! [String: Any]
        let hash = try #require(recorded["attachments"] as? [String]).first!
        let secret = ["LANG": "C.UTF-8", "BAOXUE_UNLOCK": "东镇一小-锁屏口令"]
        #expect(try cli.baoxue(["lock", "--dir", dir], env: secret).status == 0)
        let folder = dir + "/attachments"
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [hash + ".sealed"])
        let sealed = try #require(FileManager.default.contents(atPath: folder + "/" + hash + ".sealed"))
        #expect(sealed.range(of: content) == nil && sealed.range(of: Data("王小明".utf8)) == nil, "nothing of it in clear")
        #expect(try Self.mode(folder + "/" + hash + ".sealed") == 0o600)
        #expect(try cli.baoxue(["unlock", "--dir", dir], env: secret).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [hash])
        #expect(FileManager.default.contents(atPath: folder + "/" + hash) == content)
    }

    /// `init` into a folder someone made by hand (0755) closes it, and the database and its WAL are 0600.
    @Test func initClosesAnExistingFolderAndItsFilesToOtherUsers() throws {
        let dir = Fixtures.temporaryDirectory() + "/by-hand"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        #expect(try cli.baoxue(["init", "--dir", dir]).status == 0)
        #expect(try Self.mode(dir) == 0o700)
        _ = try cli.baoxue(["whoami", "--dir", dir])
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(files.contains("replica.sqlite"), "\(files)")
        for f in files { #expect(try Self.mode(dir + "/" + f) == 0o600, "\(f)") }
    }

    @Test func everyKindOfEntryIsSignedAndShowsInTheAudit() throws {
        let (dir, c) = try replica()
        func ok(_ args: [String]) throws -> String {
            let run = try cli.baoxue(args + ["--dir", dir])
            #expect(run.status == 0, "\(args): \(run.err)")
            return run.out
        }
        _ = try ok(["record", "absence", c, "--from", "2026-11-02", "--to", "2026-11-04", "--days", "3", "--date", "2026-11-05"])
        let ledger = try ok(["ledger", "--json"])
        #expect(ledger.contains(c), "3 unexcused days put the child on the suspected-dropout ledger")
        _ = try ok(["record", "leave", c, "--from", "2026-11-06", "--to", "2026-11-20", "--reason", "病假", "--approved-by", "班主任"])
        let photo = Fixtures.temporaryDirectory() + "/photo.jpg"
        FileManager.default.createFile(atPath: photo, contents: Data("not really a photo".utf8))
        let visit = try ok([
            "record", "visit", c, "--with", "王老师，赵联络员", "--spoke-to", "母亲", "--agreed", "下周一返校",
            "--next", "2026-12-30", "--attach", photo, "--json",
        ])
        let hash = try #require((try JSONSerialization.jsonObject(with: Data(visit.utf8)) as! [String: Any])["attachments"] as? [String])
            .first!
        #expect(
            FileManager.default.contents(atPath: dir + "/attachments/" + hash) == Data("not really a photo".utf8), "kept by content hash")
        // Evidence about a child is this user's only.
        #expect(try Self.mode(dir + "/attachments") == 0o700 && Self.mode(dir + "/attachments/" + hash) == 0o600)
        let opened = try ok(["case", "open", c, "--reason", "厌学", "--text", "学习跟不上", "--json"])
        let caseFile = try #require((try JSONSerialization.jsonObject(with: Data(opened.utf8)) as! [String: Any])["caseFile"] as? String)
        _ = try ok(["record", "persuasion", c, "--case", caseFile, "--method", "入户", "--outcome", "agreedToReturn"])
        _ = try ok(["record", "follow-up", c, "--case", caseFile, "--months", "1", "--note", "按时到校"])
        _ = try ok(["case", "close", c, "--case", caseFile, "--placement", "随班就读", "--outcome", "已返校"])
        let today =
            try JSONSerialization.jsonObject(with: Data(try ok(["today", "--date", "2026-12-31", "--json"]).utf8)) as! [String: Any]
        #expect((today["casesWithoutRecentAttempt"] as! [Any]).isEmpty, "a closed case is not stalled")
        _ = try ok(["record", "home-teaching", c, "--hours", "2", "--teacher", "李老师", "--content", "识字"])
        _ = try ok(["record", "letter", c, "--sent-to", "外县教育局", "--reason", "核实是否在外地就读"])
        _ = try ok(["child", "status", c, "returned", "--reason", "已返校"])
        _ = try ok(["child", "set", c, "grade", "4"])
        #expect(try ok(["child", "show", c]).contains("年级: 4"))
        _ = try ok(["close-out", c, "--ledger", "suspected", "--evidence", photo, "--note", "已返校两周"])
        #expect(!(try ok(["ledger", "--json"])).contains(c), "closed out with evidence")

        let audit = try JSONSerialization.jsonObject(with: Data(try ok(["audit", c, "--json"]).utf8)) as! [[String: Any]]
        let what = audit.map { $0["what"] as! String }
        for expected in [
            "event absence", "event leave", "event followUp", "event visit [\(hash.prefix(12))]", "event persuasion", "event homeTeaching",
            "event verificationLetter", "set status", "set grade", "closeOut suspectedDropout [\(hash.prefix(12))]",
        ] {
            #expect(what.contains(expected), "\(expected) missing from \(what)")
        }
    }

    @Test func badEntriesSayWhatToDoAndStoreNothing() throws {
        let (dir, c) = try replica()
        let before = try changes(dir)
        func refused(_ args: [String], _ status: Int32, _ text: String) throws {
            let run = try cli.baoxue(args + ["--dir", dir])
            #expect(run.status == status, "\(args): \(run.err)")
            #expect(run.err.contains(text) && run.err.split(separator: "\n").count == 1, "\(args): \(run.err)")
        }
        try refused(
            ["record", "absence", String(repeating: "b", count: 32), "--from", "2026-11-02", "--to", "2026-11-04", "--days", "3"],
            1, "找不到")
        try refused(["record", "absence", c, "--from", "2026-13-02", "--to", "2026-11-04", "--days", "3"], 2, "--from")
        try refused(["record", "absence", c, "--from", "2026-11-05", "--to", "2026-11-04", "--days", "3"], 1, "记录不符合规则")
        try refused(
            ["record", "persuasion", c, "--case", String(repeating: "c", count: 32), "--method", "电话", "--outcome", "maybe"], 2, "--outcome"
        )
        try refused(["record", "visit", c, "--with", "王老师", "--spoke-to", "母亲", "--attach", "/nonexistent/photo.jpg"], 1, "找不到文件")
        try refused(
            ["record", "visit", c, "--with", "王老师", "--spoke-to", "母亲", "--date", "2026-11-10", "--next", "2026-11-01"], 1, "记录不符合规则")
        try refused(["child", "status", c, "missing", "--reason", "x"], 2, "STATUS")
        try refused(["child", "set", c, "idNumber", "x"], 2, "FIELD")
        try refused(["close-out", c, "--ledger", "all", "--note", "x"], 2, "--ledger")
        #expect(try changes(dir) == before)
        #expect(!FileManager.default.fileExists(atPath: dir + "/attachments"), "a refused entry leaves no attachment behind")
    }

    /// On the township demo's devices: a teacher may not send a letter or close out; the conflict
    /// is listed with both values and settled by writing the status again; today's work lists it.
    @Test func rolesConflictsAndTodaysWork() throws {
        let demo = Fixtures.temporaryDirectory() + "/demo"
        #expect(try cli.baoxue(["demo", "--township", "--children", "20", "--dir", demo]).status == 0)
        let teacher = demo + "/teacher-a"
        let conflicts = try cli.baoxue(["conflicts", "--dir", teacher, "--json"])
        let rows = try JSONSerialization.jsonObject(with: Data(conflicts.out.utf8)) as! [[String: Any]]
        #expect(rows.count == 1 && (rows[0]["values"] as! [[String: Any]]).map { $0["author"] as! String }.sorted() == ["李老师", "王老师"])
        let child = rows[0]["child"] as! String
        let said = try cli.baoxue(["conflicts", "--dir", teacher]).out
        #expect(said.contains("的状态有 2 个并发值") && !said.contains("status"), "the field by its label, not its code: \(said)")
        let before = try changes(teacher)
        let letter = try cli.baoxue(["record", "letter", child, "--sent-to", "外县", "--reason", "核实", "--dir", teacher])
        #expect(letter.status == 1 && letter.err.contains("教师的证书不能记录“核查函”"), "\(letter.err)")
        #expect(try changes(teacher) == before)
        #expect(try cli.baoxue(["child", "status", child, "转出", "--reason", "已核实在外地就读", "--dir", teacher]).status == 0)
        #expect(try cli.baoxue(["conflicts", "--dir", teacher]).out.contains("共 0 处冲突"))
        let today = try cli.baoxue(["today", "--dir", demo + "/liaison", "--date", "2026-12-31", "--json"])
        let view = try JSONSerialization.jsonObject(with: Data(today.out.utf8)) as! [String: Any]
        #expect(
            (view["casesWithoutRecentAttempt"] as! [[String: Any]]).contains { $0["child"] as? String == child },
            "the case has had no attempt for over two weeks by then")
    }

    /// `status` after the township demo: the last syncs by name, nothing left to reach the relay,
    /// then one new entry that has not reached it yet.
    @Test func statusShowsLastSyncsAndWorkNotYetAtTheRelay() throws {
        let demo = Fixtures.temporaryDirectory() + "/demo"
        #expect(try cli.baoxue(["demo", "--township", "--children", "20", "--dir", demo]).status == 0)
        let teacher = demo + "/teacher-a"
        func status() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(try cli.baoxue(["status", "--dir", teacher, "--json"]).out.utf8)) as! [String: Any]
        }
        let first = try status()
        #expect(Set((first["lastSyncs"] as! [[String: Any]]).compactMap { $0["name"] as? String }) == ["东镇中继", "李老师"])
        #expect(first["notYetAtRelay"] as? Int == 0 && first["conflicts"] as? Int == 1 && first["children"] as? Int == 20)
        let child = String(try cli.baoxue(["child", "list", "--dir", teacher]).out.prefix(32))
        #expect(try cli.baoxue(["record", "home-teaching", child, "--hours", "2", "--teacher", "王老师", "--dir", teacher]).status == 0)
        #expect(try status()["notYetAtRelay"] as? Int == 1)
        #expect(try cli.baoxue(["status", "--dir", teacher]).out.contains("尚未送达乡镇中继的本机记录：1 条"))
    }

    /// A database another program holds locked: one clear line after a 5 s wait, nothing stored.
    @Test func aLockedReplicaIsReportedAndNothingIsStored() throws {
        let (dir, c) = try replica()
        let before = try changes(dir)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["sqlite3", dir + "/replica.sqlite"]
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        // sqlite3 answers once it holds the lock: the test waits for that answer, not for a guessed time.
        input.fileHandleForWriting.write(Data("BEGIN EXCLUSIVE;\nINSERT INTO clock (latest) VALUES (-2);\nSELECT 'locked';\n".utf8))
        var answer = ""
        while !answer.contains("locked") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            answer += String(decoding: chunk, as: UTF8.self)
        }
        #expect(answer.contains("locked"), "sqlite3 took the lock")
        let run = try cli.baoxue(["record", "home-teaching", c, "--hours", "2", "--teacher", "王老师", "--dir", dir])
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        #expect(run.status == 1 && run.err.contains("被另一个程序占用") && run.err.split(separator: "\n").count == 1, "\(run.err)")
        #expect(try changes(dir) == before)
        #expect(
            try cli.baoxue(["record", "home-teaching", c, "--hours", "2", "--teacher", "王老师", "--dir", dir]).status == 0,
            "works once released")
    }

    /// A sweep counts the households checked by finding; a check entered by mistake is voided
    /// with the id the audit prints, stays in the audit, and stops counting.
    @Test func surveySweepsCountHouseholdsAndVoidRemovesAMistake() throws {
        let (dir, c) = try replica()
        func ok(_ args: [String]) throws -> String {
            let run = try cli.baoxue(args + ["--dir", dir])
            #expect(run.status == 0, "\(args): \(run.err)")
            return run.out
        }
        let started =
            try JSONSerialization.jsonObject(
                with: Data(try ok(["survey", "start", "--village", "东村", "--team", "王老师,赵联络员", "--scope", "东镇/一小", "--json"]).utf8))
            as! [String: String]
        let survey = try #require(started["survey"])
        _ = try ok(["survey", "household", survey, "--address", "东村 1 号", "--children", "2", "--finding", "allAttending"])
        _ = try ok(["survey", "household", survey, "--address", "东村 2 号", "--children", "1", "--finding", "notAttending", "--child", c])
        _ = try ok(["survey", "household", survey, "--address", "东村 3 号", "--children", "0", "--finding", "householdAbsent"])
        let shown = try ok(["survey", "show", survey])
        #expect(shown.contains("已查 3 户，发现适龄儿童 3 人") && shown.contains("有儿童未在校：1"), "\(shown)")
        // 东村 1 号 checked again (typed with a full-width space): one household, as the later check found it.
        _ = try ok(["survey", "household", survey, "--address", "东村\u{3000}1 号 ", "--children", "3", "--finding", "allAttending"])
        let again = try ok(["survey", "show", survey])
        #expect(again.contains("已查 3 户，发现适龄儿童 4 人"), "\(again)")

        // The check about the child shows in its audit with an id; voiding it keeps it there, marked.
        let audit = try JSONSerialization.jsonObject(with: Data(try ok(["audit", c, "--json"]).utf8)) as! [[String: Any]]
        let check = try #require(audit.first { $0["what"] as? String == "event householdCheck" })
        _ = try ok(["void", check["op"] as! String, "--reason", "录错了户"])
        let after = try JSONSerialization.jsonObject(with: Data(try ok(["audit", c, "--json"]).utf8)) as! [[String: Any]]
        #expect(after.contains { ($0["note"] as? String) == "voided: 录错了户" })
        let recount = try ok(["survey", "show", survey, "--json"])
        let coverage = (try JSONSerialization.jsonObject(with: Data(recount.utf8)) as! [String: Any])["coverage"] as! [String: Any]
        #expect(coverage["households"] as? Int == 2 && coverage["childrenFound"] as? Int == 3)

        let before = try changes(dir)
        for (args, status, text) in [
            (
                [
                    "survey", "household", String(repeating: "d", count: 32), "--address", "x", "--children", "1", "--finding",
                    "allAttending",
                ], Int32(1), "没有编号为"
            ),
            (["survey", "household", survey, "--address", "x", "--children", "1", "--finding", "maybe"], 2, "--finding"),
            (["survey", "household", survey, "--address", "x", "--children", "40", "--finding", "allAttending"], 1, "记录不符合规则"),
            (["void", "nonsense", "--reason", "x"], 2, "OP"),
            (["void", String(repeating: "e", count: 64) + ":0", "--reason", "x"], 1, "没有编号为"),
        ] {
            let run = try cli.baoxue(args + ["--dir", dir])
            #expect(run.status == status && run.err.contains(text) && run.err.split(separator: "\n").count == 1, "\(args): \(run.err)")
        }
        #expect(try changes(dir) == before)
    }

    @Test func aChildAddedByHandIsCheckedLikeAnImportRow() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        let args = [
            "child", "add", "--name", "新生", "--student-number", "G123", "--school", "东镇一小", "--grade", "一年级", "--scope", "东镇/一小", "--dir",
            dir,
        ]
        let first = try cli.baoxue(args)
        #expect(first.status == 0 && first.out.contains("已登记"), "\(first.err)")
        #expect(try cli.baoxue(args).out.contains("信息未变"))
        #expect(try cli.baoxue(["child", "list", "--search", "G123", "--dir", dir]).out.contains("新生  东镇一小  1 年级"))
        _ = try cli.baoxue([
            "child", "add", "--name", "同班", "--student-number", "G124", "--class", "一(3)班", "--scope", "东镇/一小", "--dir", dir,
        ])
        #expect(try cli.baoxue(["child", "list", "--search", "一(3)班", "--dir", dir]).out.contains("同班"), "search by class")
        let before = try changes(dir)
        let bad = try cli.baoxue(["child", "add", "--name", "错号", "--id", "130207201401010001", "--scope", "东镇/一小", "--dir", dir])
        #expect(bad.status == 2 && bad.err.contains("身份证号") && bad.err.split(separator: "\n").count == 1, "\(bad.err)")
        let none = try cli.baoxue(["child", "add", "--name", "无号", "--scope", "东镇/一小", "--dir", dir])
        #expect(none.status == 2 && none.err.contains("身份证号和学籍号"), "\(none.err)")
        #expect(try changes(dir) == before)
    }

    /// 请假 then 销假: a long leave needs a visit until the child is back; the return amends the
    /// leave, which then stops counting, and both stay in the audit.
    @Test func aLeaveEndsWithTheReturnAndStopsAskingForAVisit() throws {
        let (dir, c) = try replica()
        func ok(_ args: [String]) throws -> String {
            let run = try cli.baoxue(args + ["--dir", dir])
            #expect(run.status == 0, "\(args): \(run.err)")
            return run.out
        }
        func due() throws -> [String] {
            let view =
                try JSONSerialization.jsonObject(with: Data(try ok(["today", "--date", "2026-11-15", "--json"]).utf8)) as! [String: Any]
            return (view["visitsDue"] as! [[String: Any]]).map { $0["child"] as! String }
        }
        _ = try ok([
            "record", "leave", c, "--from", "2026-11-01", "--to", "2026-11-30", "--reason", "病假", "--approved-by", "班主任", "--date",
            "2026-11-01",
        ])
        #expect(try due() == [c], "a 30-day leave with no visit")
        let audit = try JSONSerialization.jsonObject(with: Data(try ok(["audit", c, "--json"]).utf8)) as! [[String: Any]]
        let leave = try #require(audit.first { $0["what"] as? String == "event leave" }?["op"] as? String)
        _ = try ok(["record", "leave-end", c, "--leave", leave, "--date", "2026-11-10"])
        #expect(try due().isEmpty, "back on the 10th: the leave ended on the 9th")
        let after = try JSONSerialization.jsonObject(with: Data(try ok(["audit", c, "--json"]).utf8)) as! [[String: Any]]
        #expect(after.filter { $0["what"] as? String == "event leave" }.count == 2)
        let wrong = try cli.baoxue(["record", "leave-end", c, "--leave", String(repeating: "a", count: 64) + ":0", "--dir", dir])
        #expect(wrong.status == 1 && wrong.err.contains("记录不符合规则"), "\(wrong.err)")
    }
}
