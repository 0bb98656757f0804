import CSodium

/// XChaCha20-Poly1305 (IETF construction) through libsodium's
/// `crypto_aead_xchacha20poly1305_ietf_*`: the cipher of record payloads
/// (`Protocol/privacy.md`). Its 24-byte nonce is safe to draw at random for
/// every message, which matters when many offline devices share one key.
public enum XChaChaPoly {
    public static let keyLength = 32
    public static let nonceLength = 24
    public static let tagLength = 16

    public static func seal(key: [UInt8], nonce: [UInt8], ad: [UInt8], plaintext: [UInt8]) throws(SodiumError) -> [UInt8] {
        Sodium.ready()
        guard key.count == keyLength else { throw .wrongLength(what: "xchacha key", expected: keyLength, actual: key.count) }
        guard nonce.count == nonceLength else { throw .wrongLength(what: "xchacha nonce", expected: nonceLength, actual: nonce.count) }
        var out = [UInt8](repeating: 0, count: plaintext.count + tagLength)
        var outLength: UInt64 = 0
        let rc = crypto_aead_xchacha20poly1305_ietf_encrypt(
            &out, &outLength, plaintext, UInt64(plaintext.count), ad, UInt64(ad.count), nil, nonce, key)
        guard rc == 0 else { throw .operationFailed("crypto_aead_xchacha20poly1305_ietf_encrypt") }
        return out
    }

    /// Nil when the tag does not verify (tampered, wrong key, nonce or AD).
    public static func open(key: [UInt8], nonce: [UInt8], ad: [UInt8], ciphertext: ArraySlice<UInt8>) -> [UInt8]? {
        Sodium.ready()
        guard key.count == keyLength, nonce.count == nonceLength, ciphertext.count >= tagLength else { return nil }
        var out = [UInt8](repeating: 0, count: ciphertext.count - tagLength)
        var outLength: UInt64 = 0
        let ct = Array(ciphertext)
        let rc = crypto_aead_xchacha20poly1305_ietf_decrypt(&out, &outLength, nil, ct, UInt64(ct.count), ad, UInt64(ad.count), nonce, key)
        return rc == 0 ? out : nil
    }
}
