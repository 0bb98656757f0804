import BaoxueCore
import Dispatch
import Foundation

/// The one verify-while-committing pipeline: appends batches that arrive one at a time (from sync
/// peers, or `ChangeLog.appendPipelined`'s stream), verifying batch k+1 on one queue while batch k
/// is written and fsynced on another.
///
/// Invariant: batches are verified and committed in submission order, each
/// whole or not at all; a completion runs only after its batch's durable
/// commit (or its failure), so a peer may be acknowledged from it.
public final class StreamingAppender: @unchecked Sendable {
    public typealias Completion = @Sendable (Result<AppendReport, StoreError>) -> Void
    public let log: ChangeLog
    private let verifying = DispatchQueue(label: "baoxue.append.verify")
    private let writing = DispatchQueue(label: "baoxue.append.write")
    /// Verified batches waiting for the writer, in submission order (guarded by `lock`).
    private var ready: [(Result<VerifiedBatch, StoreError>, AppendChain?, Completion)] = []
    private let lock = NSLock()
    /// Encoded bytes submitted and not yet stored or refused (guarded by `lock`).
    private var inFlight = 0

    /// Above this many bytes waiting to be stored, drivers should stop reading from their peers
    /// (a relay with thousands of sessions would otherwise queue batches without bound).
    public static let busyAbove = 32 << 20

    /// True while more than `busyAbove` bytes wait to be verified and stored.
    public var isBusy: Bool {
        lock.lock()
        defer { lock.unlock() }
        return inFlight > Self.busyAbove
    }

    /// Whether the log commits durably is the caller's concern: a sync driver refuses to acknowledge
    /// from a log that doesn't (`SyncEndpoint`); a local import may go without.
    public init(log: ChangeLog) { self.log = log }

    /// Queues a batch. Batches submitted with one `chain` (one sync session's) are stored in order,
    /// and once one of them fails none after it is stored (`earlierBatchFailed`): a peer told that
    /// batch k was refused must not find batch k+1 stored, waiting for k's changes.
    public func submit(_ encoded: [[UInt8]], chain: AppendChain? = nil, completion original: @escaping Completion) {
        let log = self.log
        let writing = self.writing
        let size = encoded.reduce(0) { $0 + $1.count }
        lock.lock()
        inFlight += size
        lock.unlock()
        let completion: Completion = { [self] result in
            lock.lock()
            inFlight -= size
            lock.unlock()
            original(result)
        }
        verifying.async(
            execute: DispatchWorkItem {
                let verified = Self.verify(encoded, log)
                self.lock.lock()
                self.ready.append((verified, chain, completion))
                self.lock.unlock()
                writing.async(execute: DispatchWorkItem { self.drain() })
            })
    }

    private static func verify(_ encoded: [[UInt8]], _ log: ChangeLog) -> Result<VerifiedBatch, StoreError> {
        VerifiedBatch.verify(encoded, threads: log.verifyThreads, decodePayloads: log.merge != nil)
            .mapError { .invalidChange(index: $0.index, $0.error) }
    }

    /// Group commit: every batch verified by now goes into one transaction (one fsync for
    /// many devices' batches on a busy relay); each batch is still stored whole or not at all,
    /// and each completion runs only after that commit.
    private func drain() {
        lock.lock()
        let group = ready
        ready = []
        lock.unlock()
        guard !group.isEmpty else { return }
        var good: [VerifiedBatch] = []
        var goodCompletions: [(AppendChain?, Completion)] = []
        for (verified, chain, completion) in group {
            if chain?.isBroken == true {
                completion(.failure(.earlierBatchFailed))
                continue
            }
            switch verified {
            case .failure(let e):
                chain?.breakChain()
                completion(.failure(e))
            case .success(let batch):
                good.append(batch)
                goodCompletions.append((chain, completion))
            }
        }
        guard !good.isEmpty else { return }
        do {
            let reports = try log.appendGroup(good.map { ($0.changes, $0.payloads) })
            for (report, (_, completion)) in zip(reports, goodCompletions) { completion(.success(report)) }
        } catch {
            for (chain, completion) in goodCompletions {
                chain?.breakChain()
                completion(.failure(error))
            }
        }
    }
}

/// The batches of one sync session in a `StreamingAppender`: once one fails, the later ones are
/// refused unstored. Why: batch k+1 stored without batch k would wait for k's changes, and a relay
/// would then report the device as withholding them.
public final class AppendChain: @unchecked Sendable {
    private let lock = NSLock()
    private var broken = false

    public init() {}

    /// True once a batch of the chain failed.
    public var isBroken: Bool {
        lock.lock()
        defer { lock.unlock() }
        return broken
    }

    /// Marks the chain failed: nothing submitted with it afterwards is stored.
    public func breakChain() {
        lock.lock()
        broken = true
        lock.unlock()
    }
}
