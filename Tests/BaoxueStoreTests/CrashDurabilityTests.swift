import BaoxueCore
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// Kills a real appending process with SIGKILL at random moments, 50
/// times, and checks after each kill that the log holds whole batches
/// only, every acknowledged batch, and passes `PRAGMA integrity_check`.
@Suite(.tags(.soak), .enabled(if: soakEnabled, "a soak suite: bash tools/run test --fast skips it")) struct CrashDurabilityTests {
    static let seed: UInt64 = 20_261_125
    static let kills = 50
    static let batch = 100

    @Test func killDuringAppendLeavesWholeBatchesOnly() throws {
        let tool = Fixtures.productsDirectory.appendingPathComponent("baoxue-dev")
        try #require(FileManager.default.isExecutableFile(atPath: tool.path), "build first: swift build --build-tests")
        let db = Fixtures.temporaryDirectory("crash") + "/log.sqlite"
        var rng = SeededGenerator(seed: Self.seed)
        var lastAcked = 0
        var killedMidRun = 0
        for round in 0..<Self.kills {
            let process = Process()
            process.executableURL = tool
            process.arguments = ["append-loop", db, String(Self.batch), "42"]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            usleep(UInt32.random(in: 40_000...400_000, using: &rng))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killedMidRun += 1 }
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let acks = text.split(separator: "\n").compactMap { $0.hasPrefix("ACK ") ? Int($0.dropFirst(4)) : nil }
            if let last = acks.last { lastAcked = last }

            let log = try ChangeLog(path: db)
            let context = "round \(round), reproduce with seed \(Self.seed)"
            #expect(try log.integrityCheck() == "ok", "\(context)")
            let total = try log.count(nil)
            #expect(total % Self.batch == 0, "partial batch: \(total) changes; \(context)")
            #expect(total >= lastAcked, "acknowledged \(lastAcked) but only \(total) stored; \(context)")
            #expect(try log.count(.applied) == total, "\(context)")
            let author = try log.entries(after: 0, limit: 1).first?.change.author
            if let author { #expect(try log.appliedSeq(of: author) == UInt64(total), "\(context)") }
        }
        #expect(killedMidRun == Self.kills)
        #expect(lastAcked > 0, "the appender never committed; the test proved nothing")
    }
}
