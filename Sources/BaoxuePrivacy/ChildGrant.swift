import BaoxueCore
import BaoxueRecords
import BaoxueSodium

/// A transferred child's history keys (转学, privacy.md §2(b), §3.3): the child's content
/// key of each epoch of the old school (`source`), sealed to each member of the receiving
/// school. It is written into the receiving scope; with it the receiving school opens that
/// child's old changes — and nothing else of the old school — without anything being
/// re-encrypted, and every replica carries those changes with the receiving scope.
///
/// Layout: `00 43 01 | source scope length (u8) | source scope UTF-8 | child id (16) | k (u8) |
/// k × content key id (16) | count (u16) | count × (recipient Ed25519 key (32) |
/// crypto_box_seal(k × 32 key bytes))`, recipients strictly ascending.
public struct ChildGrant: Sendable, Equatable {
    public static let magic: [UInt8] = [0x00, 0x43, 0x01]

    public let source: ScopeID
    public let child: RecordID
    public let keyIDs: [[UInt8]]
    public let recipients: [PublicKey]
    let boxes: [[UInt8]]

    public static func isGrant(_ bytes: [UInt8]) -> Bool { bytes.starts(with: magic) }

    public static func make(
        source: ScopeID, child: RecordID, keys: [ContentKey], to recipients: Set<PublicKey>, random: RandomSource = .system
    ) throws(PrivacyError) -> ChildGrant {
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
        return ChildGrant(source: source, child: child, keyIDs: keys.map(\.id), recipients: sorted, boxes: boxes)
    }

    private init(source: ScopeID, child: RecordID, keyIDs: [[UInt8]], recipients: [PublicKey], boxes: [[UInt8]]) {
        self.source = source
        self.child = child
        self.keyIDs = keyIDs
        self.recipients = recipients
        self.boxes = boxes
    }

    public var encoded: [UInt8] {
        let scope = source.utf8
        var out = Self.magic + [UInt8(scope.count)] + scope + (try! Hex.decode(child.hex)) + [UInt8(keyIDs.count)] + keyIDs.flatMap { $0 }
        out += [UInt8(recipients.count >> 8), UInt8(recipients.count & 0xff)]
        for (r, box) in zip(recipients, boxes) { out += r.bytes + box }
        return out
    }

    public init(bytes: [UInt8]) throws(PrivacyError) {
        guard bytes.count >= 4, bytes.starts(with: Self.magic) else { throw .malformed("not a child grant") }
        let n = Int(bytes[3])
        guard n >= 1, bytes.count >= 4 + n + 16 + 1,
            let text = String(validating: bytes[4..<(4 + n)], as: UTF8.self), let source = try? ScopeID(text), source.utf8.count == n
        else {
            throw .malformed("source scope")
        }
        var at = 4 + n
        guard let child = try? RecordID(hex: Hex.encode(Array(bytes[at..<(at + 16)]))) else { throw .malformed("child id") }
        at += 16
        let k = Int(bytes[at])
        at += 1
        guard k >= 1, bytes.count >= at + 16 * k + 2 else { throw .malformed("key ids") }
        keyIDs = (0..<k).map { Array(bytes[(at + 16 * $0)..<(at + 16 * $0 + 16)]) }
        at += 16 * k
        let count = Int(bytes[at]) << 8 | Int(bytes[at + 1])
        at += 2
        let entry = 32 + 32 * k + SealedBox.overhead
        guard (1...MemberGrant.maxRecipients).contains(count), bytes.count == at + count * entry else {
            throw .malformed("child grant length does not match its \(count) recipients")
        }
        var recipients: [PublicKey] = []
        var boxes: [[UInt8]] = []
        for i in 0..<count {
            let start = at + i * entry
            guard let r = try? PublicKey(bytes: Array(bytes[start..<(start + 32)])) else { throw .malformed("recipient \(i)") }
            if let last = recipients.last, !last.bytes.lexicographicallyPrecedes(r.bytes) { throw .malformed("recipients out of order") }
            recipients.append(r)
            boxes.append(Array(bytes[(start + 32)..<(start + entry)]))
        }
        self.source = source
        self.child = child
        self.recipients = recipients
        self.boxes = boxes
    }

    /// The content keys sealed to `me`, each checked against its id; nil when `me` is not a recipient.
    public func open(as me: DeviceKey) throws(PrivacyError) -> [ContentKey]? {
        guard let i = recipients.firstIndex(of: me.publicKey) else { return nil }
        guard let sk = try? X25519.privateKey(fromEd25519Seed: me.seed), let pk = try? X25519.publicKey(privateKey: sk),
            let plain = SealedBox.open(boxes[i][...], publicKey: pk, privateKey: sk), plain.count == 32 * keyIDs.count
        else { throw .tampered }
        let keys = (0..<keyIDs.count).map { ContentKey(bytes: Array(plain[(32 * $0)..<(32 * $0 + 32)])) }
        guard zip(keys, keyIDs).allSatisfy({ $0.id == $1 }) else { throw .tampered }
        return keys
    }
}
