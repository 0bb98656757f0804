import BaoxueCore
import BaoxueRecords
import BaoxueSodium

/// A record payload encrypted for the members of its scope (privacy.md §3).
///
/// Layout (all in the signed change payload, so the signature covers the ciphertext):
///
///     00 45 01 | operations u16 BE | scope key id (16) | content key id (16) | nonce (24)
///              | child id sealed under the scope key (16 + 16) | payload sealed under the content key (n + 16)
///
/// Both seals are XChaCha20-Poly1305 with AD = the 61 header bytes ‖ author
/// (32) ‖ seq u64 BE ‖ scope (UTF-8), so a ciphertext cannot be moved to
/// another change or have its declared operations edited. A member opens the
/// child id with the scope key, derives the content key and opens the
/// payload; a school the child transferred to holds only the content key
/// and finds it by its id.
public struct SealedPayload: Sendable, Equatable {
    public static let magic = ChangeFormat.sealedPayloadMagic
    static let headerLength = 3 + 2 + 16 + 16 + XChaChaPoly.nonceLength
    static let childSealLength = 16 + XChaChaPoly.tagLength

    public let operations: DeclaredOperations
    public let scopeKeyID: [UInt8]
    public let contentKeyID: [UInt8]
    let nonce: [UInt8]
    let sealedChild: [UInt8]
    let ciphertext: [UInt8]

    public static func isSealed(_ bytes: [UInt8]) -> Bool { bytes.starts(with: magic) }

    /// The scope key id and content key id in clear in a sealed payload's header, read without
    /// parsing the rest (a store notes them for every change); nil for any other payload.
    public static func keyIDs(of bytes: [UInt8]) -> (scope: [UInt8], content: [UInt8])? {
        guard isSealed(bytes), bytes.count >= headerLength else { return nil }
        return (Array(bytes[5..<21]), Array(bytes[21..<37]))
    }

    /// Encrypts `payload` (valid record payload JSON) for change (`author`, `seq`) in `key`'s scope.
    /// `nonce` is random unless given (test vectors only: a repeated nonce under one key breaks the cipher).
    public static func seal(_ payload: RecordPayload, encoded: [UInt8], key: ScopeKey, author: PublicKey, seq: UInt64,
                            nonce given: [UInt8]? = nil, random: RandomSource = .system) throws(PrivacyError) -> [UInt8] {
        let child = payload.soleChild
        let content = key.contentKey(child: child)
        let nonce = given ?? random.bytes(XChaChaPoly.nonceLength)
        guard nonce.count == XChaChaPoly.nonceLength else { throw .malformed("nonce must be 24 bytes") }
        var header = magic
        let mask = DeclaredOperations(of: payload).mask
        header += [UInt8(mask >> 8), UInt8(mask & 0xff)]
        header += key.id + content.id + nonce
        let ad = associatedData(header, author: author, seq: seq, scope: key.scope)
        let childBytes = child.map { try! Hex.decode($0.hex) } ?? [UInt8](repeating: 0, count: 16)
        do {
            let sealedChild = try XChaChaPoly.seal(key: key.bytes, nonce: nonce, ad: ad, plaintext: childBytes)
            let body = try XChaChaPoly.seal(key: content.bytes, nonce: nonce, ad: ad, plaintext: encoded)
            return header + sealedChild + body
        } catch {
            throw .malformed("\(error)")
        }
    }

    /// Parses the layout; reads nothing secret.
    public init(bytes: [UInt8]) throws(PrivacyError) {
        guard bytes.count >= Self.headerLength + Self.childSealLength + XChaChaPoly.tagLength else { throw .malformed("too short") }
        guard bytes.starts(with: Self.magic) else { throw .malformed("not a sealed payload") }
        operations = try DeclaredOperations(mask: UInt16(bytes[3]) << 8 | UInt16(bytes[4]))
        scopeKeyID = Array(bytes[5..<21])
        contentKeyID = Array(bytes[21..<37])
        nonce = Array(bytes[37..<61])
        sealedChild = Array(bytes[61..<(61 + Self.childSealLength)])
        ciphertext = Array(bytes[(61 + Self.childSealLength)...])
        header = Array(bytes[..<Self.headerLength])
    }

    private let header: [UInt8]

    /// Opens the payload with the scope key it names; checks the derived content key matches the header.
    public func open(with key: ScopeKey, author: PublicKey, seq: UInt64) throws(PrivacyError) -> RecordPayload {
        guard key.id == scopeKeyID else { throw .noKey }
        let ad = Self.associatedData(header, author: author, seq: seq, scope: key.scope)
        guard let childBytes = XChaChaPoly.open(key: key.bytes, nonce: nonce, ad: ad, ciphertext: sealedChild[...]) else { throw .tampered }
        let child = childBytes.allSatisfy({ $0 == 0 }) ? nil : try? RecordID(hex: Hex.encode(childBytes))
        return try open(with: key.contentKey(child: child), ad: ad)
    }

    /// Opens the payload with a content key granted on its own (a transferred child's history).
    public func open(with content: ContentKey, author: PublicKey, seq: UInt64, scope: ScopeID) throws(PrivacyError) -> RecordPayload {
        try open(with: content, ad: Self.associatedData(header, author: author, seq: seq, scope: scope))
    }

    private func open(with content: ContentKey, ad: [UInt8]) throws(PrivacyError) -> RecordPayload {
        guard content.id == contentKeyID else { throw .tampered }
        guard let plain = XChaChaPoly.open(key: content.bytes, nonce: nonce, ad: ad, ciphertext: ciphertext[...]) else { throw .tampered }
        let payload: RecordPayload
        do { payload = try RecordPayload.decode(plain) } catch { throw .malformed("sealed payload: \(error)") }
        try operations.check(covers: payload)
        return payload
    }

    static func associatedData(_ header: [UInt8], author: PublicKey, seq: UInt64, scope: ScopeID) -> [UInt8] {
        var ad = header + author.bytes
        for shift in stride(from: 56, through: 0, by: -8) { ad.append(UInt8(truncatingIfNeeded: seq >> UInt64(shift))) }
        return ad + scope.utf8
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
