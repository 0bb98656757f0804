import BaoxueCore

/// What a session asks its driver to do: bytes for the peer, a batch to
/// store durably (then call `SyncSession.stored`), or the end.
public enum SyncOutput: Equatable, Sendable {
    case send([UInt8])
    case store(batch: UInt64, encoded: [[UInt8]])
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

    public init() {}

    /// Bytes on the wire that were not the changes themselves.
    public var overheadBytes: Int { bytesSent + bytesReceived - changeBytesSent - changeBytesReceived }
}
