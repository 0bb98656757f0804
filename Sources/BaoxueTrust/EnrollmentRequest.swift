import BaoxueCore
import BaoxueSodium

/// A device asks to be enrolled: its key, who holds it, the role and scopes
/// asked for, signed by the device key itself (proof it holds the key).
///
/// Invariant: `encoded` is canonical (`Protocol/trust.md`, "Enrollment
/// request"); decoding checks the self-signature, so a request that parses
/// came from the holder of `subject`.
public struct EnrollmentRequest: Equatable, Sendable {
    public static let magic: [UInt8] = [0x42, 0x52]  // "BR"
    public static let kind: UInt8 = 0x03
    public static let version: UInt8 = 1

    public let subject: PublicKey
    public let role: Role
    public let createdAt: UInt64
    public let name: String
    public let scopes: [ScopeID]
    public let encoded: [UInt8]

    public static func make(
        key: DeviceKey, role: Role, name: String, scopes: [ScopeID], createdAt: UInt64
    ) throws(TrustError) -> EnrollmentRequest {
        // The certificate's rules for names and scopes apply here too.
        _ = try Certificate.body(
            subject: key.publicKey, issuer: key.publicKey, role: role, mayIssue: false,
            validFrom: 0, validUntil: 1, name: name, scopes: scopes)
        var w = ByteWriter()
        w.raw(magic)
        w.u8(kind)
        w.u8(version)
        w.raw(key.publicKey.bytes)
        w.u8(role.rawValue)
        w.u64(createdAt)
        let nameBytes = Array(name.canonicalNFC.utf8)
        Certificate.writeNameAndScopes(name: nameBytes, scopes: scopes.sorted(), into: &w)
        return try decode(w.bytes + key.sign(w.bytes).bytes)
    }

    public static func decode(_ bytes: [UInt8]) throws(TrustError) -> EnrollmentRequest {
        var r = ByteReader(bytes)
        return try TrustError.parsing {
            guard Array(try r.take(2, "magic")) == magic, try r.u8("kind") == kind, try r.u8("version") == version else {
                throw TrustError.malformed("not an enrollment request")
            }
            let subject = try PublicKey(bytes: Array(try r.take(32, "subject")))
            guard let role = Role(rawValue: try r.u8("role")) else { throw TrustError.malformed("unknown role") }
            let created = try r.u64("createdAt")
            guard let name = String(validating: try r.take(Int(try r.u8("name length")), "name"), as: UTF8.self) else {
                throw TrustError.malformed("name not UTF-8")
            }
            var scopes: [ScopeID] = []
            for _ in 0..<(try r.u8("scope count")) {
                guard let text = String(validating: try r.take(Int(try r.u8("scope length")), "scope"), as: UTF8.self) else {
                    throw TrustError.malformed("scope not UTF-8")
                }
                scopes.append(try ScopeID(text))
            }
            let signature = Array(try r.take(Signature.length, "signature"))
            try r.expectEnd()
            _ = try Certificate.body(
                subject: subject, issuer: subject, role: role, mayIssue: false,
                validFrom: 0, validUntil: 1, name: name, scopes: scopes)
            guard scopes == scopes.sorted(), Set(scopes).count == scopes.count,
                name == name.canonicalNFC
            else { throw TrustError.malformed("not canonical") }
            guard Ed25519.verify(signature: signature[...], message: bytes.dropLast(Signature.length), publicKey: subject.bytes[...]) else {
                throw TrustError.badSignature
            }
            return EnrollmentRequest(subject: subject, role: role, createdAt: created, name: name, scopes: scopes, encoded: bytes)
        }
    }
}

/// The one-line text form of requests and certificates, for files, mail and USB sticks.
public enum Armor {
    public static let request = "baoxue-enroll-request-v1"
    public static let certificate = "baoxue-certificate-v1"
    public static let revocation = "baoxue-revocation-v1"
    /// The district's registry key sealed to the certificate's subject (records.md §1.10), a second line of its certificate file.
    public static let registryKey = "baoxue-registry-key-v1"

    public static func wrap(_ label: String, _ bytes: [UInt8]) -> String { "\(label) \(Hex.encode(bytes))\n" }

    /// The bytes of the line labelled `label`; every non-empty line of a file is `<label> <hex>`, each label once.
    public static func unwrap(_ label: String, _ text: String) throws(TrustError) -> [UInt8] {
        guard let bytes = try lines(text)[label] else { throw .malformed("not a \(label) file") }
        return bytes
    }

    /// Every labelled line, if the file has a label once and the bytes it needs.
    public static func optional(_ label: String, _ text: String) throws(TrustError) -> [UInt8]? { try lines(text)[label] }

    private static func lines(_ text: String) throws(TrustError) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            let parts = line.split(whereSeparator: \.isWhitespace)
            guard parts.count == 2, out[String(parts[0])] == nil, let bytes = try? Hex.decode(String(parts[1])) else {
                throw .malformed("a line of the file is not \"label hex\"")
            }
            out[String(parts[0])] = bytes
        }
        return out
    }
}
