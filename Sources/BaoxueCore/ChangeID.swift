import BaoxueSodium

/// The id of a change: BLAKE2b-256 of its signed bytes.
///
/// Invariant: exactly 32 bytes. Ordered bytewise, which is the canonical
/// order of dependency lists and of set reconciliation.
public struct ChangeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let length = 32
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(CoreError) {
        guard bytes.count == Self.length else {
            throw .wrongLength(field: "change id", expected: Self.length, actual: bytes.count)
        }
        self.bytes = bytes
    }

    public init(hex: String) throws(CoreError) {
        try self.init(bytes: try Hex.decode(hex))
    }

    /// The id of the given signed bytes.
    public init(hashing signedBytes: ArraySlice<UInt8>) {
        self.bytes = Blake2b.hash(signedBytes, length: Self.length)
    }

    public var hex: String { Hex.encode(bytes) }

    /// First 8 bytes in hex, for listings.
    public var short: String { Hex.encode(bytes.prefix(8)) }

    public var description: String { hex }

    /// Hashes the first 8 bytes only: ids are uniformly random, and this is on the append hot path.
    public func hash(into hasher: inout Hasher) {
        var word: UInt64 = 0
        for i in 0..<8 { word = word << 8 | UInt64(bytes[i]) }
        hasher.combine(word)
    }

    public static func == (a: ChangeID, b: ChangeID) -> Bool { a.bytes == b.bytes }

    public static func < (a: ChangeID, b: ChangeID) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}
