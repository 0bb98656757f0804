import BaoxueCore
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// A relay's quota counts every file of its database, refuses appends (never opening or
/// reading), and a refused batch of a session keeps every later one of it out.
@Suite struct DiskQuotaTests {
    static func batches(_ key: DeviceKey, count: Int, per: Int) -> [[[UInt8]]] {
        let chain = Fixtures.chain(key, count: count, payloadBytes: 400)
        return stride(from: 0, to: count, by: per).map { chain[$0..<min(count, $0 + per)].map(\.encoded) }
    }

    @Test func aLogAtItsQuotaRefusesAppendsReopensReadsAndCountsItsWAL() throws {
        let path = Fixtures.temporaryDirectory() + "/relay.sqlite"
        let quota: Int64 = 1 << 20
        let log = try ChangeLog(path: path, options: .init(merge: nil, maxDatabaseBytes: quota))
        var stored = 0
        var refusal: StoreError?
        for batch in Self.batches(Fixtures.key(1), count: 4_000, per: 100) {
            do { stored += try log.append(encoded: batch).inserted } catch {
                refusal = error
                break
            }
        }
        guard case .overQuota(let used, quota)? = refusal else {
            Issue.record("no quota refusal: \(String(describing: refusal))")
            return
        }
        #expect(used >= quota)
        #expect(stored > 0 && stored < 4_000)
        #expect(try log.count(nil) == stored, "a refused batch left something behind")
        // Main file, WAL and shared memory together: past the quota by at most the last batch (~60 KB).
        #expect(log.diskBytes < quota + 256 << 10, "\(log.diskBytes) bytes on disk under a \(quota)-byte quota")
        #expect(log.isOverQuota)

        // Reopened at exactly its quota (as a relay restarting): it opens, reads, and still refuses writes.
        let reopened = try ChangeLog(path: path, options: .init(merge: nil, maxDatabaseBytes: quota))
        #expect(try reopened.count(nil) == stored)
        #expect(try reopened.integrityCheck() == "ok")
        #expect(throws: StoreError.self) { try reopened.append(encoded: Self.batches(Fixtures.key(2), count: 5, per: 5)[0]) }
        // Without the quota (space found), the same log takes new changes.
        let roomy = try ChangeLog(path: path, options: .init(merge: nil))
        #expect(try roomy.append(encoded: Self.batches(Fixtures.key(2), count: 5, per: 5)[0]).inserted == 5)
    }

    @Test func afterAFailedBatchNothingLaterOfTheSameChainIsStored() async throws {
        let log = try ChangeLog(path: Fixtures.temporaryDirectory() + "/chain.sqlite", options: .init(merge: nil))
        let appender = StreamingAppender(log: log)
        var batches = Self.batches(Fixtures.key(3), count: 30, per: 10)
        batches[0][4][batches[0][4].count - 1] ^= 1  // a broken signature: the first batch fails
        let other = Self.batches(Fixtures.key(4), count: 10, per: 10)[0]
        let chain = AppendChain()
        let results = NSLockedResults()
        for (n, batch) in batches.enumerated() {
            appender.submit(batch, chain: chain) { results.add(n, $0) }
        }
        appender.submit(other, chain: AppendChain()) { results.add(9, $0) }
        for _ in 0..<200 where results.count < 4 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(chain.isBroken)
        #expect(results.error(0).map { if case .invalidChange = $0 { true } else { false } } == true)
        #expect(results.error(1) == .earlierBatchFailed && results.error(2) == .earlierBatchFailed)
        #expect(results.error(9) == nil, "another session's chain is its own")
        #expect(try log.count(nil) == 10)
    }
}

/// Append results by batch number, filled from the appender's thread.
final class NSLockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Result<AppendReport, StoreError>] = [:]
    func add(_ n: Int, _ r: Result<AppendReport, StoreError>) {
        lock.lock()
        results[n] = r
        lock.unlock()
    }
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return results.count
    }
    func error(_ n: Int) -> StoreError? {
        lock.lock()
        defer { lock.unlock() }
        if case .failure(let e)? = results[n] { return e }
        return nil
    }
}
