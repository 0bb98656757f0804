import BaoxueCore
import BaoxueStore
import Foundation
import GRDB

/// The log's writer alone: pre-verified changes appended in batches of 1,000 into a fresh log,
/// `rounds` times, with the writer's CPU split into user and kernel time. The part of a verified
/// append no second verifying core can share (issue 25 §4), measured where a profiler can see it.
/// `BENCH_DROP=index,index` drops those indexes of the fresh log first: what each one costs the writer.
enum WriterBench {
    static func run(count: Int, rounds: Int) throws {
        let dir = NSTemporaryDirectory() + "baoxue-writerbench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        print("baoxue-bench writer: \(count) pre-verified changes from 50 authors, batches of 1,000, \(rounds) rounds")
        let (encoded, _) = Workload.changes(count: count, authors: 50)
        let parsed = encoded.map { try! Change.decode($0) }
        var user = 0.0
        var system = 0.0
        var wall = 0.0
        var written = 0.0
        for round in 0..<rounds {
            let log = try ChangeLog(path: dir + "/writer-\(round).sqlite", options: .init(merge: nil))
            if let drop = ProcessInfo.processInfo.environment["BENCH_DROP"] {
                let q = try DatabaseQueue(path: dir + "/writer-\(round).sqlite")
                try q.write { db in for i in drop.split(separator: ",") { try db.execute(sql: "DROP INDEX \(i)") } }
                try q.close()
            }
            let before = Measure.cpu()
            let ioBefore = Measure.bytesWritten()
            wall += Measure.seconds {
                var i = 0
                while i < parsed.count {
                    _ = try! log.append(Array(parsed[i..<min(i + 1000, parsed.count)]))
                    i += 1000
                }
            }
            let after = Measure.cpu()
            user += after.user - before.user
            system += after.system - before.system
            written += Double(Measure.bytesWritten() - ioBefore)
        }
        let n = Double(count * rounds)
        print(
            String(
                format: "writer: %.0f changes/s; CPU per change %.1f µs (user %.1f, kernel %.1f); %.1f KB written per change",
                n / wall, (user + system) / n * 1e6, user / n * 1e6, system / n * 1e6, written / n / 1024))
    }
}
