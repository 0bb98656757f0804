import BaoxueCore

/// The payload of a change in the `_admin` scope: a certificate (more kinds
/// — revocations, equivocation rulings — come with the rest of trust.md §6).
///
/// Such a change may be authored by any device: what counts is the
/// certificate's own issuer signature and chain, checked on every replica.
public enum AdminPayload: Equatable, Sendable {
    case certificate(Certificate)
    /// Only the authority may revoke.
    case revocation(Revocation)
    /// Only a district admin's device may rule.
    case ruling(Ruling)

    public static let certificateTag: UInt8 = 0x01
    public static let revocationTag: UInt8 = 0x02
    static let rulingTag: UInt8 = 0x03

    public var encoded: [UInt8] {
        switch self {
        case .certificate(let c): [Self.certificateTag] + c.encoded
        case .revocation(let r): [Self.revocationTag] + r.encoded
        case .ruling(let r): [Self.rulingTag] + r.encoded
        }
    }

    public static func decode(_ bytes: [UInt8]) throws(TrustError) -> AdminPayload {
        guard let tag = bytes.first else { throw .malformed("empty admin payload") }
        switch tag {
        case certificateTag: return .certificate(try Certificate.decode(Array(bytes.dropFirst())))
        case revocationTag: return .revocation(try Revocation.decode(Array(bytes.dropFirst())))
        case rulingTag: return .ruling(try Ruling.decode(Array(bytes.dropFirst())))
        default: throw .malformed("unknown admin payload \(tag)")
        }
    }
}
