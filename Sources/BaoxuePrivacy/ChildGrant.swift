import BaoxueCore
import BaoxueRecords
import BaoxueSodium

/// A transferred child's history keys (转学, privacy.md §2(b)): the child's content key
/// of each epoch of the old school, sealed to each member of the receiving school.
/// With them the receiving school opens that child's old changes — and nothing else of
/// the old school — without anything being re-encrypted.
///
/// Layout: `00 43 01 | child id (16) | k (u8) | k × content key id (16) | count (u16) |
/// count × (recipient Ed25519 key (32) | crypto_box_seal(k × 32 key bytes))`, recipients ascending.
/// Only the format is built: writing it into the receiving scope and syncing the old
/// scope's changes of that child to the new school are not (privacy.md §8).
public struct ChildGrant: Sendable, Equatable {
    public static let magic: [UInt8] = [0x00, 0x43, 0x01]

    public let child: RecordID
    public let keyIDs: [[UInt8]]
    public let recipients: [PublicKey]
    let boxes: [[UInt8]]

    public static func make(child: RecordID, keys: [ContentKey], to recipients: Set<PublicKey>, random: RandomSource = .system) throws(PrivacyError) -> ChildGrant {
        guard (1...255).contains(keys.count), !recipients.isEmpty, recipients.count <= MemberGrant.maxRecipients else {
            throw .malformed("\(keys.count) keys, \(recipients.count) recipients")
        }
        let sorted = recipients.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        let plain = keys.flatMap(\.bytes)
        var boxes: [[UInt8]] = []
        for r in sorted {
            do { boxes.append(try SealedBox.seal(plain, to: try X25519.publicKey(fromEd25519: r.bytes), random: random)) } catch {
                throw .malformed("recipient \(r.hex) is not a valid key")
            }
        }
        return ChildGrant(child: child, keyIDs: keys.map(\.id), recipients: sorted, boxes: boxes)
    }

    private init(child: RecordID, keyIDs: [[UInt8]], recipients: [PublicKey], boxes: [[UInt8]]) {
        self.child = child
        self.keyIDs = keyIDs
        self.recipients = recipients
        self.boxes = boxes
    }

    public var encoded: [UInt8] {
        var out = Self.magic + (try! Hex.decode(child.hex)) + [UInt8(keyIDs.count)] + keyIDs.flatMap { $0 }
        out += [UInt8(recipients.count >> 8), UInt8(recipients.count & 0xff)]
        for (r, box) in zip(recipients, boxes) { out += r.bytes + box }
        return out
    }

    public init(bytes: [UInt8]) throws(PrivacyError) {
        guard bytes.count >= 3 + 16 + 1, bytes.starts(with: Self.magic) else { throw .malformed("not a child grant") }
        guard let child = try? RecordID(hex: Hex.encode(Array(bytes[3..<19]))) else { throw .malformed("child id") }
        let k = Int(bytes[19])
        var at = 20
        guard k >= 1, bytes.count >= at + 16 * k + 2 else { throw .malformed("key ids") }
        keyIDs = (0..<k).map { Array(bytes[(at + 16 * $0)..<(at + 16 * $0 + 16)]) }
        at += 16 * k
        let count = Int(bytes[at]) << 8 | Int(bytes[at + 1])
        at += 2
        let entry = 32 + 32 * k + SealedBox.overhead
        guard (1...MemberGrant.maxRecipients).contains(count), bytes.count == at + count * entry else {
            throw .malformed("child grant length does not match its \(count) recipients")
        }
        var recipients: [PublicKey] = [], boxes: [[UInt8]] = []
        for i in 0..<count {
            let start = at + i * entry
            guard let r = try? PublicKey(bytes: Array(bytes[start..<(start + 32)])) else { throw .malformed("recipient \(i)") }
            if let last = recipients.last, !last.bytes.lexicographicallyPrecedes(r.bytes) { throw .malformed("recipients out of order") }
            recipients.append(r)
            boxes.append(Array(bytes[(start + 32)..<(start + entry)]))
        }
        self.child = child
        self.recipients = recipients
        self.boxes = boxes
    }

    /// The content keys sealed to `me`, each checked against its id; nil when `me` is not a recipient.
    public func open(as me: DeviceKey) throws(PrivacyError) -> [ContentKey]? {
        guard let i = recipients.firstIndex(of: me.publicKey) else { return nil }
        guard let sk = try? X25519.privateKey(fromEd25519Seed: me.seed), let pk = try? X25519.publicKey(privateKey: sk),
              let plain = SealedBox.open(boxes[i][...], publicKey: pk, privateKey: sk), plain.count == 32 * keyIDs.count else { throw .tampered }
        let keys = (0..<keyIDs.count).map { ContentKey(bytes: Array(plain[(32 * $0)..<(32 * $0 + 32)])) }
        guard zip(keys, keyIDs).allSatisfy({ $0.id == $1 }) else { throw .tampered }
        return keys
    }
}
