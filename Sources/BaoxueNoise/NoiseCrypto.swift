import BaoxueSodium

/// The hash functions of `Noise_*_BLAKE2b` (Noise rev. 34, §4.3 and §5.1):
/// BLAKE2b-512, HMAC per RFC 2104 over BLAKE2b with its 128-byte block (not
/// BLAKE2b's keyed mode), and the Noise HKDF.
enum NoiseCrypto {
    static let hashLength = 64
    static let blockLength = 128

    static func hash(_ data: [UInt8]) -> [UInt8] { Blake2b.hash(data, length: hashLength) }

    static func hmac(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var k = key.count > blockLength ? hash(key) : key
        k += [UInt8](repeating: 0, count: blockLength - k.count)
        let inner = hash(k.map { $0 ^ 0x36 } + data)
        return hash(k.map { $0 ^ 0x5c } + inner)
    }

    /// HKDF(chaining key, input key material) → two or three 64-byte outputs.
    static func hkdf(chainingKey: [UInt8], inputKeyMaterial: [UInt8], outputs: Int) -> [[UInt8]] {
        let temp = hmac(key: chainingKey, data: inputKeyMaterial)
        let out1 = hmac(key: temp, data: [0x01])
        let out2 = hmac(key: temp, data: out1 + [0x02])
        if outputs == 2 { return [out1, out2] }
        return [out1, out2, hmac(key: temp, data: out2 + [0x03])]
    }
}
