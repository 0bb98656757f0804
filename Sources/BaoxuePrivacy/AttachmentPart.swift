import BaoxueCore
import BaoxueRecords
import BaoxueSodium

/// One part of an attachment — an evidence photo, a signed statement — as it travels (privacy.md
/// §3.6): the body (kind 3) of a sealed payload of a change in the child's school, sealed under the
/// child's content key like the record that cites it. A file is cut into parts of `partBytes`,
/// each its own change, so a sync cut short resumes after the parts already acknowledged, a relay
/// stores and counts them as the ciphertext they are, and a transfer carries them with the child.
///
/// Layout: `attachment id (32) | child id (16) | index u16 | count u16 | name length u8 | name
/// UTF-8 | bytes`. The id is BLAKE2b-256 of the whole file: what the record's `evidence` names.
/// Invariant: `index < count ≤ maxParts`; the name is in part 0 only; every part but the last
/// holds exactly `partBytes`.
public struct AttachmentPart: Sendable, Equatable {
    /// 192 KiB: three parts a minute on a 2G link, so little is sent twice after a cut.
    public static let partBytes = 192 << 10
    /// The largest attachment: 8 MiB (a phone photo, a scanned statement).
    public static let maxBytes = 8 << 20
    public static let maxParts = (maxBytes + partBytes - 1) / partBytes

    public let attachment: [UInt8]
    public let child: RecordID
    public let index: Int
    public let count: Int
    public let name: String
    public let bytes: [UInt8]

    /// Cuts a file into its parts; `name` is what `attachment export` writes it as (at most 255 bytes).
    public static func split(_ file: [UInt8], name: String, child: RecordID) throws(PrivacyError) -> [AttachmentPart] {
        guard !file.isEmpty, file.count <= maxBytes else { throw .malformed("attachment of \(file.count) bytes (1 … \(maxBytes))") }
        guard name.utf8.count <= 255, !name.contains("/"), !name.contains("\0") else { throw .malformed("attachment name") }
        let id = Blake2b.hash(file, length: 32)
        let count = (file.count + partBytes - 1) / partBytes
        return (0..<count).map { i in
            AttachmentPart(
                attachment: id, child: child, index: i, count: count, name: i == 0 ? name : "",
                bytes: Array(file[(i * partBytes)..<min(file.count, (i + 1) * partBytes)]))
        }
    }

    /// The file the parts make, checked against its id; they may come in any order.
    public static func assemble(_ parts: [AttachmentPart]) throws(PrivacyError) -> (name: String, bytes: [UInt8]) {
        guard let first = parts.first else { throw .malformed("no parts") }
        let sorted = parts.sorted { $0.index < $1.index }
        guard sorted.map(\.index) == Array(0..<first.count),
            sorted.allSatisfy({ $0.attachment == first.attachment && $0.count == first.count })
        else { throw .malformed("parts missing") }
        let bytes = sorted.flatMap(\.bytes)
        guard Blake2b.hash(bytes, length: 32) == first.attachment else { throw .tampered }
        return (sorted[0].name, bytes)
    }

    public var encoded: [UInt8] {
        let n = Array(name.utf8)
        return attachment + (try! Hex.decode(child.hex)) + [UInt8(index >> 8), UInt8(index & 0xff), UInt8(count >> 8), UInt8(count & 0xff)]
            + [UInt8(n.count)] + n + bytes
    }

    /// The strict parser.
    public init(bytes b: [UInt8]) throws(PrivacyError) {
        guard b.count >= 32 + 16 + 4 + 1 else { throw .malformed("attachment part: too short") }
        let index = Int(b[48]) << 8 | Int(b[49])
        let count = Int(b[50]) << 8 | Int(b[51])
        let n = Int(b[52])
        guard (1...Self.maxParts).contains(count), index < count, b.count >= 53 + n,
            let name = String(validating: b[53..<(53 + n)], as: UTF8.self), index == 0 || n == 0,
            let child = try? RecordID(hex: Hex.encode(Array(b[32..<48])))
        else { throw .malformed("attachment part: header") }
        let bytes = Array(b[(53 + n)...])
        guard index == count - 1 ? (1...Self.partBytes).contains(bytes.count) : bytes.count == Self.partBytes else {
            throw .malformed("attachment part: length")
        }
        self.init(attachment: Array(b[0..<32]), child: child, index: index, count: count, name: name, bytes: bytes)
    }

    private init(attachment: [UInt8], child: RecordID, index: Int, count: Int, name: String, bytes: [UInt8]) {
        self.attachment = attachment
        self.child = child
        self.index = index
        self.count = count
        self.name = name
        self.bytes = bytes
    }
}
