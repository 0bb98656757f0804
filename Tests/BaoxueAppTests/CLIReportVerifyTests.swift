import BaoxueApp
import BaoxueTesting
import Foundation
import Testing

/// `baoxue report verify` as a bureau clerk uses it on a folder someone sent: it passes as
/// exported, and fails naming the file when a byte of the workbook is changed, a sheet is
/// removed or a file is slipped in; a folder without a manifest is refused with what to do.
@Suite struct CLIReportVerifyTests {
    let cli = CLITests()

    @Test func anExportedReportVerifiesAndATamperedOneIsRefusedNamingTheFile() throws {
        let demo = Fixtures.temporaryDirectory() + "/demo"
        #expect(try cli.baoxue(["demo", "--township", "--children", "20", "--dir", demo]).status == 0)
        let out = Fixtures.temporaryDirectory() + "/报表"
        let made = try cli.baoxue(["report", "monthly", "--period", "2026-11", "--out", out, "--dir", demo + "/school-admin"])
        #expect(made.status == 0 && made.out.contains("月报-2026-11.manifest.baoxue"), "\(made.out) \(made.err)")
        // A second report in the same folder brings its own manifest; neither counts the other's files as intruders.
        let quarter = try cli.baoxue(["report", "quarterly", "--period", "2026-Q4", "--out", out, "--dir", demo + "/school-admin"])
        #expect(quarter.status == 0, "\(quarter.err)")
        let good = try cli.baoxue(["report", "verify", out])
        #expect(good.status == 0 && good.out.contains("核验通过：6 个文件"), "\(good.out) \(good.err)")
        #expect(good.out.components(separatedBy: "核验通过").count == 3, "both reports pass: \(good.out)")
        let whoami = try cli.baoxue(["whoami", "--dir", demo + "/school-admin", "--json"])
        let fingerprint = try #require(
            (try JSONSerialization.jsonObject(with: Data(whoami.out.utf8)) as? [String: Any])?["fingerprint"] as? String)
        #expect(good.out.contains(fingerprint), "the clerk compares this with the exporter's phone")

        let workbook = out + "/月报-2026-11.xlsx"
        var bytes = try #require(FileManager.default.contents(atPath: workbook))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: workbook))
        try FileManager.default.removeItem(atPath: out + "/月报-2026-11-辍学台账.csv")
        try Data("x".utf8).write(to: URL(fileURLWithPath: out + "/补充.csv"))
        let bad = try cli.baoxue(["report", "verify", out])
        #expect(bad.status == 1, "\(bad.out)")
        #expect(bad.out.contains("文件“月报-2026-11.xlsx”与签名时不一致"), "\(bad.out)")
        #expect(bad.out.contains("缺少文件“月报-2026-11-辍学台账.csv”"), "\(bad.out)")
        #expect(bad.out.contains("文件“补充.csv”不在签名清单中"), "\(bad.out)")
        let english = try cli.baoxue(["report", "verify", out, "--lang", "en", "--json"])
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(english.out.utf8)) as? [[String: Any]])
        // The file slipped in belongs to neither report: both name it.
        #expect(reports.map { ($0["problems"] as? [String])?.count } == [1, 3] && english.status == 1, "\(english.out)")

        let empty = Fixtures.temporaryDirectory() + "/空"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let none = try cli.baoxue(["report", "verify", empty])
        #expect(none.status == 1 && none.err.contains(".manifest.baoxue") && none.err.contains("请检查路径"), "\(none.err)")
    }

    @Test func aReportRecomputedOnAReplicaShowsWhatChangedSince() throws {
        let demo = Fixtures.temporaryDirectory() + "/demo"
        #expect(try cli.baoxue(["demo", "--township", "--children", "20", "--dir", demo]).status == 0)
        let admin = demo + "/school-admin"
        let out = Fixtures.temporaryDirectory() + "/报表"
        #expect(try cli.baoxue(["report", "monthly", "--period", "2026-11", "--out", out, "--dir", admin]).status == 0)
        let same = try cli.baoxue(["report", "verify", out, "--recompute", "--dir", admin])
        #expect(same.status == 0 && same.out.contains("在本机重新计算：6 个文件与报表完全一致"), "\(same.out) \(same.err)")
        // A visit dated inside the month, entered after the export: the summary's visit count moves from the signed one.
        let child = String(try cli.baoxue(["child", "list", "--dir", admin]).out.prefix(32))
        let visit = try cli.baoxue(["record", "visit", child, "--with", "王老师", "--spoke-to", "祖母", "--date", "2026-11-20", "--dir", admin])
        #expect(visit.status == 0, "\(visit.err)")
        let moved = try cli.baoxue(["report", "verify", out, "--recompute", "--dir", admin, "--json"])
        let report = try #require((try JSONSerialization.jsonObject(with: Data(moved.out.utf8)) as? [[String: Any]])?.first)
        let again = try #require(report["recomputed"] as? [String: Any])
        #expect(moved.status == 1 && again["newer"] as? Bool == true)
        #expect(again["differing"] as? [String] == ["月报-2026-11.xlsx", "月报-2026-11-汇总.csv"], "\(again)")
        let pairs = try #require(again["summaryDifferences"] as? [[String]])
        let visits = try #require(pairs.first?.map { $0.split(separator: ",", omittingEmptySubsequences: false)[8] })  // 家访
        #expect(pairs.count == 1 && Int(visits[1])! == Int(visits[0])! + 1, "\(pairs)")
        // A relay keeps no records: it is told to use a device that does.
        let relay = try cli.baoxue(["report", "verify", out, "--recompute", "--dir", demo + "/relay"])
        #expect(relay.status == 1 && relay.err.contains("不保存儿童记录"), "\(relay.err)")
    }
}
