/// A device's Ed25519 public key (32 bytes): who authored a change.
///
/// Invariant: exactly 32 bytes. Ordered bytewise so ties between authors
/// break the same way on every replica.
public struct PublicKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let length = 32
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(CoreError) {
        guard bytes.count == Self.length else {
            throw .wrongLength(field: "public key", expected: Self.length, actual: bytes.count)
        }
        self.bytes = bytes
    }

    public init(hex: String) throws(CoreError) {
        try self.init(bytes: try Hex.decode(hex))
    }

    public var hex: String { Hex.encode(bytes) }

    /// The short form a person compares by eye, e.g. `K7Q2-M4XD-9FTR-3HCW`.
    public var fingerprint: Fingerprint { Fingerprint(of: self) }

    public var description: String { fingerprint.text }

    public static func < (a: PublicKey, b: PublicKey) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    public static func == (a: PublicKey, b: PublicKey) -> Bool { a.bytes == b.bytes }

    /// The 32 bytes in one call: the synthesized hash fed them one by one (with the count), a third
    /// of the cluster's rules time went to hashing authors.
    public func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
}
