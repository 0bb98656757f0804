import BaoxueCore
import Dispatch

/// Appends batches that arrive one at a time (from a sync peer), verifying
/// batch k+1 while batch k is written and fsynced — the streaming form of
/// `ChangeLog.appendPipelined`.
///
/// Invariant: batches are verified and committed in submission order, each
/// whole or not at all; a completion runs only after its batch's durable
/// commit (or its failure), so a peer may be acknowledged from it.
public final class StreamingAppender: Sendable {
    public typealias Completion = @Sendable (Result<AppendReport, StoreError>) -> Void
    public let log: ChangeLog
    private let verifying = DispatchQueue(label: "baoxue.append.verify")
    private let writing = DispatchQueue(label: "baoxue.append.write")

    public init(log: ChangeLog) { self.log = log }

    public func submit(_ encoded: [[UInt8]], completion: @escaping Completion) {
        let log = self.log, writing = self.writing
        guard log.isDurable else {
            writing.async(execute: DispatchWorkItem { completion(.failure(.notDurable)) })
            return
        }
        verifying.async(execute: DispatchWorkItem {
            let verified = Self.verify(encoded, log)
            writing.async(execute: DispatchWorkItem { Self.write(verified, log, completion) })
        })
    }

    private static func verify(_ encoded: [[UInt8]], _ log: ChangeLog) -> Result<VerifiedBatches.Batch, StoreError> {
        VerifiedBatches.Batch.verify(encoded, threads: log.verifyThreads, decodePayloads: log.merge != nil)
            .mapError { .invalidChange(index: $0.index, $0.error) }
    }

    private static func write(_ verified: Result<VerifiedBatches.Batch, StoreError>, _ log: ChangeLog, _ completion: Completion) {
        switch verified {
        case .failure(let e):
            completion(.failure(e))
        case .success(let batch):
            do { completion(.success(try log.append(batch.changes, decodedPayloads: batch.payloads))) } catch { completion(.failure(error)) }
        }
    }
}
