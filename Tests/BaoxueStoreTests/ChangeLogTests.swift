import BaoxueCore
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// The change log's rules, on an in-memory and on a file database.
@Suite struct ChangeLogTests {
    enum Kind: String, CaseIterable { case memory, file }

    func makeLog(_ kind: Kind) throws -> ChangeLog {
        switch kind {
        case .memory: return try ChangeLog()
        case .file: return try ChangeLog(path: Fixtures.temporaryDirectory() + "/log.sqlite")
        }
    }

    @Test(arguments: Kind.allCases) func appendAppliesChainAndTracksHeads(kind: Kind) throws {
        let log = try makeLog(kind)
        let a = Fixtures.chain(Fixtures.key(1), count: 5)
        let report = try log.append(encoded: a.map(\.encoded))
        #expect(report.inserted == 5 && report.applied == 5 && report.pending == 0)
        #expect(try log.heads() == [a[4].id])
        #expect(try log.appliedSeq(of: a[0].author) == 5)
        #expect(try log.count(.applied) == 5)
        #expect(try log.contains(a[2].id))
    }

    @Test(arguments: Kind.allCases) func duplicateIsNoOp(kind: Kind) throws {
        let log = try makeLog(kind)
        let a = Fixtures.chain(Fixtures.key(1), count: 3)
        _ = try log.append(a)
        let again = try log.append(a + [a[1]])
        #expect(again.inserted == 0 && again.duplicates == 4 && again.applied == 0)
        #expect(try log.count(nil) == 3)
    }

    @Test func missingDepsArePendingUntilTheyArrive() throws {
        let log = try ChangeLog()
        let a = Fixtures.chain(Fixtures.key(1), count: 4)
        let b = Fixtures.chain(Fixtures.key(2), count: 2, after: [a[3].id])
        let r1 = try log.append(Array(b) + [a[3], a[2]])
        #expect(r1.applied == 0 && r1.pending == 4)
        #expect(try log.heads().isEmpty)
        let r2 = try log.append([a[0], a[1]])
        #expect(r2.applied == 6)
        #expect(try log.count(.pending) == 0)
        #expect(try log.heads() == [b[1].id])
        #expect(try log.appliedSeq(of: b[0].author) == 2)
    }

    @Test func concurrentAuthorsGiveTwoHeadsThenAMergeGivesOne() throws {
        let log = try ChangeLog()
        let base = Fixtures.chain(Fixtures.key(1), count: 1)
        let x = Fixtures.chain(Fixtures.key(2), count: 1, after: [base[0].id])
        let y = Fixtures.chain(Fixtures.key(3), count: 1, after: [base[0].id])
        _ = try log.append(base + x + y)
        #expect(try log.heads() == [x[0].id, y[0].id].sorted())
        let merge = Fixtures.chain(Fixtures.key(1), count: 1, firstSeq: 2, after: [x[0].id, y[0].id])
        _ = try log.append(merge)
        #expect(try log.heads() == [merge[0].id])
    }

    @Test func equivocationKeepsBothHoldsBothAndUnappliesDescendants() throws {
        let log = try ChangeLog()
        let key = Fixtures.key(1)
        let a = Fixtures.chain(key, count: 3)
        let other = Fixtures.chain(Fixtures.key(2), count: 2, after: [a[2].id])
        _ = try log.append(a + other)
        #expect(try log.count(.applied) == 5)
        let fork = Fixtures.chain(key, count: 1, firstSeq: 3, after: [a[1].id], payloadBytes: 99)
        let report = try log.append(fork)
        #expect(report.equivocations == [Equivocation(author: key.publicKey, seq: 3, first: a[2].id, second: fork[0].id)])
        #expect(try log.count(nil) == 6)
        #expect(try log.count(.held) == 2)
        #expect(try log.count(.pending) == 2)
        #expect(try log.count(.applied) == 2)
        #expect(try log.heads() == [a[1].id])
        #expect(try log.appliedSeq(of: key.publicKey) == 2)
        #expect(try log.appliedSeq(of: Fixtures.key(2).publicKey) == 0)
        #expect(try log.equivocations().count == 1)
        // Later changes of the flagged author are held too.
        let later = Fixtures.chain(key, count: 1, firstSeq: 4, after: [a[2].id])
        _ = try log.append(later)
        #expect(try log.count(.held) == 3)
    }

