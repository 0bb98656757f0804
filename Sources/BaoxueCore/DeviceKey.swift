import BaoxueSodium

/// A device's Ed25519 signing key, held in memory.
///
/// Invariant: `publicKey` is the key derived from the seed. The secret key (which holds the seed)
/// lives in one `SecretBytes`, zeroed when the last copy of the key goes; the seed is readable only
/// inside the package (`seed`), for the key file, the lock and the test vectors.
public struct DeviceKey: Sendable {
    public let publicKey: PublicKey
    private let secretKey: SecretBytes

    public init(seed: [UInt8]) throws(CoreError) {
        guard seed.count == Ed25519.seedLength else {
            throw .wrongLength(field: "key seed", expected: Ed25519.seedLength, actual: seed.count)
        }
        let held = SecretBytes(seed)
        guard let pair = try? Ed25519.keyPair(seed: held) else { throw .keyDerivationFailed }
        self.secretKey = pair.secretKey
        self.publicKey = try PublicKey(bytes: pair.publicKey)
    }

    /// The 32-byte seed (libsodium keeps it as the secret key's first half): what the key file
    /// stores. Package-internal: a copy the caller writes out and then zeroes (`SecretBytes.zero`).
    package var seed: [UInt8] { secretKey.withUnsafeBytes { Array($0.prefix(Ed25519.seedLength)) } }

    /// A new key from the operating system's random source.
    public static func generate() -> DeviceKey {
        var seed = Sodium.randomBytes(Ed25519.seedLength)
        defer { SecretBytes.zero(&seed) }
        return try! DeviceKey(seed: seed)
    }

    /// Detached Ed25519 signature of `message`.
    public func sign(_ message: [UInt8]) -> Signature {
        let sig = try! Ed25519.sign(message, secretKey: secretKey)
        return try! Signature(bytes: sig)
    }
}
