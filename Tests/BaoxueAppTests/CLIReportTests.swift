import BaoxueApp
import BaoxueTesting
import Foundation
import Testing

/// `baoxue report`: the printed figures, and the XLSX and CSV files read back
/// with a real reader (openpyxl, installed by `tools/run test`).
@Suite struct CLIReportTests {
    let cli = CLITests()

    /// Runs Python with openpyxl on `script`; the test fails (not skips) without it.
    func python(_ script: String) throws -> String {
        let run = try cli.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script], env: nil)
        #expect(run.status == 0, "python3 with openpyxl is needed (bash tools/run test installs it): \(run.err)")
        return run.out
    }

    @Test func theMonthlyReportOpensInARealSpreadsheetReader() throws {
        let demo = Fixtures.temporaryDirectory() + "/demo"
        #expect(try cli.baoxue(["demo", "--township", "--children", "30", "--dir", demo]).status == 0)
        let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        let month = String(format: "%04d-%02d", now.year!, now.month!)
        let out = Fixtures.temporaryDirectory() + "/reports"
        let run = try cli.baoxue(["report", "monthly", "--period", month, "--out", out, "--dir", demo + "/liaison"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("适龄儿童 30 人") && run.out.contains("家访 1 次") && run.out.contains("送教上门 1 次 2 课时"), "\(run.out)")
        #expect(run.out.contains("个人信息"), "the files carry a warning")
        let csv = try #require(FileManager.default.contents(atPath: out + "/月报-\(month)-适龄儿童台账.csv"))
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 with BOM for Excel")
        #expect(String(decoding: csv.dropFirst(3), as: UTF8.self).hasPrefix("姓名,身份证号（后四位）,学校,年级,状态"))
        let rows = String(decoding: csv, as: UTF8.self).split(separator: "\r\n")
        #expect(rows.count == 31)
        // ID numbers keep their last four digits only, unless --full-id.
        let idCells = rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] }
        #expect(idCells.allSatisfy { $0.count == 18 && $0.hasPrefix(String(repeating: "*", count: 14)) }, "\(idCells.prefix(3))")
        #expect(run.out.contains("后四位"))
        let fullOut = Fixtures.temporaryDirectory() + "/reports-full"
        let full = try cli.baoxue(["report", "monthly", "--period", month, "--out", fullOut, "--full-id", "--dir", demo + "/liaison"])
        #expect(full.status == 0 && full.out.contains("完整身份证号"), "\(full.err)")
        let fullCSV = String(
            decoding: try #require(FileManager.default.contents(atPath: fullOut + "/月报-\(month)-适龄儿童台账.csv")), as: UTF8.self)
        let fullIDs = fullCSV.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] }
        #expect(zip(fullIDs, idCells).allSatisfy { f, m in !f.contains("*") && f.suffix(4) == m.suffix(4) })
        // A leading tab keeps an all-digit ID number text when Excel or LibreOffice opens the CSV (not 1.30207201112106E+17).
        #expect(
            fullIDs.filter { $0.dropFirst().allSatisfy(\.isNumber) }.allSatisfy { $0.hasPrefix("\t") && $0.count == 19 },
            "\(fullIDs.prefix(3))")
        #expect(fullIDs.contains { $0.hasPrefix("\t") }, "the demo's IDs include all-digit ones")
        let read = try python(
            """
            import openpyxl
            wb = openpyxl.load_workbook('\(out)/月报-\(month).xlsx')
            print('|'.join(wb.sheetnames))
            s = wb['汇总']
            head = [c.value for c in s[1]]
            row = dict(zip(head, [c.value for c in s[2]]))
            print(row['适龄儿童'], row['家访'], row['劝返次数'], row['送教课时'], row['疑似辍学/失学在册'])
            print(wb['适龄儿童台账'].max_row)
            ledger = wb['疑似辍学失学台账']
            print('|'.join(c.value for c in ledger[1]))
            print('|'.join('' if c.value is None else str(c.value) for c in ledger[2]))
            """)
        let lines = read.split(separator: "\n").map(String.init)
        #expect(lines.first == "汇总|适龄儿童台账|疑似辍学失学台账|辍学台账|重点群体台账|图表")
        #expect(lines.dropFirst().first == "30 1 1 2 1", "numbers are numbers: \(lines)")
        #expect(lines.dropFirst(2).first == "31")
        // The ledger sheets have the 登记表's columns, not three.
        #expect(
            lines.dropFirst(3).first == "序号|姓名|性别|出生日期|身份证号（后四位）|学校|年级|班级|户籍地|现住址|监护人|联系电话|在册起始日|当前状态"
                + "|辍学（失学）原因|已采取措施|责任人")
        let entry = lines.dropFirst(4).first?.split(separator: "|", omittingEmptySubsequences: false).map(String.init) ?? []
        #expect(entry.count == 17 && entry[0] == "1" && entry[4].hasPrefix("**************") && entry[15].hasPrefix("家访 "), "\(entry)")

        let quarter = "\(now.year!)-Q\((now.month! - 1) / 3 + 1)"
        let review = try cli.baoxue(["report", "quarterly", "--period", quarter, "--out", out, "--dir", demo + "/liaison", "--lang", "en"])
        #expect(review.status == 0 && review.out.contains("30 children"), "\(review.err)")
        #expect(
            try python("import openpyxl; print(openpyxl.load_workbook('\(out)/quarterly-review-\(quarter).xlsx').sheetnames[0])")
                .trimmingCharacters(in: .whitespacesAndNewlines) == "schools")
    }

    @Test func badPeriodsAndExistingFilesChangeNothing() throws {
        let dir = Fixtures.temporaryDirectory() + "/r"
        _ = try cli.baoxue(["init", "--dir", dir])
        for (args, status, text) in [
            (["report", "monthly", "--period", "2026-13"], Int32(2), "--period"),
            (["report", "quarterly", "--period", "2026-11"], 2, "--period"),
            (["report", "weekly"], 2, "monthly"),
        ] {
            let run = try cli.baoxue(args + ["--dir", dir])
            #expect(run.status == status && run.err.contains(text) && run.err.split(separator: "\n").count == 1, "\(args): \(run.err)")
        }
        let out = Fixtures.temporaryDirectory() + "/reports"
        #expect(try cli.baoxue(["report", "monthly", "--period", "2026-11", "--out", out, "--dir", dir]).status == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        let again = try cli.baoxue(["report", "monthly", "--period", "2026-11", "--out", out, "--dir", dir])
        #expect(again.status == 1 && again.err.contains("不会覆盖"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == before)
    }
}
