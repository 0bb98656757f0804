import BaoxueSodium

/// A short, human-comparable rendering of a public key.
///
/// 80 bits of BLAKE2b-256(public key) in Crockford base32 (no I, L, O, U),
/// four groups of four: `K7Q2-M4XD-9FTR-3HCW`. Long enough that no one can
/// make a second key with the same fingerprint, short enough to read aloud.
public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    public let text: String

    public init(of key: PublicKey) {
        let digest = Blake2b.hash(key.bytes, length: 32)
        var acc: UInt128 = 0
        for b in digest.prefix(10) { acc = acc << 8 | UInt128(b) }
        var chars: [Character] = []
        for i in stride(from: 75, through: 0, by: -5) {
            chars.append(Self.alphabet[Int((acc >> UInt128(i)) & 0x1f)])
        }
        var out = ""
        for (i, c) in chars.enumerated() {
            if i > 0 && i % 4 == 0 { out.append("-") }
            out.append(c)
        }
        text = out
    }

    public var description: String { text }
}
