import BaoxueCore
import BaoxueRecords
import Synchronization

extension ChangeLog {
    /// Appends a stream of batches through a `StreamingAppender` — the one verify-while-committing
    /// pipeline, the one a relay's connections use — so batch k+1 is verified while batch k is
    /// written and fsynced; at most `window` batches are in flight.
    ///
    /// Each batch is atomic on its own, as with `append(encoded:)`. Batches are committed in order;
    /// at the first invalid one the pipeline stops, keeps the batches before it (those after it are
    /// refused unstored), and throws `invalidChange` with the index inside that batch. `onCommit`
    /// runs after each durable commit, in order (the moment a sync receiver may acknowledge it).
    public func appendPipelined(
        _ batches: [[[UInt8]]], window: Int = 3,
        onCommit: (Int, AppendReport) -> Void = { _, _ in }
    ) async throws(StoreError) -> AppendReport {
        let appender = StreamingAppender(log: self)
        let chain = AppendChain()
        var inFlight: [(index: Int, outcome: BatchOutcome)] = []
        var total = AppendReport()
        func settle(_ next: (index: Int, outcome: BatchOutcome)) async throws(StoreError) {
            let report = try await next.outcome.value().get()
            total.inserted += report.inserted
            total.duplicates += report.duplicates
            total.applied += report.applied
            total.pending += report.pending
            total.quarantined += report.quarantined
            total.equivocations += report.equivocations
            onCommit(next.index, report)
        }
        for (index, batch) in batches.enumerated() {
            if inFlight.count >= max(1, window) { try await settle(inFlight.removeFirst()) }
            let outcome = BatchOutcome()
            appender.submit(batch, chain: chain) { outcome.complete($0) }
            inFlight.append((index, outcome))
        }
        while !inFlight.isEmpty { try await settle(inFlight.removeFirst()) }
        return total
    }
}

/// One submitted batch's result, awaited by the task that submitted it. It may complete before
/// anyone waits (then it is kept) or after (then the waiter is resumed), exactly once.
final class BatchOutcome: Sendable {
    private enum State {
        case waiting
        case awaited(CheckedContinuation<Result<AppendReport, StoreError>, Never>)
        case done(Result<AppendReport, StoreError>)
    }

    private let state = Mutex(State.waiting)

    func complete(_ result: Result<AppendReport, StoreError>) {
        let waiter = state.withLock { s -> CheckedContinuation<Result<AppendReport, StoreError>, Never>? in
            defer { s = .done(result) }
            if case .awaited(let c) = s { return c }
            return nil
        }
        waiter?.resume(returning: result)
    }

    func value() async -> Result<AppendReport, StoreError> {
        await withCheckedContinuation { c in
            let ready = state.withLock { s -> Result<AppendReport, StoreError>? in
                if case .done(let r) = s { return r }
                s = .awaited(c)
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }
}

/// A batch whose signatures were checked (and, when the log keeps record views, whose payloads were
/// decoded) on the verifying queue, so the writer only writes.
struct VerifiedBatch: Sendable {
    let changes: [Change]
    let payloads: [Result<RecordPayload, RecordsError>]?

    static func verify(_ encoded: [[UInt8]], threads: Int, decodePayloads: Bool) -> Result<VerifiedBatch, BatchVerifier.Failure> {
        Result { () throws(BatchVerifier.Failure) -> VerifiedBatch in
            let changes = try BatchVerifier.verify(encoded, threads: threads)
            let payloads =
                decodePayloads
                ? changes.map { c in Result { () throws(RecordsError) in try RecordPayload.decode(c.payload) } } : nil
            return VerifiedBatch(changes: changes, payloads: payloads)
        }
    }
}
