import BaoxueCore
import BaoxueRecords
import BaoxueSodium
import BaoxueTrust

/// A change payload encrypted for the members of its scope (privacy.md §3.1).
///
/// Layout (all in the signed change payload, so the signature covers the ciphertext):
///
///     00 45 02 | declared class u8 | scope key id (16) | nonce (24)
///              | child id sealed under the scope key (16 + 16) | body sealed under the content key (P + 16)
///
/// The body is `kind u8 | length u32 BE | content | zero bytes` padded to `SealedPadding.length`
/// (kind 1: a record payload, records.md §1; kind 2: a `TransferBundle`; kind 3: an `AttachmentPart`). Nothing in clear is
/// stable per child: the scope key id is the school's epoch, the nonce is random.
/// Both seals are XChaCha20-Poly1305 with AD = the 44 header bytes ‖ author (32) ‖ seq u64 BE ‖
/// scope (UTF-8), so a ciphertext cannot be moved to another change or have its class edited.
/// A member opens the child id with the scope key, derives the content key and opens the body;
/// a school the child transferred to holds only the content key, from the transfer.
public struct SealedPayload: Sendable, Equatable {
    public static let magic: [UInt8] = [0x00, 0x45, 0x02]
    static let headerLength = 3 + 1 + 16 + XChaChaPoly.nonceLength
    static let childSealLength = 16 + XChaChaPoly.tagLength
    static let bodyPrefix = 5

    public let declared: DeclaredClass
    public let scopeKeyID: [UInt8]
    let nonce: [UInt8]
    let sealedChild: [UInt8]
    let ciphertext: [UInt8]
    private let header: [UInt8]

    public static func isSealed(_ bytes: [UInt8]) -> Bool { bytes.starts(with: magic) }

    /// The scope key id in clear in a sealed payload's header, read without parsing the rest; nil for any other payload.
    public static func scopeKeyID(of bytes: [UInt8]) -> [UInt8]? {
        guard isSealed(bytes), bytes.count >= headerLength else { return nil }
        return Array(bytes[4..<20])
    }

    /// Encrypts a record payload (`encoded`, valid format-2 bytes) for change (`author`, `seq`) in
    /// `key`'s scope, declaring `declared` (at least the class its ops need; by default exactly that).
    /// `nonce` is random unless given (test vectors only: a repeated nonce under one key breaks the cipher).
    public static func seal(
        _ payload: RecordPayload, encoded: [UInt8], key: ScopeKey, author: PublicKey, seq: UInt64, declaring declared: DeclaredClass? = nil,
        nonce given: [UInt8]? = nil, random: RandomSource = .system
    ) throws(PrivacyError) -> [UInt8] {
        let needed = DeclaredClass.covering(payload)
        let declared = max(needed, declared ?? needed)
        return try seal(
            kind: 1, content: encoded, child: payload.soleChild, declared: declared, key: key, author: author, seq: seq,
            nonce: given, random: random)
    }

    /// Encrypts a transfer of one child's history, sealed under that child's key (so a later
    /// transfer onwards carries it along with the child's other changes).
    public static func seal(
        _ bundle: TransferBundle, key: ScopeKey, author: PublicKey, seq: UInt64, nonce given: [UInt8]? = nil, random: RandomSource = .system
    ) throws(PrivacyError) -> [UInt8] {
        try seal(
            kind: 2, content: bundle.encoded, child: bundle.child, declared: .admin, key: key, author: author, seq: seq, nonce: given,
            random: random)
    }

    /// Encrypts one part of an attachment under its child's key, declaring `declared` (the writer's class).
    public static func seal(
        _ part: AttachmentPart, key: ScopeKey, author: PublicKey, seq: UInt64, declaring declared: DeclaredClass = .field,
        nonce given: [UInt8]? = nil, random: RandomSource = .system
    ) throws(PrivacyError) -> [UInt8] {
        try seal(
            kind: 3, content: part.encoded, child: part.child, declared: declared, key: key, author: author, seq: seq, nonce: given,
            random: random)
    }

