import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import Foundation
import Testing

/// Over its changes-per-session limit a receiver still acknowledges the batches it was storing,
/// then ends the session (sync.md §6): the sender's next session starts past them. Driven by hand
/// with a pipelined store, so the stores complete after the next batches arrive, as on a busy relay.
@Suite struct SessionLimitTests {
    /// Completions of the pipelined store, handed to the driver in order.
    final class Completions: @unchecked Sendable {
        private let lock = NSLock()
        private var done: [(UInt64, Result<Int, SyncError>)] = []
        private let signal = DispatchSemaphore(value: 0)
        func add(_ batch: UInt64, _ result: Result<Int, SyncError>) {
            lock.lock(); done.append((batch, result)); lock.unlock()
            signal.signal()
        }
        /// The next completion, waiting up to 5 s for it.
        func next() -> (UInt64, Result<Int, SyncError>)? {
            guard signal.wait(timeout: .now() + 5) == .success else { return nil }
            lock.lock(); defer { lock.unlock() }
            return done.removeFirst()
        }
    }

    @Test func batchesBeingStoredAreAcknowledgedBeforeTheLimitEndsTheSession() throws {
        let pair = try SyncPair()
        let mine = Fixtures.chain(Fixtures.key(1), count: 400)
        _ = try pair.a.append(mine)
        var limits = SyncLimits()
        limits.batchChanges = 100
        limits.maxChangesPerSession = 150
        var i = try SyncEndpoint.make(role: .initiator, key: pair.keyA, store: pair.a, policy: pair.policyA,
                                      scopes: [try ScopeID("school-001")], limits: limits, now: 0)
        var r = try SyncEndpoint.make(role: .responder, key: pair.keyB, store: pair.b, policy: pair.policyB, limits: limits, now: 0,
                                      pipelined: StreamingAppender(log: pair.b))
        let completions = Completions()
        r.onStored = { completions.add($0, $1) }
        var toResponder = i.start(now: 0), toInitiator = r.start(now: 0)
        for _ in 0..<200 where !(i.isOver && r.isOver) {
            if !toResponder.isEmpty {
                // Everything the sender has written arrives at once: the batches past the limit come
                // while the first ones are still being stored.
                toInitiator += r.receive(toResponder, now: 0)
                toResponder = []
            } else if !toInitiator.isEmpty {
                toResponder += i.receive(toInitiator, now: 0)
                toInitiator = []
            } else if let (batch, result) = completions.next() {
                toInitiator += r.stored(batch: batch, result: result, now: 0)
            } else {
                break
            }
        }
        #expect(i.result?.failure == .peerAborted(code: 19, reason: "over_limit: changes_per_session"), "\(String(describing: i.result))")
        #expect(i.progress.sentChanges == 200, "the two batches taken before the limit were acknowledged")
        #expect(try SyncPair.ids(pair.b).count == 200, "and stored; the third was not")
    }
}
