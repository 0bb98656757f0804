import CSodium

/// Ed25519 signatures through libsodium's `crypto_sign_*`.
///
/// Verification is pinned to libsodium's rule (≥ 1.0.18): S must be
/// canonical (< L), the public key and R must not be of small order and
/// must be canonical encodings. Every replica links the same rule, so every
/// replica accepts exactly the same signatures; no other implementation
/// may be substituted.
public enum Ed25519 {
    public static let publicKeyLength = Int(crypto_sign_PUBLICKEYBYTES)
    public static let secretKeyLength = Int(crypto_sign_SECRETKEYBYTES)
    public static let seedLength = Int(crypto_sign_SEEDBYTES)
    public static let signatureLength = Int(crypto_sign_BYTES)

    /// Derives the key pair of a 32-byte seed. Returns (public 32 bytes, secret 64 bytes).
    public static func keyPair(seed: [UInt8]) throws(SodiumError) -> (publicKey: [UInt8], secretKey: [UInt8]) {
        Sodium.ready()
        guard seed.count == seedLength else {
            throw .wrongLength(what: "seed", expected: seedLength, actual: seed.count)
        }
        var pk = [UInt8](repeating: 0, count: publicKeyLength)
        var sk = [UInt8](repeating: 0, count: secretKeyLength)
        let rc = crypto_sign_seed_keypair(&pk, &sk, seed)
        guard rc == 0 else { throw .operationFailed("crypto_sign_seed_keypair") }
        return (pk, sk)
    }

    /// Derives the key pair of a 32-byte seed into a zeroing buffer: (public 32 bytes, secret 64 bytes).
    public static func keyPair(seed: SecretBytes) throws(SodiumError) -> (publicKey: [UInt8], secretKey: SecretBytes) {
        Sodium.ready()
        guard seed.count == seedLength else { throw .wrongLength(what: "seed", expected: seedLength, actual: seed.count) }
        var pk = [UInt8](repeating: 0, count: publicKeyLength)
        var rc: Int32 = 0
        let sk = seed.withUnsafeBytes { s in
            SecretBytes(count: secretKeyLength) { out in
                rc = crypto_sign_seed_keypair(&pk, out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                              s.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        guard rc == 0 else { throw .operationFailed("crypto_sign_seed_keypair") }
        return (pk, sk)
    }

    /// Signs `message` with a 64-byte secret key held in a zeroing buffer (detached signature).
    public static func sign(_ message: [UInt8], secretKey: SecretBytes) throws(SodiumError) -> [UInt8] {
        Sodium.ready()
        guard secretKey.count == secretKeyLength else {
            throw .wrongLength(what: "secret key", expected: secretKeyLength, actual: secretKey.count)
        }
        var sig = [UInt8](repeating: 0, count: signatureLength)
        let rc = secretKey.withUnsafeBytes { sk in
            crypto_sign_detached(&sig, nil, message, UInt64(message.count), sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard rc == 0 else { throw .operationFailed("crypto_sign_detached") }
        return sig
    }

    /// Signs `message` with a 64-byte libsodium secret key (detached signature).
    public static func sign(_ message: [UInt8], secretKey: [UInt8]) throws(SodiumError) -> [UInt8] {
        Sodium.ready()
        guard secretKey.count == secretKeyLength else {
            throw .wrongLength(what: "secret key", expected: secretKeyLength, actual: secretKey.count)
        }
        var sig = [UInt8](repeating: 0, count: signatureLength)
        let rc = crypto_sign_detached(&sig, nil, message, UInt64(message.count), secretKey)
        guard rc == 0 else { throw .operationFailed("crypto_sign_detached") }
        return sig
    }

    /// True when `signature` is a valid signature of `message` by `publicKey`.
    /// Wrong lengths are simply invalid.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        Sodium.ready()
        guard signature.count == signatureLength, publicKey.count == publicKeyLength else { return false }
        return message.withUnsafeBufferPointer { m in
            crypto_sign_verify_detached(signature, m.baseAddress, UInt64(m.count), publicKey) == 0
        }
    }

    /// Same as `verify`, reading the message from a slice without copying.
    public static func verify(signature: ArraySlice<UInt8>, message: ArraySlice<UInt8>, publicKey: ArraySlice<UInt8>) -> Bool {
        Sodium.ready()
        guard signature.count == signatureLength, publicKey.count == publicKeyLength else { return false }
        return signature.withUnsafeBufferPointer { s in
            message.withUnsafeBufferPointer { m in
                publicKey.withUnsafeBufferPointer { p in
                    crypto_sign_verify_detached(s.baseAddress!, m.baseAddress, UInt64(m.count), p.baseAddress!) == 0
                }
            }
        }
    }
}