    @Test func forgedChangeRejectsTheWholeBatch() throws {
        let log = try ChangeLog()
        var encoded = Fixtures.chain(Fixtures.key(1), count: 4).map(\.encoded)
        encoded[2][encoded[2].count - 1] ^= 0x40
        #expect(throws: StoreError.invalidChange(index: 2, .badSignature)) { try log.append(encoded: encoded) }
        #expect(try log.count(nil) == 0)
        encoded[3] = Array(encoded[3].dropLast())
        encoded[2][encoded[2].count - 1] ^= 0x40
        #expect(throws: StoreError.invalidChange(index: 3, .truncated(field: "signature"))) { try log.append(encoded: encoded) }
        #expect(try log.count(nil) == 0)
    }

    @Test func randomArrivalOrderConvergesToTheSameState() throws {
        for seed in UInt64(1)...20 {
            var rng = SeededGenerator(seed: seed)
            let a = Fixtures.chain(Fixtures.key(1), count: 10)
            let b = Fixtures.chain(Fixtures.key(2), count: 10, after: [a[4].id])
            let c = Fixtures.chain(Fixtures.key(3), count: 5, after: [a[9].id, b[9].id])
            let all = a + b + c
            let log = try ChangeLog()
            var shuffled = (all + all.prefix(7)).shuffled(using: &rng)
            while !shuffled.isEmpty {
                let n = min(shuffled.count, Int.random(in: 1...6, using: &rng))
                _ = try log.append(Array(shuffled.prefix(n)))
                shuffled.removeFirst(n)
            }
            #expect(try log.count(.applied) == 25, "seed \(seed)")
            #expect(try log.heads() == [c[4].id], "seed \(seed)")
        }
    }

    @Test func authoredChangesChainAndContinueTheClock() throws {
        let log = try ChangeLog()
        let key = Fixtures.key(5)
        let first = try log.appendAuthored(by: key, scope: try ScopeID("school-001"), payload: [1], now: 1_000)
        let second = try log.appendAuthored(by: key, scope: try ScopeID("school-001"), payload: [2], now: 900)
        #expect(first.seq == 1 && second.seq == 2)
        #expect(second.deps == [first.id])
        #expect(second.timestamp > first.timestamp)
        #expect(try log.heads() == [second.id])
        let entries = try log.entries(after: 0, limit: 10)
        #expect(entries.map(\.change) == [first, second])
        #expect(entries.allSatisfy { $0.state == .applied })
    }
}

/// Regressions found by the randomized convergence tests.
@Suite struct ChangeLogRegressionTests {
    /// Seed 0 of ConvergenceTests: a chain unblocked in one go was processed
    /// as a stack and set the author's applied seq back to a lower value.
    @Test func chainUnblockedAtOnceKeepsTheHighestAppliedSeq() throws {
        let log = try ChangeLog()
        let key = Fixtures.key(1)
        let other = Fixtures.chain(Fixtures.key(2), count: 1)
        // Every link also waits on `other`, so one arrival wakes them all at once.
        var chain: [Change] = []
        for seq in UInt64(1)...12 {
            chain.append(try Change.sign(
                by: key, seq: seq, timestamp: try HLCTimestamp(milliseconds: 1_000 + seq, counter: 0), scope: try ScopeID("s"),
                deps: [other[0].id] + (chain.last.map { [$0.id] } ?? []), payload: []
            ))
        }
        _ = try log.append(chain)
        #expect(try log.count(.pending) == 12)
        _ = try log.append(other)
        #expect(try log.appliedSeq(of: key.publicKey) == 12)
        let next = Fixtures.chain(key, count: 1, firstSeq: 13, after: [chain[11].id])
        #expect(try log.append(next).applied == 1)
    }
}
