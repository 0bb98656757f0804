import CSodium

/// Anonymous public-key encryption to one X25519 key (libsodium's
/// `crypto_box_seal`): an ephemeral key pair, X25519 and XSalsa20-Poly1305.
/// Used to hand a scope key to each member (`Protocol/privacy.md` §2); the
/// grant's signature, not the box, says who wrote it.
public enum SealedBox {
    /// Bytes a sealed box adds to its plaintext (`crypto_box_SEALBYTES`).
    public static let overhead = 48

    /// `crypto_box_seal`'s construction spelled out, so the ephemeral key can come from `random`:
    /// `epk ‖ crypto_box_easy(m, nonce = BLAKE2b-192(epk ‖ pk), pk, esk)`. `crypto_box_seal_open` opens it.
    public static func seal(_ plaintext: [UInt8], to recipient: [UInt8], random: RandomSource = .system) throws(SodiumError) -> [UInt8] {
        Sodium.ready()
        guard recipient.count == X25519.keyLength else {
            throw .wrongLength(what: "x25519 public key", expected: 32, actual: recipient.count)
        }
        var epk = [UInt8](repeating: 0, count: 32)
        var esk = [UInt8](repeating: 0, count: 32)
        guard crypto_box_seed_keypair(&epk, &esk, random.bytes(32)) == 0 else { throw .operationFailed("crypto_box_seed_keypair") }
        let nonce = Blake2b.hash(epk + recipient, length: 24)
        var box = [UInt8](repeating: 0, count: plaintext.count + 16)
        guard crypto_box_easy(&box, plaintext, UInt64(plaintext.count), nonce, recipient, esk) == 0 else {
            throw .operationFailed("crypto_box_easy")
        }
        return epk + box
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
