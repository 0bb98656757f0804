import BaoxueCore
import BaoxueStore
import Foundation

/// `baoxue verify` speed: full re-verification of a log of N changes (signature and id of every
/// change, read back from SQLite), on one and on two cores.
enum VerifyBench {
    static func run(count: Int) throws {
        let dir = NSTemporaryDirectory() + "baoxue-verifybench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        print("baoxue-bench verify: \(count) changes from 50 authors; \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let log = try ChangeLog(path: dir + "/log.sqlite", options: .init(verifyThreads: 2, merge: nil, durable: false))
        var appended = 0
        let step = 100_000
        while appended < count {
            let n = min(step, count - appended)
            let (encoded, _) = Workload.changes(count: n, authors: 50, firstSeq: UInt64(appended / 50 + 1), keySalt: 0, previous: nil)
            let batches = stride(from: 0, to: encoded.count, by: 1_000).map { Array(encoded[$0..<min(encoded.count, $0 + 1_000)]) }
            _ = try Blocking.run { try await log.appendPipelined(batches) }
            appended += n
        }
        try log.checkpoint()
        for threads in [1, 2] {
            var report = VerificationReport()
            let seconds = try Measure.seconds { report = try log.verifyAll(threads: threads) }
            print(
                "verify \(report.changes) changes, \(threads) core(s): \(String(format: "%.1f", seconds)) s = "
                    + "\(Int(Double(report.changes) / seconds)) changes/s, failed \(report.failed.count)"
            )
        }
        print("peak RSS \(Int(Measure.memory().peak)) MiB")
    }
}
