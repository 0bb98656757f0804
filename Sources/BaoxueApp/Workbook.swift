import BaoxueRecords
import Foundation

/// A report as sheets of text, numbers and dates, plus a chart of one sheet's columns; written as
/// XLSX by `XLSXFile` (libxlsxwriter) or as CSV in UTF-8 with a BOM (so Excel in China shows the
/// Chinese intact).
///
/// Invariant: sheet names are unique, 1–31 characters, without `[]:*?/\`; every sheet's first
/// row is its header.
public struct Workbook: Sendable, Equatable {
    /// A cell: text (kept text even when it is all digits, as ID numbers are), a number Excel can
    /// sum, or a date Excel can sort and filter.
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Int)
        case date(SimpleDate)

        /// A `YYYY-MM-DD` text as a date; anything else (a masked birth date) stays text.
        static func date(_ text: String?) -> Cell {
            guard let text else { return .text("") }
            return (try? SimpleDate(text)).map(Cell.date) ?? .text(text)
        }
    }

    public struct Sheet: Sendable, Equatable {
        public let name: String
        public let rows: [[Cell]]
    }

    /// A column chart on a sheet of its own: one bar group per row of `sheet` (its first column
    /// names the group), one series per column in `series`.
    public struct Chart: Sendable, Equatable {
        public let name: String
        public let title: String
        public let sheet: Int
        public let series: [Int]
    }

    public private(set) var sheets: [Sheet] = []
    public private(set) var chart: Chart?

    public init() {}

    mutating func add(_ name: String, header: [String], rows: [[Cell]]) {
        let clean = unique(name)
        sheets.append(Sheet(name: clean, rows: [header.map(Cell.text)] + rows))
    }

    /// Charts the columns `series` of the sheet added last, after the sheets.
    mutating func addChart(_ name: String, title: String, series: [Int]) {
        chart = Chart(name: unique(name), title: title, sheet: sheets.count - 1, series: series)
    }

    private func unique(_ name: String) -> String {
        var clean = String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        if clean.isEmpty { clean = "Sheet\(sheets.count + 1)" }
        while sheets.contains(where: { $0.name == clean }) || chart?.name == clean {
            clean = String(clean.prefix(28)) + "\(sheets.count + 1)"
        }
        return clean
    }

    /// One CSV per sheet: UTF-8 with BOM, CRLF, RFC 4180 quoting; dates as `YYYY-MM-DD`.
    public func csv(_ sheet: Sheet) -> [UInt8] {
        func quote(_ cell: Cell) -> String {
            switch cell {
            case .number(let n): return String(n)
            case .date(let d): return d.description
            case .text(let t):
                // A leading = + - @ would make Excel evaluate the cell; an apostrophe disarms it (CSV injection).
                var safe = t.first.map { "=+-@".contains($0) } == true ? "'" + t : t
                // Digits alone (an ID number, a 学籍号, a landline with its leading 0) would become a number in
                // Excel and LibreOffice (1.30207201112106E+17, 315…): a leading tab keeps the cell text.
                if t.count >= 6, t.allSatisfy({ $0.isASCII && $0.isNumber }) {
                    safe = "\t" + t
                }
                return safe.contains(where: { ",\"\r\n".contains($0) })
                    ? "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : safe
            }
        }
        let text = sheet.rows.map { $0.map(quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
    }

    /// How wide column `index` of `sheet` is shown, in Excel's character units: its widest cell
    /// (a CJK character counts two), at least 6 and at most 60.
    static func width(of sheet: Sheet, column index: Int) -> Double {
        var widest = 0
        for row in sheet.rows where row.indices.contains(index) {
            let shown: Int
            switch row[index] {
            case .number(let n): shown = String(n).count
            case .date: shown = 10
            case .text(let t): shown = t.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
            }
            widest = max(widest, shown)
        }
        return Double(min(60, max(6, widest + 2)))
    }
}
