import BaoxueCore
import BaoxueSync

/// What a serving replica (a relay) checks per connection beyond the sync
/// policy: limits per device and for the whole server. Called on the
/// connection's own serial queue, so implementations must be thread-safe
/// across connections.
///
/// An error returned ends the session with ABORT carrying its code, so the
/// device is told why (`over_limit: connections`), never just dropped.
public protocol SessionGuard: Sendable {
    /// The peer has proved its device key.
    func identified(_ peer: PublicKey, connection: UInt64) -> SyncError?
    /// `bytes` more arrived from an identified peer.
    func received(_ bytes: Int, from peer: PublicKey) -> SyncError?
    /// The session is over (`peer` nil if it never identified); called exactly once per connection.
    func ended(connection: UInt64, peer: PublicKey?, progress: SyncSummary, error: SyncError?)
}
