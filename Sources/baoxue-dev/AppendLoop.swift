import BaoxueCore
import BaoxueStore
import Foundation

/// Appends batches forever and prints `ACK <total>` after each commit
/// returns. The crash test kills this process at random moments and then
/// checks that the log holds whole batches only, and every acknowledged one.
enum AppendLoop {
    static func run(database: String, batchSize: Int, seed: UInt64) throws {
        let log = try ChangeLog(path: database)
        var seedBytes = [UInt8](repeating: 0, count: 32)
        withUnsafeBytes(of: seed.bigEndian) { for (i, b) in $0.enumerated() { seedBytes[i] = b } }
        let key = try DeviceKey(seed: seedBytes)
        let scope = try ScopeID("crash-test")
        var seq = try log.appliedSeq(of: key.publicKey)
        var previous = try log.heads()
        var clock = HybridLogicalClock(last: try log.latestTimestamp())
        while true {
            var batch: [[UInt8]] = []
            for _ in 0..<batchSize {
                seq += 1
                let change = try Change.sign(
                    by: key, seq: seq, timestamp: try clock.tick(now: Replica.nowMilliseconds()),
                    scope: scope, deps: previous, payload: Array(repeating: UInt8(truncatingIfNeeded: seq), count: 64)
                )
                previous = [change.id]
                batch.append(change.encoded)
            }
            _ = try log.append(encoded: batch)
            FileHandle.standardOutput.write(Data("ACK \(seq)\n".utf8))
        }
    }
}
