import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// N concurrent writes to one field (none sees another) cost O(N log N) to apply: the views read
/// a bounded number of register writes per change, not every live write of the field. The shown
/// value and the conflict flag are checked against an oracle computed from the signed ops.
@Suite struct ConcurrentWritesTests {
    let scope = try! ScopeID("东镇/一小")
    let child = RecordID.derived("concurrent-child")

    /// `n` changes by `authors` devices, each setting the child's name with no pred; values from `values`.
    func changes(_ n: Int, authors: Int, values: [String], seed: UInt64) throws -> [(Change, String)] {
        var rng = SeededGenerator(seed: seed)
        let keys = (0..<authors).map { _ in DeviceKey.generate() }
        var seq = [Int](repeating: 0, count: authors)
        return try (0..<n).map { _ in
            let a = Int(rng.next() % UInt64(authors))
            seq[a] += 1
            let value = values[Int(rng.next() % UInt64(values.count))]
            let op = RecordOp.set(kind: .child, record: child, field: "name", value: .text(value), pred: [])
            let payload = try RecordPayload(ops: [op]).encoded()
            let ms = 1_764_000_000_000 + rng.next() % 5_000
            return (try Change.sign(by: keys[a], seq: UInt64(seq[a]), timestamp: try HLCTimestamp(milliseconds: ms, counter: 0),
                                    scope: scope, deps: [], payload: payload), value)
        }
    }

    /// The oracle: the shown write is the greatest (hlc, author, op); a conflict when two values differ.
    func oracle(_ list: [(Change, String)]) -> (shown: String, conflict: Bool) {
        func before(_ a: Change, _ b: Change) -> Bool {
            if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
            if a.author != b.author { return a.author.bytes.lexicographicallyPrecedes(b.author.bytes) }
            return a.id < b.id
        }
        let top = list.max { before($0.0, $1.0) }!
        return (top.1, Set(list.map(\.1)).count > 1)
    }

    @Test(arguments: [(UInt64(41), ["王芳", "王方", "汪芳"]), (UInt64(42), ["王芳"])] as [(UInt64, [String])])
    func concurrentWritesToOneFieldReadBoundedWork(seed: UInt64, values: [String]) throws {
        let n = 3_000
        let list = try changes(n, authors: 40, values: values, seed: seed)
        let log = try ChangeLog()
        var read = 0, largest = 0
        for start in stride(from: 0, to: n, by: 100) {
            let report = try log.append(list[start..<min(n, start + 100)].map(\.0))
            read += report.registerWritesRead
            largest = max(largest, report.registerWritesRead)
        }
        #expect(try log.count(.applied) == n, "seed \(seed)")
        // Reading every live write on every apply is n²/2 = 4.5 million rows; bounded work is a few per change.
        #expect(read <= 40 * n, "seed \(seed): \(read) register writes read for \(n) changes")
        #expect(largest <= 4_000, "seed \(seed): \(largest) in one batch of 100")
        let row = try #require(try log.child(child))
        let want = oracle(list)
        #expect(row.name == want.shown, "seed \(seed)")
        #expect(row.conflicts.contains("name") == want.conflict, "seed \(seed)")
        print("seed \(seed): \(n) concurrent writes, \(values.count) value(s): \(read) register writes read (\(read / n) per change)")
    }
}