    private static func seal(
        kind: UInt8, content: [UInt8], child: RecordID?, declared: DeclaredClass, key: ScopeKey, author: PublicKey, seq: UInt64,
        nonce given: [UInt8]?, random: RandomSource
    ) throws(PrivacyError) -> [UInt8] {
        let nonce = given ?? random.bytes(XChaChaPoly.nonceLength)
        guard nonce.count == XChaChaPoly.nonceLength else { throw .malformed("nonce must be 24 bytes") }
        guard content.count <= ChangeFormat.maxPayloadBytes else { throw .malformed("content too long") }
        let header = magic + [declared.rawValue] + key.id + nonce
        let ad = associatedData(header, author: author, seq: seq, scope: key.scope)
        let childBytes = child.map { try! Hex.decode($0.hex) } ?? [UInt8](repeating: 0, count: 16)
        let n = content.count
        var body = [kind, UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + content
        body += [UInt8](repeating: 0, count: SealedPadding.length(for: body.count) - body.count)
        do {
            let sealedChild = try XChaChaPoly.seal(key: key.bytes, nonce: nonce, ad: ad, plaintext: childBytes)
            return header + sealedChild
                + (try XChaChaPoly.seal(key: key.contentKey(child: child).bytes, nonce: nonce, ad: ad, plaintext: body))
        } catch {
            throw .malformed("\(error)")
        }
    }

    /// Parses the layout; reads nothing secret.
    public init(bytes: [UInt8]) throws(PrivacyError) {
        let bodyMin = SealedPadding.step + XChaChaPoly.tagLength
        guard bytes.count >= Self.headerLength + Self.childSealLength + bodyMin else { throw .malformed("too short") }
        guard bytes.starts(with: Self.magic) else { throw .malformed("not a sealed payload") }
        guard let declared = DeclaredClass(rawValue: bytes[3]) else { throw .malformed("unknown class \(bytes[3])") }
        self.declared = declared
        scopeKeyID = Array(bytes[4..<20])
        nonce = Array(bytes[20..<44])
        sealedChild = Array(bytes[44..<(44 + Self.childSealLength)])
        ciphertext = Array(bytes[(44 + Self.childSealLength)...])
        header = Array(bytes[..<Self.headerLength])
    }

    /// Opens the payload with the scope key it names.
    public func open(with key: ScopeKey, author: PublicKey, seq: UInt64) throws(PrivacyError) -> SealedContent {
        guard key.id == scopeKeyID else { throw .noKey }
        let ad = Self.associatedData(header, author: author, seq: seq, scope: key.scope)
        guard let childBytes = XChaChaPoly.open(key: key.bytes, nonce: nonce, ad: ad, ciphertext: sealedChild[...]) else { throw .tampered }
        let child = childBytes.allSatisfy({ $0 == 0 }) ? nil : try? RecordID(hex: Hex.encode(childBytes))
        return try open(with: key.contentKey(child: child), ad: ad)
    }

    /// Opens the payload with a content key granted on its own (a transferred child's history);
    /// `tampered` when it is not this change's key.
    public func open(with content: ContentKey, author: PublicKey, seq: UInt64, scope: ScopeID) throws(PrivacyError) -> SealedContent {
        try open(with: content, ad: Self.associatedData(header, author: author, seq: seq, scope: scope))
    }

    private func open(with content: ContentKey, ad: [UInt8]) throws(PrivacyError) -> SealedContent {
        guard let body = XChaChaPoly.open(key: content.bytes, nonce: nonce, ad: ad, ciphertext: ciphertext[...]) else { throw .tampered }
        guard body.count >= Self.bodyPrefix else { throw .malformed("body too short") }
        let n = body[1..<5].reduce(0) { $0 << 8 | Int($1) }
        guard n <= body.count - Self.bodyPrefix, SealedPadding.length(for: Self.bodyPrefix + n) == body.count,
            body[(Self.bodyPrefix + n)...].allSatisfy({ $0 == 0 })
        else { throw .malformed("padding") }
        let inner = Array(body[Self.bodyPrefix..<(Self.bodyPrefix + n)])
        switch body[0] {
        case 1:
            let payload: RecordPayload
            do { payload = try RecordPayload.decode(inner) } catch { throw .malformed("sealed payload: \(error)") }
            try declared.check(covers: payload)
            return .record(payload)
        case 2:
            guard declared == .admin else { throw .undeclaredOperation(Operation.grantKeys.rawValue) }
            return .transfer(try TransferBundle(bytes: inner))
        case 3:
            return .attachment(try AttachmentPart(bytes: inner))
        default:
            throw .malformed("unknown content kind \(body[0])")
        }
    }

    static func associatedData(_ header: [UInt8], author: PublicKey, seq: UInt64, scope: ScopeID) -> [UInt8] {
        var ad = header + author.bytes
        for shift in stride(from: 56, through: 0, by: -8) { ad.append(UInt8(truncatingIfNeeded: seq >> UInt64(shift))) }
        return ad + scope.utf8
    }
}

/// What a sealed payload holds once opened.
public enum SealedContent: Sendable, Equatable {
    /// Record ops, as a clear payload would carry them.
    case record(RecordPayload)
    /// A transferred child's history (privacy.md §2(b)).
    case transfer(TransferBundle)
    /// One part of an attachment (privacy.md §3.6).
    case attachment(AttachmentPart)

    /// The record payload; nil for a transfer.
    public var record: RecordPayload? {
        if case .record(let p) = self { return p }
        return nil
    }
}

extension RecordPayload {
    /// The one child every op of this payload is about, or nil when it touches several,
    /// none, or a record that is not a child (then the scope's content key is used).
    public var soleChild: RecordID? {
        var child: RecordID?
        for op in ops {
            let this: RecordID?
            switch op {
            case .set(let kind, let record, _, _, _), .registryDefault(let kind, let record, _, _, _), .add(let kind, let record, _, _),
                .remove(let kind, let record, _, _, _):
                this = kind == .child ? record : nil
            case .event(let e): this = e.child
            case .closeOut(let c, _, _, _, _): this = c
            case .void: this = nil
            }
            guard let this, child == nil || child == this else { return nil }
            child = this
        }
        return child
    }
}
