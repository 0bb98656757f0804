import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A roster file as exported by the registries: its text (UTF-8, with or
/// without BOM, or GBK/GB18030 — Excel's default for CSV in China, converted
/// here) split into CSV records.
///
/// Invariant: `records` is exactly what the file says; nothing is trimmed
/// beyond surrounding spaces of each cell and blank lines.
public struct RosterFile: Sendable, Equatable {
    /// The encoding the file was in: "UTF-8" or "GBK".
    public let encoding: String
    /// Rows of cells; the first is the header.
    public let records: [[String]]
    /// The physical line each record starts on (blank lines and quoted line breaks counted).
    public let lines: [Int]

    public init(bytes: [UInt8], path: String) throws(AppError) {
        var body = bytes
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
        let text: String
        if let utf8 = String(validating: body, as: UTF8.self) {
            text = utf8
            encoding = "UTF-8"
        } else if let gbk = Self.fromGB18030(body) {
            text = gbk
            encoding = "GBK"
        } else {
            throw .rosterEncoding(path: path)
        }
        (records, lines) = try Self.parse(text, path: path)
    }

    /// Reads `path`; a missing or unreadable file is a typed error.
    public static func read(_ path: String) throws(AppError) -> RosterFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw .fileMissing(path: path) }
        return try RosterFile(bytes: Array(data), path: path)
    }

    /// GB18030 (a superset of GBK and GB2312) to UTF-8 through iconv; nil if the bytes are not valid GB18030.
    static func fromGB18030(_ bytes: [UInt8]) -> String? {
        convert(bytes, from: "GB18030", to: "UTF-8").flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// Text as GB18030 bytes, the way Excel in China saves CSV (the demo writes its roster so).
    static func gb18030(_ text: String) -> [UInt8]? { convert(Array(text.utf8), from: "UTF-8", to: "GB18030") }

    private static func convert(_ bytes: [UInt8], from: String, to: String) -> [UInt8]? {
        let cd = iconv_open(to, from)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        let converted: Int? = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr = inBuf.baseAddress
                var inLeft = inBuf.count
                var outPtr = outBuf.baseAddress
                var outLeft = outBuf.count
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1, inLeft == 0 else { return nil }
                return outBuf.count - outLeft
            }
        }
        return converted.map { output[0..<$0].map { UInt8(bitPattern: $0) } }
    }

    /// RFC 4180: commas, double-quoted cells with "" for a quote, CRLF or LF line ends.
    static func parse(_ text: String, path: String) throws(AppError) -> ([[String]], [Int]) {
        var records: [[String]] = []
        var starts: [Int] = []
        var record: [String] = []
        var cell = ""
        var quoted = false
        var line = 1, start = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        func endRecord() {
            record.append(cell.trimmingCharacters(in: .whitespaces))
            cell = ""
            if !(record.count == 1 && record[0].isEmpty) {
                records.append(record)
                starts.append(start)
            }
            record = []
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let after = next() {
                        if after == "\"" { cell.unicodeScalars.append("\"") } else { quoted = false; pending = after }
                    } else { quoted = false }
                } else {
                    if c == "\n" { line += 1 }
                    cell.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where cell.trimmingCharacters(in: .whitespaces).isEmpty:
                cell = ""
                quoted = true
            case ",":
                record.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            case "\r":
                continue
            case "\n":
                endRecord()
                line += 1
                start = line
            default:
                cell.unicodeScalars.append(c)
            }
        }
        if quoted { throw .rosterMalformed(path: path, line: line, reason: "unclosed quote") }
        if !cell.isEmpty || !record.isEmpty { endRecord() }
        return (records, starts)
    }
}
