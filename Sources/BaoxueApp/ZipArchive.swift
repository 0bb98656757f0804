import Foundation

/// A ZIP archive of stored (uncompressed) entries: enough for an XLSX
/// workbook, which is a ZIP of XML parts. Stored entries keep this free of a
/// compression library; a report's workbook is small.
///
/// Invariant: entry names are unique and at most 65,535 bytes; the archive
/// stays under 4 GiB (no ZIP64).
struct ZipArchive {
    private var entries: [(name: [UInt8], data: [UInt8], crc: UInt32, offset: UInt32)] = []
    private var body: [UInt8] = []

    mutating func add(_ name: String, _ data: [UInt8]) {
        let nameBytes = Array(name.utf8)
        let crc = Self.crc32(data)
        let offset = UInt32(body.count)
        // Local file header: version 2.0, no flags, method 0 (stored), a fixed DOS time (1980-01-01).
        body += le32(0x0403_4b50) + le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21)
        body += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count)) + le16(0)
        body += nameBytes + data
        entries.append((nameBytes, data, crc, offset))
    }

    /// The archive's bytes: entries, central directory, end record.
    var bytes: [UInt8] {
        var out = body
        let start = UInt32(out.count)
        for e in entries {
            out += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21)
            out += le32(e.crc) + le32(UInt32(e.data.count)) + le32(UInt32(e.data.count)) + le16(UInt16(e.name.count))
            out += le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(e.offset) + e.name
        }
        let size = UInt32(out.count) - start
        out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        out += le32(size) + le32(start) + le16(0)
        return out
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }

    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (IEEE 802.3), as ZIP requires.
    static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data { c = table[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
