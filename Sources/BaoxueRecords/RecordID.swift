import BaoxueCore
import BaoxueSodium

/// The id of a record (a child, household, case or survey sweep): 16 random
/// bytes chosen by the device that first wrote it, shown as 32 hex digits.
public struct RecordID: Hashable, Comparable, Sendable, TextCodable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) throws(RecordsError) {
        guard hex.utf8.count == 32, (try? Hex.decode(hex)) != nil, hex == hex.lowercased() else {
            throw .invalidField("record", reason: "must be 32 lower-case hex digits")
        }
        self.hex = hex
    }

    /// A fresh random id.
    public static func random() -> RecordID { try! RecordID(hex: Hex.encode(Sodium.randomBytes(16))) }

    /// A deterministic id (for generators and tests): BLAKE2b of `label`.
    public static func derived(_ label: String) -> RecordID {
        try! RecordID(hex: Hex.encode(Blake2b.hash(Array(label.utf8), length: 16)))
    }

    /// The id of 16 raw bytes (as payload format 2 writes it).
    public init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 16, "a record id is 16 bytes")
        self.hex = Hex.encode(bytes)
    }

    /// The 16 bytes the id stands for.
    public var bytes: [UInt8] { try! Hex.decode(hex) }

    public var description: String { hex }
    /// Compared and hashed as the hex's bytes: lower-case ASCII by the invariant, so byte order is text order,
    /// without `String`'s Unicode-aware paths (a district's rebuild hashes a record id two million times).
    public static func < (a: RecordID, b: RecordID) -> Bool { a.hex.utf8.lexicographicallyPrecedes(b.hex.utf8) }
    public static func == (a: RecordID, b: RecordID) -> Bool { a.hex.utf8.elementsEqual(b.hex.utf8) }

    public func hash(into hasher: inout Hasher) {
        var hex = hex
        hex.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public init(codingText: String) throws(RecordsError) { try self.init(hex: codingText) }
    public var codingText: String { hex }
}
