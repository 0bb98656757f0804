import BaoxueCore
import BaoxueSync
import BaoxueTesting
import Testing

/// Range-based reconciliation finds exactly the symmetric difference, for
/// random sets, equal timestamps and empty sides.
@Suite struct ReconcilerTests {
    static func randomItems(_ n: Int, _ rng: inout SeededGenerator, sameTimestampEvery: Int = 0) -> [SyncItem] {
        (0..<n).map { i in
            let id = try! ChangeID(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
            let ts = sameTimestampEvery > 0 ? UInt64(i / sameTimestampEvery) : UInt64.random(in: 1...(1 << 40), using: &rng)
            return SyncItem(timestamp: ts, id: id)
        }
    }

    func check(shared: Int, onlyA: Int, onlyB: Int, seed: UInt64, sameTimestampEvery: Int = 0) throws {
        var rng = SeededGenerator(seed: seed)
        let all = Self.randomItems(shared + onlyA + onlyB, &rng, sameTimestampEvery: sameTimestampEvery).shuffled(using: &rng)
        let common = all[0..<shared]
        let a = all[shared..<(shared + onlyA)]
        let b = all[(shared + onlyA)...]
        let out = try ReconcileExchange.run(initiator: (common + a).sorted(), responder: (common + b).sorted())
        let ok =
            Set(out.initiatorSends) == Set(a) && Set(out.responderSends) == Set(b)
            && Self.learns(Array(b), named: out.initiatorReceives, unnamed: out.initiatorReceivesUnnamed)
            && Self.learns(Array(a), named: out.responderReceives, unnamed: out.responderReceivesUnnamed)
        #expect(ok, "seed \(seed): sends \(out.initiatorSends.count)/\(a.count) and \(out.responderSends.count)/\(b.count)")
    }

    /// True iff what a side expects is exactly `lacking`: named by short id, or counted in
    /// `all` ranges that hold exactly that many of them (and none twice).
    static func learns(_ lacking: [SyncItem], named: Set<ShortID>, unnamed: [Reconciler.ReceiveRange]) -> Bool {
        var inRanges = [Int](repeating: 0, count: unnamed.count)
        for item in lacking {
            if named.contains(ShortID(item)) { continue }
            let hits = unnamed.indices.filter {
                unnamed[$0].lower <= RangeBound(timestamp: item.timestamp, prefix: item.idBytes)
                    && RangeBound(timestamp: item.timestamp, prefix: item.idBytes) < unnamed[$0].upper
            }
            guard hits.count == 1 else { return false }
            inRanges[hits[0]] += 1
        }
        let namedExactly = named.count + inRanges.reduce(0, +) == lacking.count
        return namedExactly && zip(unnamed, inRanges).allSatisfy { $0.count == UInt64($1) }
    }

    @Test func findsExactlyTheDifferenceForRandomSets() throws {
        for seed: UInt64 in 1...40 {
            var rng = SeededGenerator(seed: seed)
            let shared = Int.random(in: 0...3_000, using: &rng)
            try check(shared: shared, onlyA: Int.random(in: 0...60, using: &rng), onlyB: Int.random(in: 0...60, using: &rng), seed: seed)
        }
    }

    @Test func equalTimestampsAreSeparatedByIdPrefixes() throws {
        try check(shared: 2_000, onlyA: 17, onlyB: 9, seed: 7, sameTimestampEvery: 500)
        try check(shared: 500, onlyA: 3, onlyB: 40, seed: 8, sameTimestampEvery: 1_000_000)
    }

    @Test func emptySidesAndEqualSets() throws {
        try check(shared: 0, onlyA: 0, onlyB: 0, seed: 1)
        try check(shared: 0, onlyA: 100, onlyB: 0, seed: 2)
        try check(shared: 0, onlyA: 0, onlyB: 100, seed: 3)
        var rng = SeededGenerator(seed: 4)
        let same = Self.randomItems(10_000, &rng).sorted()
        let out = try ReconcileExchange.run(initiator: same, responder: same)
        #expect(out.messages == 2)
        #expect(out.roundTrips == 1)
        #expect(out.wireBytes < 80)
    }

    @Test func tenDifferencesInAHundredThousandStayWithinFewRoundTrips() throws {
        var rng = SeededGenerator(seed: 11)
        let all = Self.randomItems(100_010, &rng)
        let out = try ReconcileExchange.run(
            initiator: Array(all[0..<100_005]).sorted(), responder: (all[0..<100_000] + all[100_005...]).sorted())
        #expect(out.initiatorSends.count == 5)
        #expect(out.responderSends.count == 5)
        #expect(out.roundTrips == 2)
        #expect(out.wireBytes < 13_000)
    }
}

/// The limits that keep messages small: a side with thousands of items the
/// other lacks splits instead of listing them all, and a reply stops
/// splitting at its byte budget; the difference is still found exactly.
@Suite struct ReconcilerLimitTests {
    @Test func aLargeOneSidedDifferenceIsFoundWithEveryMessageUnderTheBudget() throws {
        for seed: UInt64 in [3, 4] {
            var rng = SeededGenerator(seed: seed)
            let many = ReconcilerTests.randomItems(20_000, &rng).sorted()
            let out = try ReconcileExchange.run(initiator: many, responder: [])
            #expect(out.initiatorSends.count == 20_000, "seed \(seed)")
            #expect(ReconcilerTests.learns(many, named: out.responderReceives, unnamed: out.responderReceivesUnnamed), "seed \(seed)")
            #expect(out.largestMessage <= Reconciler.messageBudget + 2_048, "seed \(seed): \(out.largestMessage)")
            let back = try ReconcileExchange.run(initiator: [], responder: many)
            #expect(back.responderSends.count == 20_000, "seed \(seed)")
            #expect(ReconcilerTests.learns(many, named: back.initiatorReceives, unnamed: back.initiatorReceivesUnnamed), "seed \(seed)")
        }
    }

    @Test func manyDifferencesTakeMoreRoundsButStayExact() throws {
        var rng = SeededGenerator(seed: 21)
        let all = ReconcilerTests.randomItems(40_000, &rng)
        let a = Array(all[0..<35_000])
        let b = Array(all[5_000...])
        let out = try ReconcileExchange.run(initiator: a.sorted(), responder: b.sorted())
        #expect(Set(out.initiatorSends) == Set(all[0..<5_000]))
        #expect(Set(out.responderSends) == Set(all[35_000...]))
        #expect(out.largestMessage <= Reconciler.messageBudget + 2_048, "\(out.largestMessage)")
        #expect(out.roundTrips < Reconciler.maxRounds / 2)
    }
}
