import BaoxueCore
import BaoxueSodium

/// The authority withdraws a device key from a moment on (lost or stolen phone).
///
/// Invariant: `encoded` is canonical (`Protocol/trust.md` §6): "BV", kind 4,
/// version 1, subject, revokedAt (ms), issuer, reason (u8 length + UTF-8,
/// ≤ 128 bytes), then the issuer's signature over all of it.
public struct Revocation: Hashable, Sendable {
    public static let magic: [UInt8] = [0x42, 0x56]  // "BV"
    public static let kind: UInt8 = 0x04
    public static let version: UInt8 = 1

    public let subject: PublicKey
    public let revokedAt: UInt64
    public let issuer: PublicKey
    public let reason: String
    public let encoded: [UInt8]

    public static func issue(by issuer: DeviceKey, subject: PublicKey, revokedAt: UInt64, reason: String) throws(TrustError) -> Revocation {
        let text = Array(reason.canonicalNFC.utf8)
        guard text.count <= 128 else { throw .malformed("reason over 128 bytes") }
        var w = ByteWriter()
        w.raw(magic)
        w.u8(kind)
        w.u8(version)
        w.raw(subject.bytes)
        w.u64(revokedAt)
        w.raw(issuer.publicKey.bytes)
        w.u8(UInt8(text.count))
        w.raw(text)
        return try decode(w.bytes + issuer.sign(w.bytes).bytes)
    }

    /// Parses canonical bytes; the signature is checked by `signatureVerifies`.
    public static func decode(_ bytes: [UInt8]) throws(TrustError) -> Revocation {
        var r = ByteReader(bytes)
        return try TrustError.parsing {
            guard Array(try r.take(2, "magic")) == magic, try r.u8("kind") == kind, try r.u8("version") == version else {
                throw TrustError.malformed("not a revocation")
            }
            let subject = try PublicKey(bytes: Array(try r.take(32, "subject")))
            let at = try r.u64("revokedAt")
            let issuer = try PublicKey(bytes: Array(try r.take(32, "issuer")))
            let n = Int(try r.u8("reason length"))
            guard n <= 128, let reason = String(validating: try r.take(n, "reason"), as: UTF8.self),
                reason == reason.canonicalNFC
            else { throw TrustError.malformed("reason") }
            _ = try r.take(Signature.length, "signature")
            try r.expectEnd()
            return Revocation(subject: subject, revokedAt: at, issuer: issuer, reason: reason, encoded: bytes)
        }
    }

    public var signatureVerifies: Bool {
        Ed25519.verify(
            signature: encoded.suffix(Signature.length), message: encoded.dropLast(Signature.length), publicKey: issuer.bytes[...])
    }
}
