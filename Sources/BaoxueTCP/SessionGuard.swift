import BaoxueCore
import BaoxueSync

/// What a serving replica (a relay) checks per connection beyond the sync
/// policy: limits per device and for the whole server, and admission of
/// sessions in progress. Called on the connection's own serial queue, so
/// implementations must be thread-safe across connections.
///
/// An error returned ends the session with ABORT carrying its code, so the
/// device is told why (`over_limit: connections`), never just dropped.
public protocol SessionGuard: Sendable {
    /// The peer has proved its device key.
    func identified(_ peer: PublicKey, connection: UInt64) -> SyncError?
    /// Asks for one of the slots for sessions in progress, after `identified` let the peer in.
    /// True: go on now. False: the connection waits (reading nothing) until `granted` is called,
    /// once; never called after `ended` for that connection.
    ///
    /// Why: thousands of devices connecting at once would otherwise all hold a session's
    /// buffers and database reads at the same moment, and all be slow together.
    func admit(connection: UInt64, granted: @escaping @Sendable () -> Void) -> Bool
    /// How long a connection may wait for a slot before it is told `over_limit: server_busy`
    /// (well under the device's 60 s idle timeout, so it hears why rather than timing out).
    var admissionWaitMs: UInt64 { get }
    /// `bytes` more arrived from an identified peer.
    func received(_ bytes: Int, from peer: PublicKey) -> SyncError?
    /// The session is over (`peer` nil if it never identified); called exactly once per connection.
    /// Frees its slot, or takes it out of the queue for one.
    func ended(connection: UInt64, peer: PublicKey?, progress: SyncSummary, error: SyncError?)
}

extension SessionGuard {
    /// Without admission control every identified session goes on at once.
    public func admit(connection: UInt64, granted: @escaping @Sendable () -> Void) -> Bool { true }
    public var admissionWaitMs: UInt64 { 30_000 }
}
