import BaoxueCore
import BaoxueRecords

/// The payload of a change in the `_admin` scope: a certificate, a revocation, a ruling
/// a district policy or a school's published monthly figures (trust.md §6, §8, §9, §10).
///
/// Such a change may be authored by any device: what counts is the
/// certificate's own issuer signature and chain, checked on every replica.
public enum AdminPayload: Equatable, Sendable {
    case certificate(Certificate)
    /// Only the authority may revoke.
    case revocation(Revocation)
    /// Only a district admin's device may rule.
    case ruling(Ruling)
    /// Only a district admin whose certificate covers the policy's district may publish it.
    case policy(DistrictPolicy)
    /// Only a school or district admin whose certificate covers the school may publish its figures.
    case figures(PublishedFigures)

    public static let certificateTag: UInt8 = 0x01
    public static let revocationTag: UInt8 = 0x02
    static let rulingTag: UInt8 = 0x03
    public static let policyTag: UInt8 = 0x04
    public static let figuresTag: UInt8 = 0x05

    public var encoded: [UInt8] {
        switch self {
        case .certificate(let c): [Self.certificateTag] + c.encoded
        case .revocation(let r): [Self.revocationTag] + r.encoded
        case .ruling(let r): [Self.rulingTag] + r.encoded
        case .policy(let p): [Self.policyTag] + p.encoded
        case .figures(let f): [Self.figuresTag] + f.encoded
        }
    }

    public static func decode(_ bytes: [UInt8]) throws(TrustError) -> AdminPayload {
        guard let tag = bytes.first else { throw .malformed("empty admin payload") }
        switch tag {
        case certificateTag: return .certificate(try Certificate.decode(Array(bytes.dropFirst())))
        case revocationTag: return .revocation(try Revocation.decode(Array(bytes.dropFirst())))
        case rulingTag: return .ruling(try Ruling.decode(Array(bytes.dropFirst())))
        case policyTag:
            do { return .policy(try DistrictPolicy.decode(Array(bytes.dropFirst()))) } catch { throw .malformed("policy: \(error)") }
        case figuresTag:
            do { return .figures(try PublishedFigures.decode(Array(bytes.dropFirst()))) } catch { throw .malformed("figures: \(error)") }
        default: throw .malformed("unknown admin payload \(tag)")
        }
    }
}
