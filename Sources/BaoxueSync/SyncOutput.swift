import BaoxueCore

/// What a session asks its driver to do: bytes for the peer, a batch to
/// store durably (then call `SyncSession.stored`), bytes to load, or the end.
public enum SyncOutput: Equatable, Sendable {
    case send([UInt8])
    case store(batch: UInt64, encoded: [[UInt8]])
    /// The peer is not on this side's list but presented certificates: the driver judges them (the trust
    /// layer may record their chain as it does) and answers `SyncSession.vouched(_:now:)` with the grant
    /// they earn, or nil. Until then the session holds what the peer sends.
    case vouch(peer: PublicKey, certificates: [[UInt8]])
    /// The peer asked the desk (ENROLL, PENDING or DECIDE, sync.md §3.1); `known` is false for a peer
    /// no policy allows (only ENROLL reaches the driver from one). The driver answers with
    /// `SyncSession.answered(_:now:)`, or ends the session with `abort`.
    case desk(peer: PublicKey, known: Bool, question: DeskMessage)
    /// The bytes of these changes, in this order, from a source that loads later (`SyncDataSource.loadsLater`):
    /// the driver answers `SyncSession.loaded(_:now:)`; nothing more is sent until then.
    case load([ChangeID])
    case finished(SyncSummary)
    case failed(SyncError)
}

/// Counters of a session, live (`progress`) and final (`summary`).
public struct SyncSummary: Equatable, Sendable {
    public var peer: PublicKey?
    public var scopes: [ScopeID] = []
    /// Changes this side sent and the peer acknowledged.
    public var sentChanges = 0
    /// Changes received and durably stored.
    public var receivedChanges = 0
    /// Changes the peer lacks / this side lacks, once reconciliation is done.
    public var toSend = 0
    public var toReceive = 0
    public var bytesSent = 0
    public var bytesReceived = 0
    /// The encoded changes' own bytes inside those totals.
    public var changeBytesSent = 0
    public var changeBytesReceived = 0
    /// Reconciliation round trips (the most of any scope), after the handshake.
    public var roundTrips = 0
    public var reconciled = false
    public var durationMs: UInt64 = 0
    /// Why the peer refused to store this side's changes (REFUSED: `over_limit: disk_full`,
    /// `peer_not_allowed: revoked`), nil if it stored all it was sent.
    public var refusedByPeer: String?
    /// This side's changes the peer did not store: refused batches and those never sent after.
    public var notSent = 0
    /// Why this side stores nothing more from the peer: a batch it could not store (`diskFull`),
    /// or a revoked peer (`revoked`, from the handshake on); nil while it stores what arrives.
    public var refusedToPeer: SyncError?
    /// The peer's changes this side received and did not store.
    public var notStored = 0
    /// A desk session's reply (initiator), once it arrived.
    public var deskAnswer: DeskMessage?

    /// The peer is revoked: it was offered its revocations only, and nothing of it was stored.
    public var peerRevoked: Bool { if case .revoked? = refusedToPeer { true } else { false } }

    public init() {}

    /// Bytes on the wire that were not the changes themselves.
    public var overheadBytes: Int { bytesSent + bytesReceived - changeBytesSent - changeBytesReceived }
}
