import BaoxueCore
import BaoxueTesting
import Testing

/// The running id sums a store keeps with each scope's set: after any sequence of merges (new
/// items anywhere, repeats ignored) the set is sorted and unique, and the sum of every range
/// equals the sum added up item by item.
@Suite struct ReconciliationSetTests {
    static func item(_ rng: inout SeededGenerator) -> SyncItem {
        let id = try! ChangeID(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
        return SyncItem(timestamp: UInt64.random(in: 1...1_000, using: &rng) << 16, id: id)
    }

    static func naive(_ items: ArraySlice<SyncItem>) -> IDSum {
        var s = IDSum()
        for i in items { s.add(i) }
        return s
    }

    @Test(arguments: [UInt64(1), 2, 3, 4]) func mergedSetsKeepExactRunningSums(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var set = ReconciliationSet()
        var all: Set<SyncItem> = []
        for _ in 0..<30 {
            var added = (0..<Int.random(in: 0...40, using: &rng)).map { _ in Self.item(&rng) }
            if let old = all.randomElement(using: &rng) { added.append(old) }  // already held: ignored
            set = set.merging(added.sorted())
            all.formUnion(added)
            #expect(set.items == all.sorted(), "seed \(seed)")
            for _ in 0..<20 {
                let a = Int.random(in: 0...set.count, using: &rng)
                let b = Int.random(in: a...set.count, using: &rng)
                #expect(set.sum(a..<b) == Self.naive(set.items[a..<b]), "seed \(seed): \(a)..<\(b)")
            }
        }
        #expect(ReconciliationSet(all.shuffled(using: &rng)) == set, "seed \(seed)")
    }

    @Test func sumsWrapAround256Bits() {
        let top = SyncItem(timestamp: 1, id: try! ChangeID(bytes: [UInt8](repeating: 0xFF, count: 32)))
        let one = SyncItem(timestamp: 2, id: try! ChangeID(bytes: [1] + [UInt8](repeating: 0, count: 31)))
        let set = ReconciliationSet([top, one])
        // (2^256 − 1) + 1 ≡ 0: all 32 bytes zero, count 2; the difference of running sums undoes it.
        #expect(set.sum(0..<2).bytes == [UInt8](repeating: 0, count: 32) && set.sum(0..<2).count == 2)
        #expect(set.sum(1..<2).bytes == [1] + [UInt8](repeating: 0, count: 31))
    }
}
