/// The Noise SymmetricState (rev. 34, §5.2): chaining key, handshake hash, cipher.
struct SymmetricState: Sendable {
    private(set) var ck: [UInt8]
    private(set) var h: [UInt8]
    private var cipher = CipherState()

    init(protocolName: String) {
        let name = Array(protocolName.utf8)
        h = name.count <= NoiseCrypto.hashLength
            ? name + [UInt8](repeating: 0, count: NoiseCrypto.hashLength - name.count)
            : NoiseCrypto.hash(name)
        ck = h
    }

    mutating func mixKey(_ ikm: [UInt8]) {
        let out = NoiseCrypto.hkdf(chainingKey: ck, inputKeyMaterial: ikm, outputs: 2)
        ck = out[0]
        cipher = CipherState(key: Array(out[1].prefix(32)))
    }

    mutating func mixHash(_ data: [UInt8]) { h = NoiseCrypto.hash(h + data) }

    mutating func encryptAndHash(_ plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        let ct = try cipher.encrypt(ad: h, plaintext: plaintext)
        mixHash(ct)
        return ct
    }

    mutating func decryptAndHash(_ ciphertext: [UInt8]) throws(NoiseError) -> [UInt8] {
        let pt = try cipher.decrypt(ad: h, ciphertext: ciphertext)
        mixHash(ciphertext)
        return pt
    }

    var hasKey: Bool { cipher.hasKey }

    func split() -> (CipherState, CipherState) {
        let out = NoiseCrypto.hkdf(chainingKey: ck, inputKeyMaterial: [], outputs: 2)
        return (CipherState(key: Array(out[0].prefix(32))), CipherState(key: Array(out[1].prefix(32))))
    }
}
