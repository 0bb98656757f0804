import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// `baoxue-bench concurrent`: N changes each setting one child's name with no pred (none sees
/// another), from 40 devices, applied in batches of 1,000 as a sync delivers them, to a
/// file-backed replica. Prints the apply time (signing not counted) and the register writes read.
enum ConcurrentWritesBench {
    static func run(writes n: Int) throws {
        try run(writes: n, oneChild: true)
        try run(writes: n, oneChild: false)
    }

    /// `oneChild` false: the same writes each to a child of its own, the baseline.
    static func run(writes n: Int, oneChild: Bool) throws {
        let scope = try ScopeID("bench/一小")
        func child(_ i: Int) -> RecordID { RecordID.derived(oneChild ? "bench-concurrent-child" : "bench-child-\(i)") }
        let keys = (0..<40).map { _ in DeviceKey.generate() }
        var seq = [UInt64](repeating: 0, count: keys.count)
        let changes = try (0..<n).map { i -> Change in
            let a = i % keys.count
            seq[a] += 1
            let op = RecordOp.set(kind: .child, record: child(i), field: "name", value: .text("名字\(i % 7)"), pred: [])
            let payload = try RecordPayload(ops: [op]).encoded()
            let time = try HLCTimestamp(milliseconds: 1_764_000_000_000 + UInt64(i % 997), counter: 0)
            return try Change.sign(by: keys[a], seq: seq[a], timestamp: time, scope: scope, deps: [], payload: payload)
        }
        let dir = NSTemporaryDirectory() + "baoxue-concurrent-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try ChangeLog(path: dir + "/replica.sqlite")
        let start = DispatchTime.now()
        var read = 0
        for from in stride(from: 0, to: n, by: 1_000) {
            read += try log.append(Array(changes[from..<min(n, from + 1_000)])).registerWritesRead
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let row = try log.child(child(0))
        let what = oneChild ? "concurrent writes to one field" : "the same writes, each to its own child (baseline)"
        print(String(format: what + ": %d applied in %.2f s (%.0f/s); %d register writes read (%.1f per change); "
                     + "conflict shown: %@", n, seconds, Double(n) / seconds, read, Double(read) / Double(n),
                     row?.conflicts.contains("name") == true ? "yes" : "no"))
    }
}
