import BaoxueCore

/// The id of one operation: the change that carries it and its index in
/// that change's payload. Written `<change id hex>:<index>`.
///
/// Invariant: unique across all replicas, since change ids are.
public struct OpID: Hashable, Comparable, Sendable, TextCodable, CustomStringConvertible {
    public let change: ChangeID
    public let index: UInt16

    public init(change: ChangeID, index: UInt16) {
        self.change = change
        self.index = index
    }

    public init(text: String) throws(RecordsError) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let index = UInt16(parts[1]), let id = try? ChangeID(hex: String(parts[0])) else {
            throw .invalidField("op", reason: "must be <change id>:<index>")
        }
        self.init(change: id, index: index)
    }

    public var text: String { "\(change.hex):\(index)" }
    public var description: String { text }

    /// 34 bytes: the change id then the index big-endian; how views store it.
    public var bytes: [UInt8] { change.bytes + [UInt8(index >> 8), UInt8(index & 0xff)] }

    public init(bytes: [UInt8]) throws(RecordsError) {
        guard bytes.count == 34, let id = try? ChangeID(bytes: Array(bytes.prefix(32))) else {
            throw .invalidField("op", reason: "must be 34 bytes")
        }
        self.init(change: id, index: UInt16(bytes[32]) << 8 | UInt16(bytes[33]))
    }

    public static func < (a: OpID, b: OpID) -> Bool { (a.change, a.index) < (b.change, b.index) }

    public init(codingText: String) throws(RecordsError) { try self.init(text: codingText) }
    public var codingText: String { text }
}
