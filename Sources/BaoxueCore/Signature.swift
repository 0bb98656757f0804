/// An Ed25519 signature (64 bytes).
public struct Signature: Hashable, Sendable {
    public static let length = 64
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(CoreError) {
        guard bytes.count == Self.length else {
            throw .wrongLength(field: "signature", expected: Self.length, actual: bytes.count)
        }
        self.bytes = bytes
    }

    public var hex: String { Hex.encode(bytes) }
}
