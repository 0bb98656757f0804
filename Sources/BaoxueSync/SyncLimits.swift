/// The timeouts and sizes a session enforces; the defaults are the
/// protocol's (`Protocol/sync.md`, "Limits").
public struct SyncLimits: Sendable, Equatable {
    /// From connection to completed handshake.
    public var handshakeTimeoutMs: UInt64 = 15_000
    /// Longest wait for a complete frame while this side waits on the peer.
    public var idleTimeoutMs: UInt64 = 60_000
    /// Unacknowledged batches in flight per direction.
    public var window = 4
    /// Unacknowledged batches this side sends (≤ `window`, which is what it accepts from a peer):
    /// a relay with thousands of connections sends fewer to bound its memory.
    public var sendWindow = 4
    /// A batch is cut once it holds this many bytes of changes.
    public var batchBytes = 64 << 10
    /// …or this many changes.
    public var batchChanges = 512
    /// Changes this side accepts from the peer in one session: the batch that reaches it is still
    /// stored, the next one is dropped and ABORT `over_limit: changes_per_session` follows the
    /// acknowledgements of the batches still being stored (the peer syncs again to continue, past
    /// them; what was acknowledged is not sent twice).
    public var maxChangesPerSession = Int.max
    /// Responder: answers the enrollment desk's questions (a relay), and lets a peer no policy
    /// allows stay connected long enough to send ENROLL (sync.md §3.1).
    public var servesDesk = false
    /// How long after its handshake a stranger may take to send ENROLL before it is refused
    /// (`peer_not_allowed`): the reference initiator sends it with handshake message 3.
    public var strangerWindowMs: UInt64 = 1_500

    public init() {}
}
