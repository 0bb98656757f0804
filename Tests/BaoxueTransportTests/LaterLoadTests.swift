import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import Foundation
import Testing

/// A session whose source loads bytes later (a relay on PostgreSQL): it asks its driver with
/// `.load`, sends nothing of those changes until the bytes arrive, and names a failed load.
@Suite struct LaterLoadTests {
    /// Serves an in-memory source's items at once and its bytes only when the test says so.
    final class HeldLoader: SyncDataSource, ChangeLoader, @unchecked Sendable {
        let inner: InMemorySyncSource
        private let lock = NSLock()
        private var asked: [([ChangeID], @Sendable (Result<[[UInt8]], SyncError>) -> Void)] = []
        private(set) var requests = 0

        init(_ changes: [Change]) { inner = InMemorySyncSource(changes) }

        var loadsLater: Bool { true }
        func items(in scope: ScopeID) throws(SyncError) -> ReconciliationSet { try inner.items(in: scope) }
        func encodedChanges(_ ids: [ChangeID]) throws(SyncError) -> [[UInt8]] { throw .store("read synchronously") }
        func load(_ ids: [ChangeID], completion: @escaping @Sendable (Result<[[UInt8]], SyncError>) -> Void) {
            lock.lock()
            asked.append((ids, completion))
            requests += 1
            lock.unlock()
        }
        var waiting: Int {
            lock.lock()
            defer { lock.unlock() }
            return asked.count
        }
        /// Answers the oldest request with the bytes, or with `failure`.
        func answer(failing failure: SyncError? = nil) {
            lock.lock()
            let (ids, completion) = asked.removeFirst()
            lock.unlock()
            completion(failure.map { .failure($0) } ?? Result { () throws(SyncError) in try inner.encodedChanges(ids) })
        }
    }

    /// The loader's answers, as the connection handler would queue them.
    final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<[[UInt8]], SyncError>] = []
        func add(_ r: Result<[[UInt8]], SyncError>) {
            lock.lock()
            results.append(r)
            lock.unlock()
        }
        func take() -> [Result<[[UInt8]], SyncError>] {
            lock.lock()
            defer {
                results = []
                lock.unlock()
            }
            return results
        }
    }

    static let scope = try! ScopeID("丰南区/东镇/学校0")

    /// `count` changes of one author in the scope, chained by deps as a device writes them.
    static func changes(_ count: Int) throws -> [Change] {
        let key = Fixtures.key(0x31)
        var out: [Change] = []
        for seq in 1...UInt64(count) {
            out.append(
                try Change.sign(
                    by: key, seq: seq, timestamp: try HLCTimestamp(milliseconds: 1_700_000_000_000 + seq, counter: 0), scope: scope,
                    deps: out.last.map { [$0.id] } ?? [], payload: Array("visit \(seq)".utf8)))
        }
        return out
    }

    /// Runs the session until both sides are idle, answering loads as `answer` says; returns the
    /// responder's log and the initiator's endpoint.
    static func run(
        _ count: Int, answer: (HeldLoader, inout SyncEndpoint, ChangeLog) -> Bool
    ) throws -> (log: ChangeLog, sender: SyncEndpoint, loader: HeldLoader) {
        let sender = Fixtures.key(0xA1)
        let receiver = Fixtures.key(0xB2)
        let loader = HeldLoader(try changes(count))
        var limits = SyncLimits()
        limits.batchChanges = 64
        let log = try ChangeLog(inMemory: (), options: .init(merge: nil))
        let session = try SyncSession(
            role: .initiator, key: sender, policy: SyncPolicy(grants: [receiver.publicKey: .allScopes]), scopes: [scope],
            source: loader, limits: limits, now: 0)
        var a = SyncEndpoint(session: session, storage: .immediate({ _ in .success(0) }), loader: loader)
        let answers = Answers()
        a.onLoaded = { result in answers.add(result) }
        var b = try SyncEndpoint.make(
            role: .responder, key: receiver, store: log, policy: SyncPolicy(grants: [sender.publicKey: .allScopes]), now: 0)
        var toB = a.start(now: 0)
        var toA = b.start(now: 0)
        for _ in 0..<10_000 where !(a.isOver && b.isOver) {
            if !toB.isEmpty {
                toA += b.receive(toB, now: 1)
                toB = []
            }
            if !toA.isEmpty {
                toB += a.receive(toA, now: 1)
                toA = []
            }
            let ready = answers.take()
            for result in ready { toB += a.loaded(result, now: 1) }
            if toA.isEmpty, toB.isEmpty, ready.isEmpty, loader.waiting > 0 {
                guard answer(loader, &a, log) else { break }
            }
        }
        return (log, a, loader)
    }

    @Test func bytesAreAskedForABatchAtATimeAndNothingIsSentBeforeTheyArrive() throws {
        var receivedBeforeFirstAnswer: Int?
        let (log, sender, loader) = try Self.run(300) { loader, _, log in
            if receivedBeforeFirstAnswer == nil { receivedBeforeFirstAnswer = (try? log.count(nil)) ?? -1 }
            loader.answer()
            return true
        }
        #expect(receivedBeforeFirstAnswer == 0, "changes went out before their bytes were loaded")
        #expect(try log.count(.applied) == 300)
        #expect(loader.requests == 5, "300 changes, 64 a read: 5 loads")
        #expect(sender.result?.success?.sentChanges == 300)
    }

    @Test func aFailedLoadEndsTheSessionWithItsReasonAndSendsNothingMore() throws {
        var answered = 0
        let (log, sender, _) = try Self.run(300) { loader, _, _ in
            answered += 1
            loader.answer(failing: answered == 2 ? .overLimit("database_unavailable") : nil)
            return true
        }
        #expect(sender.result?.failure == .overLimit("database_unavailable"))
        #expect(try log.count(nil) == 64, "the first load's changes only")
    }
}
