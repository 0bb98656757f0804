import BaoxueCore
import BaoxueStore
import BaoxueSync

/// A store that takes a session's received batches now and says later whether each is durably
/// stored: a PostgreSQL cluster store, where the answer comes back from another machine.
/// (A relay on SQLite uses `StreamingAppender` for the same part.)
///
/// Invariant of every implementation: a completion reports success only after the batch's commit
/// is durable; batches submitted with one chain are stored in order, and once one fails none
/// after it is stored.
public protocol BatchPipeline: Sendable {
    /// Above its backlog: drivers stop reading from their peers for now.
    var isBusy: Bool { get }
    /// Stores `encoded` whole or not at all; the result is how many changes the batch holds
    /// (new and already stored), or why nothing was stored.
    func submit(_ encoded: [[UInt8]], chain: AppendChain, completion: @escaping @Sendable (Result<Int, SyncError>) -> Void)
}

/// Reads the bytes of stored changes for a session whose source loads later (`SyncDataSource.loadsLater`).
public protocol ChangeLoader: Sendable {
    /// The encoded changes with these ids, in this order, or why they could not be read.
    func load(_ ids: [ChangeID], completion: @escaping @Sendable (Result<[[UInt8]], SyncError>) -> Void)
}
