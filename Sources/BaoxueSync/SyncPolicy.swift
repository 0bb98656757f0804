import BaoxueCore

/// Which device keys may sync with this replica, and which scopes each may
/// send and receive. The trust layer replaces the hand-kept list with
/// certificates; until then this allow-list is the whole policy.
///
/// Invariant: a key not listed may not sync at all; a scope not granted is
/// never named, fingerprinted or sent to that peer.
public struct SyncPolicy: Sendable, Equatable {
    /// What one peer is granted.
    public enum Grant: Sendable, Equatable {
        case allScopes
        case scopes(Set<ScopeID>)
        /// The scopes of a certificate: each covers itself and everything below it.
        case within([ScopeID])
        /// A revoked device: it is offered these `_admin` changes (its own revocations) and nothing
        /// else, and nothing it sends is stored. Why not refuse it outright: it must receive its
        /// revocation to wipe its keys (privacy.md §5), and refused at the handshake it never would.
        case revocationOnly(Set<ChangeID>)

        func allows(_ scope: ScopeID) -> Bool {
            switch self {
            case .allScopes: true
            case .scopes(let s): s.contains(scope)
            case .within(let roots): roots.contains { $0.covers(scope) }
            case .revocationOnly: scope == .admin
            }
        }
    }

    public private(set) var grants: [PublicKey: Grant]

    /// Judges certificates a peer not in `grants` presented in its handshake: the grant
    /// they earn, or nil. Supplied by the trust layer (chain to the pinned authority, not revoked).
    public typealias Vouch = @Sendable (PublicKey, [[UInt8]]) -> Grant?

    public init(grants: [PublicKey: Grant] = [:]) { self.grants = grants }

    public mutating func allow(_ key: PublicKey, _ grant: Grant = .allScopes) { grants[key] = grant }

    public func allows(_ peer: PublicKey) -> Bool { grants[peer] != nil }

    /// The only changes this peer may be offered, when it is revoked (`revocationOnly`); nil otherwise.
    public func revocations(for peer: PublicKey) -> Set<ChangeID>? {
        if case .revocationOnly(let ids) = grants[peer] { return ids }
        return nil
    }

    /// The scopes of `wanted` this peer may see, in the given order.
    public func scopes(_ wanted: [ScopeID], for peer: PublicKey) -> [ScopeID] {
        guard let grant = grants[peer] else { return [] }
        return wanted.filter { grant.allows($0) }
    }
}
