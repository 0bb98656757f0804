import BaoxueCore
import BaoxueSodium

/// One epoch of a scope's key, sealed to each member (privacy.md §2): a signed
/// change in that scope, written by a school or district admin.
///
/// Layout: `00 4B 01 | scope key id (16) | epoch u32 BE | count u16 BE |
/// count × (recipient Ed25519 key (32) | crypto_box_seal(scope key) (80))`,
/// recipients in ascending byte order, no repeats. The recipient's X25519 key is its
/// Ed25519 key's (libsodium's conversion), so no new key needs distributing;
/// the district authority's key is always a recipient, which is how the district reads everything.
public struct MemberGrant: Sendable, Equatable {
    public static let magic: [UInt8] = [0x00, 0x4B, 0x01]
    public static let maxRecipients = 4096
    static let entryLength = 32 + ScopeKey.length + SealedBox.overhead

    public let keyID: [UInt8]
    public let epoch: UInt32
    public let recipients: [PublicKey]
    let boxes: [[UInt8]]

    public static func isGrant(_ bytes: [UInt8]) -> Bool { bytes.starts(with: magic) }

    /// Seals `key` to every recipient.
    public static func make(
        _ key: ScopeKey, epoch: UInt32, to recipients: Set<PublicKey>, random: RandomSource = .system
    ) throws(PrivacyError) -> MemberGrant {
        let sorted = recipients.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        guard !sorted.isEmpty, sorted.count <= maxRecipients else { throw .malformed("\(sorted.count) recipients") }
        var boxes: [[UInt8]] = []
        for r in sorted {
            do {
                boxes.append(try SealedBox.seal(key.bytes, to: try X25519.publicKey(fromEd25519: r.bytes), random: random))
            } catch {
                throw .malformed("recipient \(r.hex) is not a valid key")
            }
        }
        return MemberGrant(keyID: key.id, epoch: epoch, recipients: sorted, boxes: boxes)
    }

    private init(keyID: [UInt8], epoch: UInt32, recipients: [PublicKey], boxes: [[UInt8]]) {
        self.keyID = keyID
        self.epoch = epoch
        self.recipients = recipients
        self.boxes = boxes
    }

    public var encoded: [UInt8] {
        var out = Self.magic + keyID
        for shift in [24, 16, 8, 0] { out.append(UInt8(truncatingIfNeeded: epoch >> UInt32(shift))) }
        out += [UInt8(recipients.count >> 8), UInt8(recipients.count & 0xff)]
        for (r, box) in zip(recipients, boxes) { out += r.bytes + box }
        return out
    }

    public init(bytes: [UInt8]) throws(PrivacyError) {
        guard bytes.count >= 3 + 16 + 4 + 2, bytes.starts(with: Self.magic) else { throw .malformed("not a key grant") }
        keyID = Array(bytes[3..<19])
        epoch = bytes[19..<23].reduce(0) { $0 << 8 | UInt32($1) }
        let count = Int(bytes[23]) << 8 | Int(bytes[24])
        guard (1...Self.maxRecipients).contains(count), bytes.count == 25 + count * Self.entryLength else {
            throw .malformed("key grant length does not match its \(count) recipients")
        }
        var recipients: [PublicKey] = []
        var boxes: [[UInt8]] = []
        for i in 0..<count {
            let at = 25 + i * Self.entryLength
            guard let r = try? PublicKey(bytes: Array(bytes[at..<(at + 32)])) else { throw .malformed("recipient \(i)") }
            if let last = recipients.last, !last.bytes.lexicographicallyPrecedes(r.bytes) { throw .malformed("recipients out of order") }
            recipients.append(r)
            boxes.append(Array(bytes[(at + 32)..<(at + Self.entryLength)]))
        }
        self.recipients = recipients
        self.boxes = boxes
    }

    /// The scope key sealed to `me`; nil when `me` is not a recipient. Throws when the box opens
    /// to a key whose id is not the grant's (a grant lying about its key or its scope).
    public func open(as me: DeviceKey, scope: ScopeID) throws(PrivacyError) -> ScopeKey? {
        guard let i = recipients.firstIndex(of: me.publicKey) else { return nil }
        guard let sk = try? X25519.privateKey(fromEd25519Seed: me.seed), let pk = try? X25519.publicKey(privateKey: sk),
            let bytes = SealedBox.open(boxes[i][...], publicKey: pk, privateKey: sk)
        else { throw .tampered }
        let key = try ScopeKey(scope: scope, bytes: bytes)
        guard key.id == keyID else { throw .tampered }
        return key
    }
}
