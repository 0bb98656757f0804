import CSodium

/// Anonymous public-key encryption to one X25519 key (libsodium's
/// `crypto_box_seal`): an ephemeral key pair, X25519 and XSalsa20-Poly1305.
/// Used to hand a scope key to each member (`Protocol/privacy.md` §2); the
/// grant's signature, not the box, says who wrote it.
public enum SealedBox {
    /// Bytes a sealed box adds to its plaintext (`crypto_box_SEALBYTES`).
    public static let overhead = 48

    public static func seal(_ plaintext: [UInt8], to recipient: [UInt8]) throws(SodiumError) -> [UInt8] {
        Sodium.ready()
        guard recipient.count == X25519.keyLength else { throw .wrongLength(what: "x25519 public key", expected: 32, actual: recipient.count) }
        var out = [UInt8](repeating: 0, count: plaintext.count + overhead)
        guard crypto_box_seal(&out, plaintext, UInt64(plaintext.count), recipient) == 0 else { throw .operationFailed("crypto_box_seal") }
        return out
    }

    /// Nil when the box was not sealed to this key pair or was altered.
    public static func open(_ box: ArraySlice<UInt8>, publicKey: [UInt8], privateKey: [UInt8]) -> [UInt8]? {
        Sodium.ready()
        guard box.count >= overhead, publicKey.count == X25519.keyLength, privateKey.count == X25519.keyLength else { return nil }
        var out = [UInt8](repeating: 0, count: box.count - overhead)
        let bytes = Array(box)
        let rc = crypto_box_seal_open(&out, bytes, UInt64(bytes.count), publicKey, privateKey)
        return rc == 0 ? out : nil
    }
}
