import BaoxueCore

/// The payload of a change in the `_admin` scope: a certificate (more kinds
/// — revocations, equivocation rulings — come with the rest of trust.md §6).
///
/// Such a change may be authored by any device: what counts is the
/// certificate's own issuer signature and chain, checked on every replica.
public enum AdminPayload: Equatable, Sendable {
    case certificate(Certificate)

    static let certificateTag: UInt8 = 0x01

    public var encoded: [UInt8] {
        switch self {
        case .certificate(let c): [Self.certificateTag] + c.encoded
        }
    }

    public static func decode(_ bytes: [UInt8]) throws(TrustError) -> AdminPayload {
        guard let tag = bytes.first else { throw .malformed("empty admin payload") }
        switch tag {
        case certificateTag: return .certificate(try Certificate.decode(Array(bytes.dropFirst())))
        default: throw .malformed("unknown admin payload \(tag)")
        }
    }
}
