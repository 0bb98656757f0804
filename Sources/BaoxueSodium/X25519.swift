import CSodium

/// X25519 Diffie-Hellman through libsodium's `crypto_scalarmult_curve25519`.
public enum X25519 {
    public static let keyLength = 32

    /// The public key of a 32-byte private key.
    public static func publicKey(privateKey: [UInt8]) throws(SodiumError) -> [UInt8] {
        Sodium.ready()
        guard privateKey.count == keyLength else {
            throw .wrongLength(what: "x25519 private key", expected: keyLength, actual: privateKey.count)
        }
        var out = [UInt8](repeating: 0, count: keyLength)
        guard crypto_scalarmult_curve25519_base(&out, privateKey) == 0 else { throw .operationFailed("crypto_scalarmult_curve25519_base") }
        return out
    }

    /// The shared secret; fails when the peer's key gives the all-zero result (a small-order point).
    public static func sharedSecret(privateKey: [UInt8], publicKey: [UInt8]) throws(SodiumError) -> [UInt8] {
        Sodium.ready()
        guard privateKey.count == keyLength, publicKey.count == keyLength else {
            throw .wrongLength(what: "x25519 key", expected: keyLength, actual: min(privateKey.count, publicKey.count))
        }
        var out = [UInt8](repeating: 0, count: keyLength)
        guard crypto_scalarmult_curve25519(&out, privateKey, publicKey) == 0 else { throw .operationFailed("crypto_scalarmult_curve25519") }
        return out
    }

    /// A fresh private key from the OS random source.
    public static func generatePrivateKey() -> [UInt8] { Sodium.randomBytes(keyLength) }

    /// The X25519 private key of an Ed25519 seed's key pair (libsodium's conversion).
    public static func privateKey(fromEd25519Seed seed: [UInt8]) throws(SodiumError) -> [UInt8] {
        let (_, sk) = try Ed25519.keyPair(seed: seed)
        var out = [UInt8](repeating: 0, count: keyLength)
        guard crypto_sign_ed25519_sk_to_curve25519(&out, sk) == 0 else { throw .operationFailed("crypto_sign_ed25519_sk_to_curve25519") }
        return out
    }

    /// The X25519 public key of an Ed25519 public key; fails for keys that are not valid points.
    public static func publicKey(fromEd25519 pk: [UInt8]) throws(SodiumError) -> [UInt8] {
        Sodium.ready()
        guard pk.count == Ed25519.publicKeyLength else { throw .wrongLength(what: "ed25519 public key", expected: 32, actual: pk.count) }
        var out = [UInt8](repeating: 0, count: keyLength)
        guard crypto_sign_ed25519_pk_to_curve25519(&out, pk) == 0 else { throw .operationFailed("crypto_sign_ed25519_pk_to_curve25519") }
        return out
    }
}
