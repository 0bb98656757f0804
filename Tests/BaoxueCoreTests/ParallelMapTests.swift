import BaoxueCore
import Foundation
import Testing

/// The one helper that spreads CPU-bound work over cores: results in input order, each index computed once,
/// whatever the number of threads (including more threads than items, and none to spread).
@Suite struct ParallelMapTests {
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [Int: Int] = [:]
        func add(_ i: Int) { lock.withLock { counts[i, default: 0] += 1 } }
        var all: [Int: Int] { lock.withLock { counts } }
    }

    @Test(arguments: [1, 2, 3, 8, 1_000])
    func resultsComeBackInOrderEachComputedOnce(threads: Int) {
        for count in [0, 1, 2, 7, 1_000] {
            let seen = Seen()
            let squares = ParallelMap.map(count: count, threads: threads) { i -> Int in
                seen.add(i)
                return i * i
            }
            #expect(squares == (0..<count).map { $0 * $0 }, "count \(count), threads \(threads)")
            #expect(seen.all == Dictionary(uniqueKeysWithValues: (0..<count).map { ($0, 1) }), "count \(count), threads \(threads)")
        }
    }
}
