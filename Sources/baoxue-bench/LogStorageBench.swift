import BaoxueCore
import BaoxueLog
import BaoxuePostgres
import BaoxueStore
import BaoxueTesting
import Foundation
import PostgresNIO

/// The log's storages side by side in one run (issue 25 §4's first figure): verified appends of
/// the same changes, in batches of 100 as devices send them, committed durably, into
/// 1. SQLite (`ChangeLog`, synchronous=FULL, one process);
/// 2. PostgreSQL through one client pool (one relay process);
/// 3. PostgreSQL through two client pools at once (two relay processes, each author's chain on one).
/// PostgreSQL is a throwaway local server (fsync on). Prints changes/s and the ratios.
enum LogStorageBench {
    static func run(count: Int) throws {
        print("baoxue-bench log-storage: \(count) changes from 100 authors, batches of 100; \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let (encoded, _) = Workload.changes(count: count, authors: 100)
        let batches = stride(from: 0, to: encoded.count, by: 100).map { Array(encoded[$0..<min(encoded.count, $0 + 100)]) }

        let dir = NSTemporaryDirectory() + "baoxue-logbench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try ChangeLog(path: dir + "/log.sqlite", options: .init(verifyThreads: 1, merge: nil, durable: true))
        let sqlite = try Measure.seconds { for batch in batches { _ = try log.append(encoded: batch) } }
        let sqliteRate = Double(encoded.count) / sqlite
        print("SQLite, one process:            \(String(format: "%6.2f", sqlite)) s = \(Int(sqliteRate)) changes/s")

        let cluster = try PostgresCluster.start()
        defer { try? cluster.stop() }
        try cluster.createDatabase("one")
        try cluster.createDatabase("two")
        let one = try Blocking.run { try await appendThrough(clients: 1, batches: batches, cluster: cluster, database: "one") }
        print("PostgreSQL, one client pool:    \(String(format: "%6.2f", one.seconds)) s = \(Int(one.rate)) changes/s"
            + " (\(String(format: "%.2f", one.rate / sqliteRate))× SQLite); stored \(one.stored)")
        let two = try Blocking.run { try await appendThrough(clients: 2, batches: batches, cluster: cluster, database: "two") }
        print("PostgreSQL, two client pools:   \(String(format: "%6.2f", two.seconds)) s = \(Int(two.rate)) changes/s"
            + " (\(String(format: "%.2f", two.rate / sqliteRate))× SQLite, \(String(format: "%.2f", two.rate / one.rate))× one pool);"
            + " stored \(two.stored)")
    }

    struct Figure: Sendable {
        let seconds: Double
        let rate: Double
        let stored: Int
    }

    /// Each client pool gets the chains of half the authors, in order, and appends them batch by
    /// batch with four appends in flight (devices syncing at once).
    static func appendThrough(clients: Int, batches: [[[UInt8]]], cluster: PostgresCluster, database: String) async throws -> Figure {
        let pools = (0..<clients).map { _ in
            var configuration = PostgresClient.Configuration(
                unixSocketPath: cluster.socketPath, username: cluster.user, password: nil, database: database)
            configuration.options.maximumConnections = 4
            return PostgresClient(configuration: configuration)
        }
        // Split by author, keeping each author's order: one pool serves a device for its whole sync.
        var shares = Array(repeating: [[UInt8]](), count: clients)
        for batch in batches {
            for bytes in batch { shares[Int(bytes[1]) % clients].append(bytes) }
        }
        let streams = 4
        return try await withThrowingTaskGroup(of: Void.self) { running in
            for pool in pools { running.addTask { await pool.run() } }
            defer { running.cancelAll() }
            try await PostgresLog(client: pools[0]).migrate()
            let start = DispatchTime.now().uptimeNanoseconds
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (pool, share) in zip(pools, shares) {
                    // Streams by author within a pool, each stream's batches in order.
                    var byStream = Array(repeating: [[UInt8]](), count: streams)
                    for bytes in share { byStream[Int(bytes[2]) % streams].append(bytes) }
                    for stream in byStream {
                        group.addTask {
                            let log = PostgresLog(client: pool)
                            for at in stride(from: 0, to: stream.count, by: 100) {
                                let batch = try stream[at..<min(stream.count, at + 100)].map { try Change.decode(Array($0)) }
                                _ = try await log.append(batch)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let stored = try await PostgresLog(client: pools[0]).count()
            return Figure(seconds: seconds, rate: Double(batches.joined().count) / seconds, stored: stored)
        }
    }
}
