import BaoxueCore

/// The changes one side of a session receives: CHANGES batches taken strictly in order, each change
/// checked against what reconciliation said to expect, handed to the driver to store, and
/// acknowledged only once stored; at most `window` batches being stored; past
/// `maxChangesPerSession` the next batch is dropped and the session ends once those being stored are
/// stored (sync.md §5). The mirror of `ChangeOutbox`.
///
/// Invariant: a batch is counted received only when the driver reports it stored.
struct ChangeInbox: Sendable {
    /// What reconciliation said the peer will send.
    var expected = ExpectedChanges()
    /// DONE arrived.
    var receivedDone = false
    private var nextBatch: UInt64 = 0
    /// Batches handed to the driver and not yet reported stored: their change counts.
    private var storing: [UInt64: Int] = [:]
    /// Over `maxChangesPerSession` while batches were still being stored: later batches are dropped
    /// and the session ends with ABORT once those are stored and acknowledged.
    private(set) var overLimitOnceStored = false

    /// What to do with a batch `take` accepted in order.
    enum Taken: Equatable {
        /// Hand it to the driver to store.
        case store
        /// Past the session's limit: never acknowledged, the peer offers it again next time.
        case dropped
        /// The session refuses everything from an earlier refusal on: answer REFUSED.
        case refuse
    }

    /// Nothing is being stored.
    var isIdle: Bool { storing.isEmpty }
    /// DONE arrived and every batch taken is stored.
    var isComplete: Bool { receivedDone && storing.isEmpty && !overLimitOnceStored }
    /// The last batch before the limit is stored: the session ends with ABORT now.
    var endsOverLimit: Bool { overLimitOnceStored && storing.isEmpty }

    /// Takes CHANGES batch `batch`; `received` is how many changes were stored so far; each change's
    /// bytes are added to `bytesReceived` as it is checked.
    mutating func take(
        batch: UInt64, encoded: [[UInt8]], received: Int, refusing: Bool, limits: SyncLimits, bytesReceived: inout Int
    ) throws(SyncError) -> Taken {
        guard batch == nextBatch, !receivedDone else { throw .unexpectedMessage(type: SyncMessage.Kind.changes.rawValue) }
        guard storing.count < limits.window else { throw .windowExceeded }
        // The batch that reaches the limit is still taken (so every session makes progress); the next one ends it —
        // once the batches being stored are stored and acknowledged, so the peer's next session starts past them.
        guard received + storing.values.reduce(0, +) < limits.maxChangesPerSession, !overLimitOnceStored else {
            guard !storing.isEmpty else { throw .overLimit("changes_per_session") }
            overLimitOnceStored = true
            nextBatch += 1
            return .dropped
        }
        if refusing {
            nextBatch += 1
            return .refuse
        }
        for bytes in encoded {
            let change: Change
            // Signatures are verified once, by the store, before anything is stored or acknowledged.
            do { change = try Change.decodeStructure(bytes) } catch { throw .invalidChange(error.code) }
            try expected.take(change)
            bytesReceived += bytes.count
        }
        nextBatch += 1
        storing[batch] = encoded.count
        return .store
    }

    /// The driver finished storing `batch` (stored or not): how many changes it held, nil for a batch
    /// not being stored.
    mutating func finished(_ batch: UInt64) -> Int? { storing.removeValue(forKey: batch) }
}
