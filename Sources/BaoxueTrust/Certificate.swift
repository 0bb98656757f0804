import BaoxueCore
import BaoxueSodium

/// A device certificate: the authority (or a delegation) vouches that a key
/// belongs to a named person in a role, for some scopes and a time window.
///
/// Invariant: `encoded` is the canonical encoding (`Protocol/trust.md`,
/// "Certificate"), and a decoded certificate's fields are exactly its bytes;
/// `signature` is over every byte before it. Whether the signature and the
/// chain hold is `CertificateChain`'s question, not this type's.
public struct Certificate: Hashable, Sendable {
    public static let magic: [UInt8] = [0x42, 0x43]  // "BC"
    public static let kind: UInt8 = 0x02
    public static let version: UInt8 = 1
    public static let maxNameBytes = 64
    public static let maxScopes = 64

    public let subject: PublicKey
    public let issuer: PublicKey
    public let role: Role
    /// A delegation: the subject may itself issue certificates within its scopes.
    public let mayIssue: Bool
    public let validFrom: UInt64
    public let validUntil: UInt64
    public let name: String
    public let scopes: [ScopeID]
    public let signature: Signature
    public let encoded: [UInt8]

    public var signedBytes: ArraySlice<UInt8> { encoded.dropLast(Signature.length) }

    /// Signs a new certificate with the issuer's key.
    public static func issue(
        by issuer: DeviceKey, subject: PublicKey, role: Role, mayIssue: Bool = false,
        validFrom: UInt64, validUntil: UInt64, name: String, scopes: [ScopeID]
    ) throws(TrustError) -> Certificate {
        let body = try body(
            subject: subject, issuer: issuer.publicKey, role: role, mayIssue: mayIssue,
            validFrom: validFrom, validUntil: validUntil, name: name, scopes: scopes)
        return try decode(body + issuer.sign(body).bytes)
    }

    static func body(
        subject: PublicKey, issuer: PublicKey, role: Role, mayIssue: Bool,
        validFrom: UInt64, validUntil: UInt64, name: String, scopes: [ScopeID]
    ) throws(TrustError) -> [UInt8] {
        let nameBytes = Array(name.canonicalNFC.utf8)
        guard !nameBytes.isEmpty, nameBytes.count <= maxNameBytes else { throw .malformed("name of \(nameBytes.count) bytes") }
        let sorted = scopes.sorted()
        guard !sorted.isEmpty, sorted.count <= maxScopes, Set(sorted).count == sorted.count else { throw .malformed("scopes") }
        guard validFrom < validUntil else { throw .malformed("validity window empty") }
        var w = ByteWriter()
        w.raw(magic)
        w.u8(kind)
        w.u8(version)
        w.raw(subject.bytes)
        w.raw(issuer.bytes)
        w.u8(role.rawValue)
        w.u8(mayIssue ? 1 : 0)
        w.u64(validFrom)
        w.u64(validUntil)
        writeNameAndScopes(name: nameBytes, scopes: sorted, into: &w)
        return w.bytes
    }

    /// `u8` name length, name, `u8` scope count, each scope as `u8` length and bytes (already sorted).
    static func writeNameAndScopes(name: [UInt8], scopes: [ScopeID], into w: inout ByteWriter) {
        w.u8(UInt8(name.count))
        w.raw(name)
        w.u8(UInt8(scopes.count))
        for s in scopes {
            w.u8(UInt8(s.utf8.count))
            w.raw(s.utf8)
        }
    }

    /// Parses canonical bytes (the signature is not checked here).
    public static func decode(_ bytes: [UInt8]) throws(TrustError) -> Certificate {
        var r = ByteReader(bytes)
        return try TrustError.parsing {
            guard Array(try r.take(2, "magic")) == magic, try r.u8("kind") == kind else { throw TrustError.malformed("not a certificate") }
            guard try r.u8("version") == version else { throw TrustError.malformed("unknown certificate version") }
            let subject = try PublicKey(bytes: Array(try r.take(32, "subject")))
            let issuer = try PublicKey(bytes: Array(try r.take(32, "issuer")))
            guard let role = Role(rawValue: try r.u8("role")) else { throw TrustError.malformed("unknown role") }
            let issue = try r.u8("mayIssue")
            guard issue <= 1 else { throw TrustError.malformed("mayIssue not 0 or 1") }
            let from = try r.u64("validFrom")
            let until = try r.u64("validUntil")
            let nameLength = Int(try r.u8("name length"))
            guard let name = String(validating: try r.take(nameLength, "name"), as: UTF8.self) else {
                throw TrustError.malformed("name not UTF-8")
            }
            var scopes: [ScopeID] = []
            for _ in 0..<(try r.u8("scope count")) {
                let len = Int(try r.u8("scope length"))
                guard let text = String(validating: try r.take(len, "scope"), as: UTF8.self) else {
                    throw TrustError.malformed("scope not UTF-8")
                }
                scopes.append(try ScopeID(text))
            }
            let signature = try Signature(bytes: Array(try r.take(Signature.length, "signature")))
            try r.expectEnd()
            // Canonical: re-encoding the fields must give the same body (NFC name, sorted unique scopes, sizes).
            let canonical = try body(
                subject: subject, issuer: issuer, role: role, mayIssue: issue == 1,
                validFrom: from, validUntil: until, name: name, scopes: scopes)
            guard canonical == Array(bytes.dropLast(Signature.length)) else { throw TrustError.malformed("not canonical") }
            return Certificate(
                subject: subject, issuer: issuer, role: role, mayIssue: issue == 1, validFrom: from,
                validUntil: until, name: name, scopes: scopes, signature: signature, encoded: bytes)
        }
    }

    /// True when the issuer's signature verifies (libsodium's rule, as for changes).
    public var signatureVerifies: Bool { signatureVerifies(memo: nil) }

    /// Same, answering a check made before from `memo`.
    public func signatureVerifies(memo: SignatureMemo?) -> Bool {
        memo.verify(signature: signature.bytes[...], message: signedBytes[...], publicKey: issuer.bytes[...])
    }

    public func isValid(at ms: UInt64) -> Bool { validFrom <= ms && ms < validUntil }

    /// True when one of the certificate's scopes covers `scope` (itself or a descendant, `/`-separated).
    public func covers(_ scope: ScopeID) -> Bool { scopes.contains { Self.scope($0, covers: scope) } }

    public static func scope(_ outer: ScopeID, covers inner: ScopeID) -> Bool { outer.covers(inner) }

    public static func == (a: Certificate, b: Certificate) -> Bool { a.encoded == b.encoded }
    public func hash(into h: inout Hasher) { h.combine(encoded) }
}
