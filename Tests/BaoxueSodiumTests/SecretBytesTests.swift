import BaoxueSodium
import Testing

/// Key material in a zeroing buffer signs exactly as the array form does, and `zero` clears a copy.
@Suite struct SecretBytesTests {
    @Test func aKeyPairInSecretBytesSignsAsTheArrayFormDoes() throws {
        let seed = [UInt8](repeating: 0x5A, count: Ed25519.seedLength)
        let plain = try Ed25519.keyPair(seed: seed)
        let held = try Ed25519.keyPair(seed: SecretBytes(seed))
        #expect(held.publicKey == plain.publicKey)
        #expect(held.secretKey.copiedBytes == plain.secretKey)
        let message = Array("不丢一个孩子".utf8)
        #expect(try Ed25519.sign(message, secretKey: held.secretKey) == Ed25519.sign(message, secretKey: plain.secretKey))
        #expect(throws: SodiumError.self) { try Ed25519.keyPair(seed: SecretBytes([1, 2, 3])) }
    }

    @Test func zeroClearsTheCallersCopy() {
        var copy = SecretBytes([9, 8, 7, 6]).copiedBytes
        #expect(copy == [9, 8, 7, 6])
        SecretBytes.zero(&copy)
        #expect(copy == [0, 0, 0, 0])
    }
}
