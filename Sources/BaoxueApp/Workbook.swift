import Foundation

/// A report as sheets of text and numbers, written as XLSX (a real OOXML
/// workbook, one sheet per ledger, that Excel and LibreOffice open) or as
/// CSV in UTF-8 with a BOM (so Excel in China shows the Chinese intact).
///
/// Invariant: sheet names are unique, 1–31 characters, without `[]:*?/\`.
public struct Workbook: Sendable, Equatable {
    /// A cell: text, or a number Excel can sum.
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Int)
    }

    public struct Sheet: Sendable, Equatable {
        public let name: String
        public let rows: [[Cell]]
    }

    public private(set) var sheets: [Sheet] = []

    public init() {}

    mutating func add(_ name: String, header: [String], rows: [[Cell]]) {
        var clean = String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        if clean.isEmpty { clean = "Sheet\(sheets.count + 1)" }
        while sheets.contains(where: { $0.name == clean }) { clean = String(clean.prefix(28)) + "\(sheets.count + 1)" }
        sheets.append(Sheet(name: clean, rows: [header.map(Cell.text)] + rows))
    }

    /// One CSV per sheet: UTF-8 with BOM, CRLF, RFC 4180 quoting.
    public func csv(_ sheet: Sheet) -> [UInt8] {
        func quote(_ cell: Cell) -> String {
            switch cell {
            case .number(let n): return String(n)
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

    /// The workbook as XLSX bytes.
    public func xlsx() -> [UInt8] {
        var zip = ZipArchive()
        let sheetTypes = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        zip.add(
            "[Content_Types].xml",
            xml(
                """
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                <Override PartName="/xl/workbook.xml" \
                ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
                \(sheetTypes)</Types>
                """))
        zip.add(
            "_rels/.rels",
            xml(
                """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" \
                Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
                </Relationships>
                """))
        let sheetList = sheets.enumerated().map { "<sheet name=\"\(escape($1.name))\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>" }
            .joined()
        zip.add(
            "xl/workbook.xml",
            xml(
                """
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
                xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(sheetList)</sheets></workbook>
                """))
        let rels = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
                + "Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        zip.add(
            "xl/_rels/workbook.xml.rels",
            xml("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(rels)</Relationships>"))
        for (i, sheet) in sheets.enumerated() {
            let rows = sheet.rows.enumerated().map { r, cells in
                "<row r=\"\(r + 1)\">"
                    + cells.enumerated().map { c, cell in
                        let ref = Self.column(c) + String(r + 1)
                        switch cell {
                        case .number(let n): return "<c r=\"\(ref)\"><v>\(n)</v></c>"
                        case .text(let t): return "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(t))</t></is></c>"
                        }
                    }.joined() + "</row>"
            }.joined()
            zip.add(
                "xl/worksheets/sheet\(i + 1).xml",
                xml(
                    "<worksheet "
                        + "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>\(rows)</sheetData></worksheet>"
                ))
        }
        return zip.bytes
    }

    private func xml(_ body: String) -> [UInt8] { Array(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" + body).utf8) }

    /// XML text escaping; control characters (never in record text) are dropped.
    private func escape(_ t: String) -> String {
        var out = ""
        for ch in t.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case _ where ch.value < 0x20 && ch != "\n" && ch != "\t": continue
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// 0 → A, 25 → Z, 26 → AA.
    static func column(_ index: Int) -> String {
        var n = index + 1
        var out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }
}
