import BaoxueCore
import BaoxueRecords
import BaoxueSodium

/// The district's registry key `R` (records.md §1.10, privacy.md §2.2): the key of the hash
/// that turns a registry number (公民身份号码, 学籍号) into a child's record id, so two devices
/// importing the same child from the registry write to the same record, while whoever holds
/// what a relay holds cannot test guesses of an ID number against an id.
///
/// Invariant: 32 bytes. The district's `R` is derived from the authority's seed and reaches a
/// device sealed to it in its certificate file (never through the relay, never to a relay).
/// Why keyed: an ID number has about 2^30 plausible values once the county and a birth-year
/// range are known, so an unkeyed hash of it gave the number back in seconds.
public struct RegistryKey: Sendable, Equatable {
    public static let length = 32
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(PrivacyError) {
        guard bytes.count == Self.length else { throw .malformed("a registry key is 32 bytes") }
        self.bytes = bytes
    }

    /// The district's key: `BLAKE2b-256(key = authority seed, "baoxue/registry-key/v2")`.
    public static func ofAuthority(_ authority: DeviceKey) -> RegistryKey {
        try! RegistryKey(bytes: Blake2b.hash(Array("baoxue/registry-key/v2".utf8), length: length, key: authority.seed))
    }

    /// A key of this replica's own, for a replica not enrolled in any district.
    public static func generate(random: RandomSource = .system) -> RegistryKey {
        try! RegistryKey(bytes: random.bytes(length))
    }

    /// The record id of the child with this 公民身份号码: `BLAKE2b-128(key = R, "baoxue/child-id/v2" ‖ 00 ‖ number)`,
    /// the number in ASCII with its check character upper-case.
    public func child(idNumber: String) -> RecordID {
        id("baoxue/child-id/v2", idNumber.uppercased())
    }

    /// The record id of a child known by its 学籍号 only: the same with label `"baoxue/student-number/v2"`.
    public func child(studentNumber: String) -> RecordID {
        id("baoxue/student-number/v2", studentNumber)
    }

    private func id(_ label: String, _ number: String) -> RecordID {
        RecordID(bytes: Blake2b.hash(Array(label.utf8) + [0] + Array(number.utf8), length: 16, key: bytes))
    }

    /// `R` sealed to `device` (`crypto_box_seal` to its X25519 form), as a certificate file carries it.
    public func sealed(to device: PublicKey, random: RandomSource = .system) throws(PrivacyError) -> [UInt8] {
        do { return try SealedBox.seal(bytes, to: try X25519.publicKey(fromEd25519: device.bytes), random: random) } catch {
            throw .malformed("device \(device.fingerprint.text) is not a valid key")
        }
    }

    /// Opens a key sealed to `me`.
    public static func open(_ box: [UInt8], as me: DeviceKey) throws(PrivacyError) -> RegistryKey {
        guard let sk = try? X25519.privateKey(fromEd25519Seed: me.seed), let pk = try? X25519.publicKey(privateKey: sk),
              let plain = SealedBox.open(box[...], publicKey: pk, privateKey: sk) else { throw .tampered }
        return try RegistryKey(bytes: plain)
    }
}
