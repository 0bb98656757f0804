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
    public static func < (a: RecordID, b: RecordID) -> Bool { a.hex < b.hex }

    public init(codingText: String) throws(RecordsError) { try self.init(hex: codingText) }
    public var codingText: String { hex }
}
