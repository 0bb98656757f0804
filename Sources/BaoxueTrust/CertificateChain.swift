import BaoxueCore

/// Decides whether a certificate is trusted: issued by the district
/// authority, or by a delegation the authority issued, at a given time.
///
/// Invariant: chains are at most two links (authority → delegation →
/// device); a delegation can grant only scopes it covers itself, never a
/// district-admin role and never the power to issue, and only within its
/// own validity window.
public struct CertificateChain: Sendable {
    public let authority: PublicKey
    /// Delegations known to this replica, by subject key (each checked when used).
    private var delegations: [PublicKey: [Certificate]] = [:]

    public init(authority: PublicKey) { self.authority = authority }

    /// A chain to `authority` that knows the delegations among `certificates` (the others are ignored).
    public init(authority: PublicKey, knowing certificates: [Certificate]) {
        self.init(authority: authority)
        for d in certificates where d.mayIssue { learn(delegation: d) }
    }

    /// Remembers a delegation certificate (it is validated whenever it is relied upon).
    public mutating func learn(delegation: Certificate) {
        guard delegation.mayIssue else { return }
        delegations[delegation.subject, default: []].append(delegation)
    }

    /// Validates `cert` as of `ms`; returns normally when trusted.
    /// `signaturesChecked`: `cert` and every learnt delegation were verified when they were
    /// stored (a replica's certificate table), so only times, roles and scopes are checked —
    /// a relay checks a certificate for every change it stores, and a signature costs 50 µs.
    /// `memo` answers signature checks made before (`SignatureMemo`).
    public func validate(_ cert: Certificate, at ms: UInt64, signaturesChecked: Bool = false, memo: SignatureMemo? = nil) throws(TrustError)
    {
        guard signaturesChecked || cert.signatureVerifies(memo: memo) else { throw .badSignature }
        guard cert.isValid(at: ms) else { throw .notValidAt(milliseconds: ms) }
        if cert.issuer == authority { return }
        if cert.issuer == cert.subject { throw .selfSigned }
        guard let candidates = delegations[cert.issuer] else { throw .unknownIssuer(cert.issuer) }
        var lastError = TrustError.unknownIssuer(cert.issuer)
        for d in candidates {
            do {
                try validateDelegation(d, at: ms, signatureChecked: signaturesChecked, memo: memo)
                try check(cert, within: d)
                return
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private func validateDelegation(_ d: Certificate, at ms: UInt64, signatureChecked: Bool, memo: SignatureMemo?) throws(TrustError) {
        guard d.mayIssue else { throw .unknownIssuer(d.subject) }
        guard d.issuer == authority else { throw .unknownIssuer(d.issuer) }
        guard signatureChecked || d.signatureVerifies(memo: memo) else { throw .badSignature }
        guard d.isValid(at: ms) else { throw .notValidAt(milliseconds: ms) }
    }

    private func check(_ cert: Certificate, within d: Certificate) throws(TrustError) {
        guard !cert.mayIssue else { throw .delegationWidens("a delegation cannot grant the power to issue") }
        guard cert.role != .districtAdmin else { throw .delegationWidens("a delegation cannot grant the district-admin role") }
        for s in cert.scopes where !d.covers(s) { throw .delegationWidens("scope \(s) is outside the delegation's scopes") }
        guard d.validFrom <= cert.validFrom, cert.validUntil <= d.validUntil else {
            throw .delegationWidens("validity outside the delegation's")
        }
    }
}
