import BaoxueCore

/// Why a certificate or a change is not trusted, each case naming its cause.
public enum TrustError: Error, Equatable, Sendable {
    /// The bytes are not a certificate (with the parser's reason).
    case malformed(String)
    /// The issuer's signature does not verify.
    case badSignature
    /// Issued by its own subject, and the subject is not the authority.
    case selfSigned
    /// The issuer is neither the authority nor the holder of a valid delegation.
    case unknownIssuer(PublicKey)
    /// A delegation tried to grant a scope outside its own, or a role or power it may not grant.
    case delegationWidens(String)
    /// Not valid at the time in question.
    case notValidAt(milliseconds: UInt64)
    /// The author has no certificate (yet) for the change's time.
    case noCertificate(PublicKey)
    /// The change's scope is outside the certificate's scopes.
    case outsideScope(ScopeID)
    /// The author's key was revoked before the change's time.
    case revoked(at: UInt64)
    /// The role may not perform this operation.
    case roleForbids(role: Role, operation: Operation)

    public var code: String {
        switch self {
        case .malformed: "malformed"
        case .badSignature: "bad_signature"
        case .selfSigned: "self_signed"
        case .unknownIssuer: "unknown_issuer"
        case .delegationWidens: "delegation_widens"
        case .notValidAt: "not_valid_at"
        case .noCertificate: "no_certificate"
        case .outsideScope: "outside_scope"
        case .revoked: "revoked"
        case .roleForbids: "role_forbids"
        }
    }

    /// Runs a parser that throws core or trust errors; everything becomes a `TrustError`.
    static func parsing<T>(_ body: () throws -> T) throws(TrustError) -> T {
        do {
            return try body()
        } catch let e as TrustError {
            throw e
        } catch let e as CoreError {
            throw .malformed(e.code)
        } catch {
            throw .malformed("\(error)")
        }
    }
}
