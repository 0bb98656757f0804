import CSodium

/// ChaCha20-Poly1305 (IETF, RFC 8439) through libsodium's `crypto_aead_chacha20poly1305_ietf_*`.
public enum ChaChaPoly {
    public static let keyLength = 32
    public static let nonceLength = 12
    public static let tagLength = 16

    public static func seal(key: [UInt8], nonce: [UInt8], ad: [UInt8], plaintext: [UInt8]) throws(SodiumError) -> [UInt8] {
        Sodium.ready()
        guard key.count == keyLength, nonce.count == nonceLength else {
            throw .wrongLength(what: "aead key or nonce", expected: keyLength, actual: key.count)
        }
        var out = [UInt8](repeating: 0, count: plaintext.count + tagLength)
        var outLength: UInt64 = 0
        let rc = crypto_aead_chacha20poly1305_ietf_encrypt(
            &out, &outLength, plaintext, UInt64(plaintext.count), ad, UInt64(ad.count), nil, nonce, key)
        guard rc == 0 else { throw .operationFailed("crypto_aead_chacha20poly1305_ietf_encrypt") }
        return out
    }

    /// Nil when the tag does not verify (tampered, wrong key, nonce or AD).
    public static func open(key: [UInt8], nonce: [UInt8], ad: [UInt8], ciphertext: [UInt8]) -> [UInt8]? {
        Sodium.ready()
        guard key.count == keyLength, nonce.count == nonceLength, ciphertext.count >= tagLength else { return nil }
        var out = [UInt8](repeating: 0, count: ciphertext.count - tagLength)
        var outLength: UInt64 = 0
        let rc = crypto_aead_chacha20poly1305_ietf_decrypt(
            &out, &outLength, nil, ciphertext, UInt64(ciphertext.count), ad, UInt64(ad.count), nonce, key)
        return rc == 0 ? out : nil
    }
}
