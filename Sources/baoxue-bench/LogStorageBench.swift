import BaoxueCore
import BaoxueLog
import BaoxuePostgres
import BaoxueStore
import BaoxueSync
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
        print(
            "baoxue-bench log-storage: \(count) changes from 100 authors, batches of 100; "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores"
        )
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
        print(
            "PostgreSQL, one client pool:    \(String(format: "%6.2f", one.seconds)) s = \(Int(one.rate)) changes/s"
                + " (\(String(format: "%.2f", one.rate / sqliteRate))× SQLite); stored \(one.stored); \(one.contention)")
        let two = try Blocking.run { try await appendThrough(clients: 2, batches: batches, cluster: cluster, database: "two") }
        print(
            "PostgreSQL, two client pools:   \(String(format: "%6.2f", two.seconds)) s = \(Int(two.rate)) changes/s"
                + " (\(String(format: "%.2f", two.rate / sqliteRate))× SQLite, \(String(format: "%.2f", two.rate / one.rate))× one pool);"
                + " stored \(two.stored); \(two.contention)")
    }

    struct Figure: Sendable {
        let seconds: Double
        let rate: Double
        let stored: Int
        let commits: Int
        let reruns: Int
        var contention: String { "\(commits) transactions, \(reruns) run again after a conflict" }
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
            let logs = pools.map { PostgresLog(client: $0) }
            try await logs[0].migrate()
            let start = DispatchTime.now().uptimeNanoseconds
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (log, share) in zip(logs, shares) {
                    // Streams by author within a pool, each stream's batches in order.
                    var byStream = Array(repeating: [[UInt8]](), count: streams)
                    for bytes in share { byStream[Int(bytes[2]) % streams].append(bytes) }
                    for stream in byStream {
                        group.addTask {
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
            return Figure(
                seconds: seconds, rate: Double(batches.joined().count) / seconds, stored: stored,
                commits: logs.map(\.stats.commits).reduce(0, +), reruns: logs.map(\.stats.reruns).reduce(0, +))
        }
    }

    /// Issue 25 §2's fingerprint figure: a scope of `n` changes in PostgreSQL, a relay process's
    /// copy of its reconciliation set (`PostgresScopeSets`), and what one session costs the relay:
    /// catching up with what committed since (nothing, or the d new changes) and reconciling.
    static func scopeSets(n: Int, d: Int = 10) throws {
        print("\nbaoxue-bench log-storage: a scope of \(n) changes in PostgreSQL, d = \(d)")
        var rng = SeededGenerator(seed: 25)
        let shared = SyncBench.synthetic(n, &rng)
        let onlyDevice = SyncBench.synthetic(d / 2, &rng)
        // Stored since the last session: recent changes, which sort last (as the field's do).
        let latest = shared.map(\.timestamp).max() ?? 0
        let onlyRelay = SyncBench.synthetic(d - d / 2, &rng).enumerated().map {
            SyncItem(timestamp: latest + UInt64($0.offset + 1) << 16, packed: $0.element.packed)
        }
        let oldOnes = SyncBench.synthetic(d, &rng)
        let cluster = try PostgresCluster.start()
        defer { try? cluster.stop() }
        try cluster.createDatabase("scope")
        var configuration = PostgresClient.Configuration(
            unixSocketPath: cluster.socketPath, username: cluster.user, password: nil, database: "scope")
        configuration.options.maximumConnections = 2
        let client = PostgresClient(configuration: configuration)
        try Blocking.run {
            try await withThrowingTaskGroup(of: Void.self) { running in
                running.addTask { await client.run() }
                defer { running.cancelAll() }
                let log = PostgresLog(client: client)
                try await log.migrate()
                for at in stride(from: 0, to: shared.count, by: 50_000) {
                    try await insertSynthetic(Array(shared[at..<min(shared.count, at + 50_000)]), client: client, log: log)
                }
                var sets = PostgresScopeSets()
                var start = DispatchTime.now().uptimeNanoseconds
                try await sets.refresh(from: log)
                print("first read of the scope into memory: \(ms(since: start)) ms (once per process)")
                start = DispatchTime.now().uptimeNanoseconds
                let none = try await sets.refresh(from: log)
                print("catching up, nothing new:            \(ms(since: start)) ms (\(none) rows read)")
                try await insertSynthetic(onlyRelay, client: client, log: log)
                start = DispatchTime.now().uptimeNanoseconds
                let new = try await sets.refresh(from: log)
                print("catching up, \(onlyRelay.count) new (recent):         \(ms(since: start)) ms (\(new) rows read)")
                guard let relaySet = sets.sets.values.first else { throw PostgresLogError.corruptRow("no scope read") }
                let deviceSet = ReconciliationSet(shared + onlyDevice)
                start = DispatchTime.now().uptimeNanoseconds
                let exchange = try ReconcileExchange.run(initiator: deviceSet, responder: relaySet)
                print(
                    "reconciling n = \(relaySet.count), d = \(d), both sides:  \(ms(since: start)) ms, \(exchange.roundTrips) round trips")
                // The worst case: changes dated anywhere in the year (a device offline for months).
                try await insertSynthetic(oldOnes, client: client, log: log)
                start = DispatchTime.now().uptimeNanoseconds
                try await sets.refresh(from: log)
                print("catching up, \(oldOnes.count) new (dated anywhere):  \(ms(since: start)) ms (running sums redone from the first)")
                print("peak RSS \(Int(Measure.memory().peak)) MiB")
            }
        }
    }

    static func ms(since start: UInt64) -> String {
        String(format: "%.2f", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }

    static func insertSynthetic(_ items: [SyncItem], client: PostgresClient, log: PostgresLog) async throws {
        let ids = items.map { ByteBuffer(bytes: $0.packed.bytes) }
        let author = ByteBuffer(bytes: [UInt8](repeating: 7, count: 32))
        try await client.query(
            """
            INSERT INTO log_change (id, author, seq, hlc, scope, state, bytes)
            SELECT id, \(author), ord, hlc, \(SyncBench.scope.value), 0, '\\x00'::bytea
            FROM unnest(\(ids)::bytea[], \(items.map { Int64(bitPattern: $0.timestamp) })::bigint[]) WITH ORDINALITY AS n(id, hlc, ord)
            """, logger: log.logger)
    }
}
