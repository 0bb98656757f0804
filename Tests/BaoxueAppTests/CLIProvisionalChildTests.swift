import BaoxueApp
import BaoxueTesting
import Foundation
import Testing

/// Children without papers (issue 21 §16): `child add --provisional` records one found by a survey,
/// work is recorded about it as about any child, and `child merge` puts it under its registry record
/// once the ID number is known, keeping both histories; wrong merges are refused and a void undoes one.
@Suite struct CLIProvisionalChildTests {
    let cli = CLITests()

    @Test func aChildFoundWithoutPapersIsRecordedWorkedOnAndMergedLater() throws {
        let (dir, _) = try CLIRecordTests().replica()
        func run(_ args: [String]) throws -> CLITests.Run { try cli.baoxue(args + ["--dir", dir]) }
        func ok(_ args: [String]) throws -> String {
            let r = try run(args)
            #expect(r.status == 0, "\(args): \(r.err)")
            return r.out
        }
        let plain = try run(["child", "add", "--name", "罗小花", "--scope", "东镇/一小"])
        #expect(plain.status == 2 && plain.err.contains("--provisional"), "the refusal says what to do: \(plain.err)")

        let added = try JSONSerialization.jsonObject(with: Data(try ok([
            "child", "add", "--provisional", "--name", "罗小花", "--found", "摸排：东村3组12号", "--gender", "女", "--village", "东村",
            "--school", "东镇一小", "--scope", "东镇/一小", "--json"]).utf8)) as! [String: String]
        let p = try #require(added["child"])
        #expect(try ok(["child", "list", "--search", "罗小花"]).contains("临时登记"))
        _ = try ok(["child", "status", p, "suspectedDropout", "--reason", "摸排发现未入学", "--date", "2026-11-03"])
        _ = try ok(["record", "visit", p, "--with", "王老师", "--spoke-to", "奶奶", "--agreed", "办理户口后入学", "--date", "2026-11-05"])
        #expect(try ok(["ledger"]).contains("罗小花"))

        let registry = String(try ok(["child", "list", "--search", "学生1"]).prefix(32))
        let backwards = try run(["child", "merge", "学生1", "--into", p])
        #expect(backwards.status == 1 && backwards.err.contains("不是待合并的临时登记"), "\(backwards.err)")
        let itself = try run(["child", "merge", p, "--into", p])
        #expect(itself.status == 1 && itself.err.contains("其本身"), "\(itself.err)")
        let merged = try JSONSerialization.jsonObject(with: Data(try ok(["child", "merge", "罗小花", "--into", "学生1", "--json"]).utf8))
            as! [String: Any]
        let entry = try #require(merged["entry"] as? String)

        #expect(!(try ok(["child", "list"])).contains("罗小花"), "the merged record leaves the lists")
        let ledger = try ok(["ledger"])
        #expect(ledger.contains("学生1") && !ledger.contains("罗小花"), "\(ledger)")
        let file = try ok(["child", "file", registry])
        for expected in ["已并入的临时登记", "罗小花（临时登记：摸排：东村3组12号）", "交谈对象：奶奶", "疑似辍学", "2026-11-03 起，在册"] {
            #expect(file.contains(expected), "\(expected) missing from:\n\(file)")
        }
        #expect(try ok(["child", "file", p]) == file, "the provisional id now opens the registry child's file")
        let again = try run(["child", "merge", p, "--into", "学生2"])
        #expect(again.status == 1, "already merged: \(again.err)")

        _ = try ok(["void", entry, "--reason", "不是同一人"])
        #expect(try ok(["child", "list", "--search", "罗小花"]).contains("临时登记"), "the void undoes the merge")
        #expect(try ok(["ledger"]).contains("罗小花"))
    }
}
