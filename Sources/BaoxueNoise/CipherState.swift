import BaoxueSodium

/// A Noise CipherState with ChaChaPoly: a key (once set) and a 64-bit nonce.
///
/// Invariant: a nonce is never used twice with the same key; at 2^64 − 1
/// the state refuses to encrypt or decrypt. The 96-bit AEAD nonce is four
/// zero bytes and the counter little-endian (Noise §5.1, ChaChaPoly).
public struct CipherState: Sendable {
    private var key: [UInt8]?
    public private(set) var nonce: UInt64 = 0

    init(key: [UInt8]? = nil) { self.key = key }

    var hasKey: Bool { key != nil }

    private func aeadNonce() -> [UInt8] {
        var n = [UInt8](repeating: 0, count: 4)
        for i in 0..<8 { n.append(UInt8(truncatingIfNeeded: nonce >> (8 * UInt64(i)))) }
        return n
    }

    mutating func encrypt(ad: [UInt8], plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard let key else { return plaintext }
        guard nonce < UInt64.max else { throw .nonceExhausted }
        guard let out = try? ChaChaPoly.seal(key: key, nonce: aeadNonce(), ad: ad, plaintext: plaintext) else { throw .encryptFailed }
        nonce += 1
        return out
    }

    mutating func decrypt(ad: [UInt8], ciphertext: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard let key else { return ciphertext }
        guard nonce < UInt64.max else { throw .nonceExhausted }
        guard let out = ChaChaPoly.open(key: key, nonce: aeadNonce(), ad: ad, ciphertext: ciphertext) else { throw .decryptFailed }
        nonce += 1
        return out
    }

    /// Encrypts a transport message (no associated data).
    public mutating func seal(_ plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard plaintext.count + ChaChaPoly.tagLength <= NoiseHandshake.maxMessageLength else { throw .tooLong }
        return try encrypt(ad: [], plaintext: plaintext)
    }

    /// Decrypts a transport message; a failure leaves the nonce unchanged.
    public mutating func open(_ ciphertext: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard ciphertext.count <= NoiseHandshake.maxMessageLength else { throw .tooLong }
        guard ciphertext.count >= ChaChaPoly.tagLength else { throw .truncated }
        return try decrypt(ad: [], ciphertext: ciphertext)
    }
}
