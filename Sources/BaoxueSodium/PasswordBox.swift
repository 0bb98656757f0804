import CSodium

/// Secrets sealed under a passphrase: Argon2id (`crypto_pwhash`, ALG_ARGON2ID13)
/// derives a key from the passphrase and a random salt; XSalsa20-Poly1305
/// (`crypto_secretbox_easy`) seals the secret under it.
///
/// Why: the district authority key lives on one offline machine; a copied
/// file must be useless without the passphrase, and guessing must be slow.
public enum PasswordBox {
    public static let saltLength = 16  // crypto_pwhash_SALTBYTES
    public static let nonceLength = 24  // crypto_secretbox_NONCEBYTES
    public static let keyLength = 32  // crypto_secretbox_KEYBYTES
    public static let tagLength = 16  // crypto_secretbox_MACBYTES

    /// Argon2id cost: `moderate` for the authority key (≈ 256 MiB, ~1 s),
    /// `interactive` (64 MiB) for tests.
    public struct Cost: Sendable, Equatable {
        public let operations: UInt64
        public let memoryBytes: Int
        public static let moderate = Cost(operations: 3, memoryBytes: 256 << 20)
        public static let interactive = Cost(operations: 2, memoryBytes: 64 << 20)
        public init(operations: UInt64, memoryBytes: Int) {
            self.operations = operations
            self.memoryBytes = memoryBytes
        }
    }

    /// The secretbox key for `passphrase` and `salt`.
    public static func deriveKey(passphrase: [UInt8], salt: [UInt8], cost: Cost) throws(SodiumError) -> [UInt8] {
        Sodium.ready()
        guard salt.count == saltLength else { throw .wrongLength(what: "pwhash salt", expected: saltLength, actual: salt.count) }
        var key = [UInt8](repeating: 0, count: keyLength)
        // An empty passphrase still needs a valid pointer.
        let text = passphrase.map { CChar(bitPattern: $0) } + [0]
        let rc = crypto_pwhash(
            &key, UInt64(keyLength), text, UInt64(passphrase.count), salt,
            cost.operations, cost.memoryBytes, crypto_pwhash_ALG_ARGON2ID13)
        guard rc == 0 else { throw .operationFailed("crypto_pwhash (out of memory?)") }
        return key
    }

    public static func seal(_ secret: [UInt8], key: [UInt8], nonce: [UInt8]) throws(SodiumError) -> [UInt8] {
        Sodium.ready()
        guard key.count == keyLength, nonce.count == nonceLength else {
            throw .wrongLength(what: "secretbox key or nonce", expected: keyLength, actual: key.count)
        }
        var out = [UInt8](repeating: 0, count: secret.count + tagLength)
        guard crypto_secretbox_easy(&out, secret, UInt64(secret.count), nonce, key) == 0 else {
            throw .operationFailed("crypto_secretbox_easy")
        }
        return out
    }

    /// Nil when the passphrase (key) is wrong or the box was altered.
    public static func open(_ box: [UInt8], key: [UInt8], nonce: [UInt8]) -> [UInt8]? {
        Sodium.ready()
        guard key.count == keyLength, nonce.count == nonceLength, box.count >= tagLength else { return nil }
        var out = [UInt8](repeating: 0, count: box.count - tagLength)
        return crypto_secretbox_open_easy(&out, box, UInt64(box.count), nonce, key) == 0 ? out : nil
    }
}
