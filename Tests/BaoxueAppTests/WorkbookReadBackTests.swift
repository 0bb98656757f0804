import BaoxueApp
import BaoxueTesting
import Foundation
import Testing

/// The report's workbook as libxlsxwriter writes it, read back by two real readers: openpyxl
/// (formats, frozen header, widths, cell types, the chart sheet) and LibreOffice (every sheet to
/// CSV, equal cell by cell to the CSV files the report writes beside it). Both are installed by
/// `bash tools/run test`; without them the test fails, it does not skip.
@Suite struct WorkbookReadBackTests {
    let cli = CLITests()

    /// Checks one workbook against its CSV siblings; prints `ok` lines the test counts, or what differs.
    static let reader = #"""
        import csv, io, os, subprocess, sys, tempfile, datetime, openpyxl
        folder, base = sys.argv[1], sys.argv[2]
        wb = openpyxl.load_workbook(os.path.join(folder, base + '.xlsx'))
        print('sheets', '|'.join(wb.sheetnames))
        for s in wb.worksheets:
            ok = s.freeze_panes == 'A2' and all(c.font.b for c in s[1] if c.value is not None)
            print('header', s.title, 'bold-frozen' if ok else 'plain')
        ledger = wb['疑似辍学失学台账']
        head = [c.value for c in ledger[1]]
        row = [c for c in ledger[2]]
        cell = dict(zip(head, row))
        print('id', cell['身份证号'].data_type, len(cell['身份证号'].value))
        print('since', type(cell['在册起始日'].value).__name__, cell['在册起始日'].number_format)
        print('birth', type(cell['出生日期'].value).__name__)
        widths = [ledger.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i in range(len(head))]
        print('id-width', widths[head.index('身份证号')] >= 18, 'name-width', widths[head.index('序号')] < widths[head.index('已采取措施')])
        chart = wb.chartsheets[0]
        series = chart._charts[0].series if hasattr(chart, '_charts') and chart._charts else []
        print('chart', chart.title, len(series))
        out = tempfile.mkdtemp()
        profile = 'file://' + tempfile.mkdtemp()
        subprocess.run(['soffice', '-env:UserInstallation=' + profile, '--headless', '--convert-to',
                        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
                        '--outdir', out, os.path.join(folder, base + '.xlsx')], check=True, capture_output=True)
        def cells(text):
            return [[c.lstrip('\t').removeprefix("'") for c in r] for r in csv.reader(io.StringIO(text)) if any(r)]
        for s in wb.worksheets:
            lo = open(os.path.join(out, base + '-' + s.title + '.csv'), encoding='utf-8').read()
            ours = open(os.path.join(folder, base + '-' + s.title + '.csv'), encoding='utf-8-sig').read()
            a, b = cells(lo), cells(ours)
            print('libreoffice', s.title, 'equal' if a == b else 'differs', len(a))
            if a != b:
                print([(x, y) for x, y in zip(a, b) if x != y][:2])
        """#

    @Test func theWorkbookReadsBackInOpenpyxlAndLibreOffice() throws {
        let demo = Fixtures.temporaryDirectory() + "/demo"
        #expect(try cli.baoxue(["demo", "--township", "--children", "30", "--dir", demo]).status == 0)
        let out = Fixtures.temporaryDirectory() + "/reports"
        let made = try cli.baoxue(["report", "monthly", "--period", "2026-12", "--out", out, "--full-id", "--dir", demo + "/liaison"])
        try #require(made.status == 0, "\(made.err)")
        let script = Fixtures.temporaryDirectory() + "/read.py"
        try Self.reader.write(toFile: script, atomically: true, encoding: .utf8)
        let read = try cli.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, out, "月报-2026-12"], env: nil)
        try #require(read.status == 0, "openpyxl and LibreOffice (soffice) are needed; bash tools/run test installs them: \(read.err)")
        let lines = read.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "sheets 汇总|适龄儿童台账|疑似辍学失学台账|辍学台账|重点群体台账|图表", "\(lines)")
        #expect(lines.filter { $0.hasPrefix("header ") && $0.hasSuffix(" bold-frozen") }.count == 5, "\(lines)")
        // Full ID numbers stay text (18 characters, not 1.30207201112106E+17); dates are dates.
        #expect(lines.contains("id s 18"), "\(lines)")
        #expect(lines.contains("since datetime yyyy-mm-dd"), "\(lines)")
        #expect(lines.contains("birth datetime"), "\(lines)")
        #expect(lines.contains("id-width True name-width True"), "\(lines)")
        #expect(lines.contains("chart 图表 5"), "five series per school: \(lines)")
        // LibreOffice reads every sheet, and each equals the report's own CSV of it, cell by cell.
        let sheets = lines.filter { $0.hasPrefix("libreoffice ") }
        #expect(sheets.count == 5 && sheets.allSatisfy { $0.contains(" equal ") }, "\(lines)")
        #expect(sheets.first { $0.contains("适龄儿童台账") }?.hasSuffix(" 31") == true, "30 children and the header: \(sheets)")
    }
}
