import BaoxueCore
import BaoxueRecords
import Foundation

extension ChangeLog {
    /// Appends a stream of batches, verifying batch k+1 while batch k is
    /// written and fsynced, so the disk wait overlaps signature checking.
    ///
    /// Each batch is atomic on its own, as with `append(encoded:)`. Batches
    /// are taken in order; at the first invalid one the pipeline stops,
    /// keeps the batches before it, and throws `invalidChange` with the
    /// index inside that batch. `onCommit` runs after each durable commit
    /// (the moment a sync receiver may acknowledge that batch).
    public func appendPipelined(
        _ batches: [[[UInt8]]],
        onCommit: (Int, AppendReport) -> Void = { _, _ in }
    ) throws(StoreError) -> AppendReport {
        let queue = VerifiedBatches(capacity: 2)
        let threads = verifyThreads
        let decodePayloads = merge != nil
        let producer = Thread {
            for batch in batches {
                let item = VerifiedBatches.Batch.verify(batch, threads: threads, decodePayloads: decodePayloads)
                queue.put(item)
                if case .failure = item { break }
                if queue.isCancelled { break }
            }
            queue.finish()
        }
        producer.start()
        defer { queue.cancel() }
        var total = AppendReport()
        var index = 0
        while let next = queue.take() {
            switch next {
            case .failure(let failure):
                throw .invalidChange(index: failure.index, failure.error)
            case .success(let batch):
                let report = try append(batch.changes, decodedPayloads: batch.payloads)
                total.inserted += report.inserted
                total.duplicates += report.duplicates
                total.applied += report.applied
                total.pending += report.pending
                total.quarantined += report.quarantined
                total.equivocations += report.equivocations
                onCommit(index, report)
                index += 1
            }
        }
        return total
    }
}

/// A bounded hand-off between the verifying thread and the writing thread.
final class VerifiedBatches: @unchecked Sendable {
    struct Batch: Sendable {
        let changes: [Change]
        let payloads: [Result<RecordPayload, RecordsError>]?

        /// Verifies every signature and, when the log keeps record views, decodes the payloads too
        /// (work for the verifying thread, so the writing thread only writes).
        static func verify(_ encoded: [[UInt8]], threads: Int, decodePayloads: Bool) -> Result<Batch, BatchVerifier.Failure> {
            Result { () throws(BatchVerifier.Failure) -> Batch in
                let changes = try BatchVerifier.verify(encoded, threads: threads)
                let payloads = decodePayloads
                    ? changes.map { c in Result { () throws(RecordsError) in try RecordPayload.decode(c.payload) } } : nil
                return Batch(changes: changes, payloads: payloads)
            }
        }
    }
    typealias Item = Result<Batch, BatchVerifier.Failure>
    private let condition = NSCondition()
    private var items: [Item] = []
    private var finished = false
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    var isCancelled: Bool { condition.lock(); defer { condition.unlock() }; return cancelled }

    func put(_ item: Item) {
        condition.lock()
        while items.count >= capacity && !cancelled { condition.wait() }
        if !cancelled { items.append(item) }
        condition.broadcast()
        condition.unlock()
    }

    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished { condition.wait() }
        if items.isEmpty { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    func finish() { condition.lock(); finished = true; condition.broadcast(); condition.unlock() }
    func cancel() { condition.lock(); cancelled = true; condition.broadcast(); condition.unlock() }
}
