import BaoxueCore
import BaoxueSync
import BaoxueTesting
import Testing

/// What version 2 of reconciliation promises beyond finding the difference (sync.md §4.4):
/// round trips fixed by the set's size, full replies filled to their budget, a side that holds
/// nothing served without ids, bounds that separate their neighbours, and peers that break the
/// turn-taking refused.
@Suite struct ReconcilerPlanTests {
    func sets(shared: Int, onlyA: Int, onlyB: Int, seed: UInt64) -> ([SyncItem], [SyncItem], [SyncItem], [SyncItem]) {
        var rng = SeededGenerator(seed: seed)
        let all = ReconcilerTests.randomItems(shared + onlyA + onlyB, &rng)
        let a = Array(all[shared..<(shared + onlyA)])
        let b = Array(all[(shared + onlyA)...])
        return ((all[0..<shared] + a).sorted(), (all[0..<shared] + b).sorted(), a, b)
    }

    @Test(arguments: [(10_000, 2), (50_000, 2), (200_000, 3)])
    func tenDifferencesTakeThePlannedRoundTrips(n: Int, rt: Int) throws {
        let (sa, sb, a, b) = sets(shared: n, onlyA: 5, onlyB: 5, seed: UInt64(n))
        let out = try ReconcileExchange.run(initiator: sa, responder: sb)
        #expect(Set(out.initiatorSends) == Set(a) && Set(out.responderSends) == Set(b), "n \(n)")
        #expect(out.roundTrips == rt, "n \(n): \(out.roundTrips) round trips")
    }

    @Test func repliesCutByTheBudgetAreAtLeastNinetyPercentFull() throws {
        let (sa, sb, a, b) = sets(shared: 60_000, onlyA: 1_500, onlyB: 1_500, seed: 5)
        let out = try ReconcileExchange.run(initiator: sa, responder: sb)
        #expect(Set(out.initiatorSends) == Set(a) && Set(out.responderSends) == Set(b))
        #expect(!out.fullMessages.isEmpty)
        for size in out.fullMessages {
            #expect(size >= Reconciler.messageBudget * 9 / 10 && size <= Reconciler.messageBudget, "\(size)")
        }
    }

    @Test func aSideHoldingNothingIsServedWithoutIds() throws {
        var rng = SeededGenerator(seed: 6)
        let many = ReconcilerTests.randomItems(50_000, &rng).sorted()
        for (initiator, responder) in [(many, [SyncItem]()), ([], many)] {
            let out = try ReconcileExchange.run(initiator: initiator, responder: responder)
            // At most the opening's fingerprints (a set this size opens split): less than 32 ids would take.
            #expect(out.bodyBytes < 32 * 16 && out.roundTrips == 1, "\(out.bodyBytes) B, \(out.roundTrips) round trips")
            let unnamed = out.initiatorReceivesUnnamed + out.responderReceivesUnnamed
            #expect(unnamed.map(\.count) == [50_000])
        }
    }

    @Test func boundsSeparateTheirNeighboursAndSurviveEncoding() throws {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let t = UInt64.random(in: 0..<(1 << 62), using: &rng)
            let sameTime = Bool.random(using: &rng)
            var ids = (0..<2).map { _ in (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) } }
            if sameTime {
                let shared = Int.random(in: 0...31, using: &rng)
                ids[1] = Array(ids[0][0..<shared]) + ids[1][shared...]
            }
            let x = SyncItem(timestamp: t, id: try ChangeID(bytes: ids[0]))
            let y = SyncItem(timestamp: sameTime ? t : t + UInt64.random(in: 1...(1 << 40), using: &rng), id: try ChangeID(bytes: ids[1]))
            guard x != y else { continue }
            let (lo, hi) = x < y ? (x, y) : (y, x)
            let after = sameTime ? UInt64.random(in: 0...lo.timestamp, using: &rng) : lo.timestamp - min(lo.timestamp, 1 << 30)
            let bound = RangeBound.between(lo, hi, after: after)
            #expect(!bound.admits(lo) && bound.admits(hi), "seed 7: \(lo) \(hi)")
            let ranges = [
                ReconcileRange(upper: RangeBound(timestamp: after, prefix: []), mode: .skip), ReconcileRange(upper: bound, mode: .skip),
            ]
            let message = SyncMessage.reconcile(scope: 0, ranges: after == 0 ? [ranges[1]] : ranges)
            #expect(try SyncMessage.decode(message.encoded()) == message)
        }
    }

    @Test func anAllAnswerToANonEmptyListIsRefused() throws {
        var rng = SeededGenerator(seed: 8)
        var r = Reconciler(items: ReconcilerTests.randomItems(5, &rng).sorted())
        let opening = r.opening()  // a fingerprint: no list awaits an answer
        #expect(opening.count == 1)
        #expect(throws: SyncError.malformed("'all' answers no empty id list")) {
            try r.process([ReconcileRange(upper: .infinity, mode: .all(count: 3))])
        }
    }

    @Test func newRangesOverlappingDeferredOnesAreRefused() throws {
        let (sa, _, _, _) = sets(shared: 40_000, onlyA: 0, onlyB: 0, seed: 9)
        var responder = Reconciler(items: sa)
        // 2,500 fingerprint ranges that all differ: the answer outgrows the budget and keeps some back.
        let step = sa.count / 2_500
        let ranges = (0..<2_500).map { i in
            ReconcileRange(
                upper: i == 2_499 ? .infinity : RangeBound(timestamp: sa[(i + 1) * step].timestamp, prefix: []),
                mode: .fingerprint([UInt8](repeating: 0xAB, count: 16)))
        }
        let reply = try #require(try responder.process(ranges))
        #expect(reply.last?.mode == .deferred)
        // The peer now "splits" the whole space again, over the ranges held back.
        #expect(throws: SyncError.malformed("ranges overlap ranges not yet answered")) {
            try responder.process([ReconcileRange(upper: .infinity, mode: .fingerprint([UInt8](repeating: 0xCD, count: 16)))])
        }
    }

    @Test func aPeerThatOnlyDefersIsCutOff() throws {
        var rng = SeededGenerator(seed: 10)
        var r = Reconciler(items: ReconcilerTests.randomItems(100, &rng).sorted())
        _ = r.opening()
        #expect(throws: SyncError.tooManyRounds) {
            for _ in 0...Reconciler.maxRounds { _ = try r.process([ReconcileRange(upper: .infinity, mode: .deferred)]) }
        }
    }
}
