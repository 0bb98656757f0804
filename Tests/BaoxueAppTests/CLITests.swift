import BaoxueApp
import BaoxueRecords
import BaoxueTesting
import Foundation
import Testing

/// End-to-end: the built `baoxue` binary, its output, errors and exit codes.
@Suite struct CLITests {
    struct Run {
        let status: Int32
        let out: String
        let err: String
    }

    func baoxue(_ args: [String], env: [String: String] = ["LANG": "C.UTF-8"], in directory: String? = nil) throws -> Run {
        try run(Fixtures.productsDirectory.appendingPathComponent("baoxue"), args, env: env, in: directory)
    }

    /// Runs a program to the end, collecting its output.
    func run(_ executable: URL, _ args: [String], env: [String: String]? = ["LANG": "C.UTF-8"], in directory: String? = nil) throws -> Run {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let env { p.environment = env }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    /// Regression: a one-letter relative folder crashed `init` (Foundation's path code traps on it).
    @Test func aOneLetterRelativeFolderWorks() throws {
        let cwd = Fixtures.temporaryDirectory()
        #expect(try baoxue(["init", "--dir", "a"], in: cwd).status == 0)
        #expect(try baoxue(["whoami", "--dir", "a"], in: cwd).status == 0)
        #expect(FileManager.default.fileExists(atPath: cwd + "/a/replica.sqlite"))
    }

    @Test func initWhoamiLogInChineseByDefault() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        let created = try baoxue(["init", "--dir", dir])
        #expect(created.status == 0)
        #expect(created.out.contains("设备指纹："))
        let who = try baoxue(["whoami", "--dir", dir, "--json"])
        let view = try JSONSerialization.jsonObject(with: Data(who.out.utf8)) as! [String: Any]
        let fingerprint = view["fingerprint"] as! String
        #expect(created.out.contains(fingerprint))
        #expect((view["changes"] as! Int) == 0)
        let log = try baoxue(["log", "--dir", dir])
        #expect(log.status == 0)
        #expect(log.out.contains("共 0 条"))
    }

    @Test func errorsAreOneLineWithExitCodeAndLanguage() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try baoxue(["init", "--dir", dir])
        let again = try baoxue(["init", "--dir", dir])
        #expect(again.status == 1)
        #expect(again.err.hasPrefix("错误：此目录已有副本"))
        #expect(again.err.split(separator: "\n").count == 1)
        let english = try baoxue(["init", "--dir", dir, "--lang", "en"])
        #expect(english.err.hasPrefix("error: a replica already exists"))
        let viaLang = try baoxue(["whoami", "--dir", dir + "-missing"], env: ["LANG": "en_GB.UTF-8"])
        #expect(viaLang.status == 1)
        #expect(viaLang.err.hasPrefix("error: no replica in"))
        let badArg = try baoxue(["log", "--limit", "many", "--dir", dir])
        #expect(badArg.status == 2)
        #expect(badArg.err.hasPrefix("参数错误："))
        let badLang = try baoxue(["whoami", "--lang", "fr", "--dir", dir])
        #expect(badLang.status == 2)
    }

    @Test func refusesAKeyFileOthersCanRead() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try baoxue(["init", "--dir", dir])
        chmod(dir + "/device.key", 0o640)
        let run = try baoxue(["whoami", "--dir", dir])
        #expect(run.status == 3)
        #expect(run.err.contains("chmod 600"))
    }

    @Test func logReportsATamperedStoredChange() throws {
        let dir = Fixtures.temporaryDirectory() + "/demo"
        let demo = try baoxue(["demo", "--dir", dir])
        #expect(demo.status == 0)
        let db = dir + "/teacher/replica.sqlite"
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = [
            "sqlite3", db, "UPDATE change SET bytes = CAST(replace(CAST(bytes AS TEXT), '张小明', '张大明') AS BLOB) WHERE position = 1",
        ]
        try sqlite.run()
        sqlite.waitUntilExit()
        try #require(sqlite.terminationStatus == 0, "sqlite3 CLI needed for this test")
        let log = try baoxue(["log", "--dir", dir + "/teacher", "--json"])
        let rows = try JSONSerialization.jsonObject(with: Data(log.out.utf8)) as! [[String: Any]]
        #expect(rows.count == 43, "teacher: 1 + 40 roster + 1 visit + 1 from the liaison")
        #expect(rows.filter { ($0["verified"] as! Bool) == false }.count == 1)
        // `verify` finds it too, names its position, and exits 1; the liaison's untouched replica verifies clean.
        let verify = try baoxue(["verify", "--dir", dir + "/teacher", "--json"])
        #expect(verify.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(verify.out.utf8)) as! [String: Any]
        #expect(report["failedPositions"] as? [Int] == [1] && report["changes"] as? Int == 43)
        let clean = try baoxue(["verify", "--dir", dir + "/liaison"])
        #expect(clean.status == 0 && clean.out.contains("签名无效 0 条"), "\(clean.out)")
    }

    @Test func auditShowsWhoDidWhatToAChild() throws {
        let dir = Fixtures.temporaryDirectory() + "/demo"
        #expect(try baoxue(["demo", "--dir", dir]).status == 0)
        let child = RecordID.derived("demo-child-张小明").hex
        let audit = try baoxue(["audit", child, "--dir", dir + "/liaison", "--json"])
        #expect(audit.status == 0, "\(audit.err)")
        let lines = try JSONSerialization.jsonObject(with: Data(audit.out.utf8)) as! [[String: Any]]
        // The teacher's name, school, visit and status; the liaison's school edit (superseding the teacher's) and focus flag.
        #expect(
            lines.map { $0["what"] as! String } == [
                "set name", "set school", "event visit", "set status", "set school", "add focus leftBehind",
            ])
        #expect(lines[1]["note"] as? String == "superseded")
        #expect(lines.allSatisfy { $0["verified"] as? Bool == true })
        #expect(Set(lines.map { $0["device"] as! String }).count == 2)
        #expect(try baoxue(["audit", "not-an-id", "--dir", dir + "/liaison"]).status == 1, "no child answers to it")
    }

    @Test func demoConvergesAndRejectsTheForgery() throws {
        let dir = Fixtures.temporaryDirectory() + "/demo"
        let outcome = try Demo.run(in: dir, lang: .en)
        #expect(outcome.forgeryRejected)
        #expect(outcome.teacherHeads == outcome.liaisonHeads)
        #expect(outcome.teacherHeads.count == 2)
    }
}

@Suite struct RebuildCLITests {
    @Test func rebuildReportsProgressAndKeepsTheSameTables() throws {
        let dir = Fixtures.temporaryDirectory() + "/demo"
        let cli = CLITests()
        #expect(try cli.baoxue(["demo", "--dir", dir]).status == 0)
        let first = try cli.baoxue(["rebuild", "--dir", dir + "/teacher", "--json"])
        #expect(first.status == 0)
        #expect(first.err.contains("重建中：43/43"), "teacher: 1 + 40 roster + 1 visit + 1 from the liaison")
        let second = try cli.baoxue(["rebuild", "--dir", dir + "/teacher", "--json"])
        #expect(first.out == second.out)
        let digests = try JSONSerialization.jsonObject(with: Data(first.out.utf8)) as! [String: String]
        #expect(digests.count == 11)
    }
}
