import BaoxueRecords
import CXlsxWriter
import Foundation

/// A `Workbook` written as an XLSX file by libxlsxwriter (Debian's libxlsxwriter-dev): every
/// sheet's header row bold and frozen, columns as wide as their text, ID numbers and other
/// digit strings as text, dates as dates (`yyyy-mm-dd`), and the chart on a chart sheet.
///
/// Invariant: the same workbook and `created` give the same bytes — a report's manifest hashes
/// them and `report verify --recompute` compares them file by file.
enum XLSXFile {
    /// The file's bytes. libxlsxwriter only writes to a path: it writes into a fresh private
    /// folder (mode 0700; the sheets list minors), which is removed before returning.
    static func bytes(_ book: Workbook, created: SimpleDate) throws(AppError) -> [UInt8] {
        let base = FileManager.default.temporaryDirectory.path + "/baoxue-xlsx-XXXXXX"
        var template = Array(base.utf8CString)
        guard let made = mkdtemp(&template) else { throw .workbookNotWritten(reason: String(cString: strerror(errno))) }
        let folder = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/report.xlsx"
        try write(book, created: created, to: path, scratch: folder)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .workbookNotWritten(reason: String(cString: strerror(errno)))
        }
        return Array(data)
    }

    private static func write(_ book: Workbook, created: SimpleDate, to path: String, scratch: String) throws(AppError) {
        // Rows go out as they are written (constant memory): a 120,000-child sheet never sits in RAM twice.
        let opened = scratch.withCString { dir in
            var options = lxw_workbook_options(constant_memory: 1, tmpdir: UnsafeMutablePointer(mutating: dir), use_zip64: 0)
            return workbook_new_opt(path, &options)
        }
        guard let workbook = opened else { throw .workbookNotWritten(reason: "workbook_new") }
        var closed = false
        defer { if !closed { workbook_close(workbook) } }
        // The creation time shown in the file's properties is the period's end, not the clock: same input, same bytes.
        var properties = lxw_doc_properties()
        var time = tm()
        time.tm_year = Int32(created.year - 1900)
        time.tm_mon = Int32(created.month - 1)
        time.tm_mday = Int32(created.day)
        properties.created = timegm(&time)
        workbook_set_properties(workbook, &properties)
        let bold = workbook_add_format(workbook)
        format_set_bold(bold)
        let date = workbook_add_format(workbook)
        format_set_num_format(date, "yyyy-mm-dd")
        for sheet in book.sheets {
            guard let worksheet = workbook_add_worksheet(workbook, sheet.name) else {
                throw .workbookNotWritten(reason: "sheet \(sheet.name)")
            }
            let columns = sheet.rows.map(\.count).max() ?? 0
            for c in 0..<columns {
                worksheet_set_column(worksheet, lxw_col_t(c), lxw_col_t(c), Workbook.width(of: sheet, column: c), nil)
            }
            worksheet_freeze_panes(worksheet, 1, 0)
            for (r, row) in sheet.rows.enumerated() {
                for (c, cell) in row.enumerated() {
                    let (rr, cc) = (lxw_row_t(r), lxw_col_t(c))
                    let status: lxw_error
                    switch cell {
                    case .text(""): continue
                    case .text(let t): status = worksheet_write_string(worksheet, rr, cc, t, r == 0 ? bold : nil)
                    case .number(let n): status = worksheet_write_number(worksheet, rr, cc, Double(n), nil)
                    case .date(let d):
                        var when = lxw_datetime(year: Int32(d.year), month: Int32(d.month), day: Int32(d.day), hour: 0, min: 0, sec: 0)
                        status = worksheet_write_datetime(worksheet, rr, cc, &when, date)
                    }
                    guard status == LXW_NO_ERROR else { throw .workbookNotWritten(reason: String(cString: lxw_strerror(status))) }
                }
            }
        }
        if let chart = book.chart { try add(chart, of: book.sheets[chart.sheet], to: workbook) }
        closed = true
        let status = workbook_close(workbook)
        guard status == LXW_NO_ERROR else { throw .workbookNotWritten(reason: String(cString: lxw_strerror(status))) }
    }

    /// A clustered column chart: the sheet's rows (below its header) as categories, its header
    /// cells as the series' names.
    private static func add(
        _ chart: Workbook.Chart, of sheet: Workbook.Sheet, to workbook: UnsafeMutablePointer<lxw_workbook>
    )
        throws(AppError)
    {
        guard let chartsheet = workbook_add_chartsheet(workbook, chart.name),
            let drawing = workbook_add_chart(workbook, UInt8(LXW_CHART_COLUMN.rawValue))
        else { throw .workbookNotWritten(reason: "chart \(chart.name)") }
        chart_title_set_name(drawing, chart.title)
        let last = lxw_row_t(max(1, sheet.rows.count - 1))
        for column in chart.series {
            let series = chart_add_series(drawing, nil, nil)
            chart_series_set_categories(series, sheet.name, 1, 0, last, 0)
            chart_series_set_values(series, sheet.name, 1, lxw_col_t(column), last, lxw_col_t(column))
            chart_series_set_name_range(series, sheet.name, 0, lxw_col_t(column))
        }
        chart_legend_set_position(drawing, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
        guard chartsheet_set_chart(chartsheet, drawing) == LXW_NO_ERROR else { throw .workbookNotWritten(reason: "chart") }
    }
}
