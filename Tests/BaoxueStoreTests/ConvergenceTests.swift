import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// 1,000 seeded schedules: 3–8 replicas write field work offline, meet in
/// random pairs, and finally receive every change in random order with
/// duplicates. Every view table must then be byte-identical on every
/// replica, and equal to a rebuild from the log.
@Suite(.tags(.soak), .enabled(if: soakEnabled, "a soak suite: bash tools/run test --fast skips it")) struct ConvergenceTests {
    static let schedules = 1_000
    static let groups = 8

    @Test(arguments: 0..<groups) func randomSchedulesConverge(group: Int) throws {
        let per = Self.schedules / Self.groups
        for seed in UInt64(group * per)..<UInt64((group + 1) * per) {
            try Self.runSchedule(seed: seed)
        }
    }

    static func runSchedule(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let replicas = Int.random(in: 3...8, using: &rng)
        let target = Int.random(in: 150...300, using: &rng)
        let work = FieldWork(children: 6, seed: seed)
        let scope = try ScopeID("示例学区")
        let keys = (0..<replicas).map { DeviceKey(seedByte: UInt8($0 + 1), salt: seed) }
        let logs = try (0..<replicas).map { _ in try ChangeLog() }
        var has = Array(repeating: Set<ChangeID>(), count: replicas)
        var all: [ChangeID: Change] = [:]
        var now: UInt64 = 1_764_000_000_000
        let today = try SimpleDate("2025-11-20")

        func deliver(_ ids: [ChangeID], to d: Int, rng: inout SeededGenerator) throws {
            var list = ids.map { all[$0]! }
            list += list.filter { _ in Int.random(in: 0..<5, using: &rng) == 0 }
            list.shuffle(using: &rng)
            while !list.isEmpty {
                let n = min(list.count, Int.random(in: 1...20, using: &rng))
                _ = try logs[d].append(Array(list.prefix(n)))
                list.removeFirst(n)
            }
            has[d].formUnion(ids)
        }

        while all.count < target {
            now += UInt64.random(in: 0...5_000, using: &rng)
            if Int.random(in: 0..<10, using: &rng) < 7 {
                let d = Int.random(in: 0..<replicas, using: &rng)
                var local = rng
                let change = try logs[d].appendOperations(by: keys[d], scope: scope, now: now) { s throws(StoreError) in
                    var ops = try work.ops(s, rng: &local, today: today)
                    if ops.isEmpty { ops = [.add(kind: .child, record: work.children[0], set: "focus", element: "migrant")] }
                    return ops
                }
                rng = local
                all[change.id] = change
                has[d].insert(change.id)
            } else {
                let a = Int.random(in: 0..<replicas, using: &rng)
                let b = Int.random(in: 0..<replicas, using: &rng)
                guard a != b else { continue }
                try deliver(Array(has[a].subtracting(has[b])).sorted(), to: b, rng: &rng)
                try deliver(Array(has[b].subtracting(has[a])).sorted(), to: a, rng: &rng)
            }
        }
        for d in 0..<replicas {
            try deliver(Array(Set(all.keys).subtracting(has[d])).sorted(), to: d, rng: &rng)
        }
        let reference = try logs[0].viewDigests()
        for d in 0..<replicas {
            let stored = try logs[d].count(nil)
            let pending = try logs[d].count(.pending)
            let held = try logs[d].count(.held)
            let counts = "\(stored) stored, \(pending) pending, \(held) held, \(all.count) authored"
            #expect(try logs[d].count(.applied) == all.count, "seed \(seed): replica \(d) did not apply everything: \(counts)")
            let digests = try logs[d].viewDigests()
            for (table, digest) in reference where digests[table] != digest {
                Issue.record(
                    "seed \(seed): table \(table) differs on replica \(d); reproduce with ConvergenceTests.runSchedule(seed: \(seed))")
            }
        }
        try logs[0].rebuildViews()
        #expect(try logs[0].viewDigests() == reference, "seed \(seed): rebuilt views differ from incremental ones")
    }
}

extension DeviceKey {
    init(seedByte: UInt8, salt: UInt64) {
        var seed = [UInt8](repeating: seedByte, count: 32)
        withUnsafeBytes(of: salt.bigEndian) { for (i, b) in $0.enumerated() { seed[i] = b } }
        try! self.init(seed: seed)
    }
}
