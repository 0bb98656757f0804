import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// An equivocation takes the flagged author's changes, and everything written on top of
/// them, out of the views row by row (`ViewRepair`). 100 seeded logs: four people write
/// field work on six children, colleagues building on the equivocator's changes; then the
/// equivocator's second change for one of its seqs arrives. The repaired views must equal
/// a rebuild from the log, table by table, and no rebuild may have been needed.
@Suite struct ViewRepairTests {
    @Test(arguments: 0..<4) func takingAnEquivocatorsWorkOutMatchesARebuild(group: Int) throws {
        for seed in UInt64(group * 25)..<UInt64((group + 1) * 25) { try Self.run(seed: seed) }
    }

    static func run(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let work = FieldWork(children: 6, seed: seed)
        let scope = try ScopeID("示例学区")
        let keys = (0..<4).map { DeviceKey(seedByte: UInt8($0 + 1), salt: seed) }
        let log = try ChangeLog()
        var now: UInt64 = 1_764_000_000_000
        let today = try SimpleDate("2025-11-20")
        var equivocator: [Change] = []
        for _ in 0..<Int.random(in: 40...120, using: &rng) {
            now += UInt64.random(in: 1...5_000, using: &rng)
            let d = Int.random(in: 0..<4, using: &rng)
            var local = rng
            let change = try log.appendOperations(by: keys[d], scope: scope, now: now) { s throws(StoreError) in
                var ops = try work.ops(s, rng: &local, today: today)
                if ops.isEmpty { ops = [.add(kind: .child, record: work.children[0], set: "focus", element: "migrant")] }
                return ops
            }
            rng = local
            if d == 3 { equivocator.append(change) }
        }
        guard let victim = equivocator.randomElement(using: &rng) else { return }
        let before = try log.count(.applied)
        let fork = try Change.sign(
            by: keys[3], seq: victim.seq, timestamp: victim.timestamp, scope: scope, deps: victim.deps,
            payload: try RecordPayload(ops: [.add(kind: .child, record: work.children[1], set: "focus", element: "leftBehind")]).encoded()
        )
        let report = try log.append([fork])
        #expect(report.equivocations.count == 1, "seed \(seed)")
        #expect(!report.viewsRebuilt, "seed \(seed): the views were rebuilt instead of repaired")
        #expect(try log.count(.applied) < before, "seed \(seed): nothing left the views")
        let repaired = try log.viewDigests()
        try log.rebuildViews()
        let rebuilt = try log.viewDigests()
        for (table, digest) in rebuilt where repaired[table] != digest {
            Issue.record("seed \(seed): table \(table) differs from a rebuild; reproduce with ViewRepairTests.run(seed: \(seed))")
        }
    }
}
