import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTransport

/// A relay's store as its upstream loop (`Upstream`) sees it: the scopes it holds, and an
/// initiator's endpoint that syncs them against the relay above, storing what comes down the way
/// the relay stores what its devices send (one SQLite appender, or a cluster's shared database).
public protocol UpstreamStore: Sendable {
    /// The scopes holding at least one change (the loop adds `_admin`).
    func upstreamScopes() throws(SyncError) -> [ScopeID]
    /// An initiator's endpoint for one sync of `scopes` with the relay above.
    func upstreamEndpoint(
        key: DeviceKey, policy: SyncPolicy, scopes: [ScopeID], now: UInt64, certificates: [[UInt8]], vouch: SyncPolicy.Vouch?
    ) throws(SyncError) -> SyncEndpoint
}

/// A SQLite relay's log with its one appender: upstream batches commit in order with every connection's.
struct AppendedLog: UpstreamStore {
    let log: ChangeLog
    let appender: StreamingAppender

    func upstreamScopes() throws(SyncError) -> [ScopeID] {
        do { return try log.scopes() } catch { throw .store("\(error)") }
    }

    func upstreamEndpoint(
        key: DeviceKey, policy: SyncPolicy, scopes: [ScopeID], now: UInt64, certificates: [[UInt8]], vouch: SyncPolicy.Vouch?
    ) throws(SyncError) -> SyncEndpoint {
        try SyncEndpoint.make(
            role: .initiator, key: key, store: log, policy: policy, scopes: scopes, now: now, pipelined: appender,
            certificates: certificates, vouch: vouch)
    }
}

extension ClusterStore: UpstreamStore {
    /// The scopes in this process's reconciliation sets (the shared log as of its last catch-up).
    public func upstreamScopes() throws(SyncError) -> [ScopeID] { scopes }

    public func upstreamEndpoint(
        key: DeviceKey, policy: SyncPolicy, scopes: [ScopeID], now: UInt64, certificates: [[UInt8]], vouch: SyncPolicy.Vouch?
    ) throws(SyncError) -> SyncEndpoint {
        let session = try SyncSession(
            role: .initiator, key: key, policy: policy, scopes: scopes, source: self, now: now, certificates: certificates)
        return SyncEndpoint(session: session, storage: .submitted(self), loader: self, vouch: vouch)
    }
}
