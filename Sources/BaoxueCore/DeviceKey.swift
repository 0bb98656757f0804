import BaoxueSodium

/// A device's Ed25519 signing key, held in memory.
///
/// Invariant: `publicKey` is the key derived from `seed`. The seed is the
/// only secret; it is what the key file stores.
public struct DeviceKey: Sendable {
    public let seed: [UInt8]
    public let publicKey: PublicKey
    private let secretKey: [UInt8]

    public init(seed: [UInt8]) throws(CoreError) {
        guard seed.count == Ed25519.seedLength else {
            throw .wrongLength(field: "key seed", expected: Ed25519.seedLength, actual: seed.count)
        }
        guard let pair = try? Ed25519.keyPair(seed: seed) else {
            throw .wrongLength(field: "key seed", expected: Ed25519.seedLength, actual: seed.count)
        }
        self.seed = seed
        self.secretKey = pair.secretKey
        self.publicKey = try PublicKey(bytes: pair.publicKey)
    }

    /// A new key from the operating system's random source.
    public static func generate() -> DeviceKey {
        try! DeviceKey(seed: Sodium.randomBytes(Ed25519.seedLength))
    }

    /// Detached Ed25519 signature of `message`.
    public func sign(_ message: [UInt8]) -> Signature {
        let sig = try! Ed25519.sign(message, secretKey: secretKey)
        return try! Signature(bytes: sig)
    }
}
