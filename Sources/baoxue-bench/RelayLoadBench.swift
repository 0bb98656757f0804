import BaoxueCore
import BaoxuePostgres
import BaoxueRecords
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTesting
import BaoxueTransport
import BaoxueTrust
import Foundation
import NIOConcurrencyHelpers

/// Load against real `baoxue relay serve` processes on loopback (one on SQLite, or several sharing
/// one PostgreSQL with `--store`): N simulated
/// devices (10 teachers per school) each push a day of work and pull their
/// colleagues', all at once; then each syncs a small delta (10 changes) at a
/// random moment within 5 s. Prints changes/s stored, sync latency, and the
/// relay's peak RSS, file descriptors and concurrent sessions.
enum RelayLoadBench {
    struct Device: Sendable {
        let key: DeviceKey
        let log: ChangeLog
        let scope: ScopeID
        /// A sub-scope only this device writes (covered by its school certificate): push-only traffic.
        let own: ScopeID
        let certificate: [UInt8]
    }

    /// Polls the relay process every 100 ms: peak RSS (MiB), peak open fds, peak connections (fds over the idle count).
    final class Sampler: @unchecked Sendable {
        let pid: Int32
        let baseline: Int
        private let box = NIOLockedValueBox((rss: 0.0, fds: 0, active: 0))
        private var running = true
        init(pid: Int32) {
            self.pid = pid
            baseline = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
        }
        var peaks: (rss: Double, fds: Int, active: Int) { box.withLockedValue { $0 } }
        func reset() { box.withLockedValue { $0 = (0, 0, 0) } }
        func start() {
            Thread.detachNewThread { [self] in
                while running {
                    let rss =
                        (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8))?
                        .split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
                        .flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Double($0) } } ?? 0
                    let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
                    // Sockets of device connections: fds above the idle relay's count.
                    let active = max(0, fds - baseline)
                    box.withLockedValue { $0 = (max($0.rss, rss / 1024), max($0.fds, fds), max($0.active, active)) }
                    Thread.sleep(forTimeInterval: 0.1)
                }
            }
        }
        func stop() { running = false }
        /// CPU seconds (user + system) of a process so far, from /proc/PID/stat.
        static func cpuSeconds(_ pid: Int32) -> Double {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return 0 }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 13, let u = Double(fields[11]), let k = Double(fields[12]) else { return 0 }
            return (u + k) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }
    }

    /// Where the relay keeps its log: one SQLite process, or `processes` relay processes on one PostgreSQL.
    enum Store: Sendable, CustomStringConvertible {
        case sqlite
        case postgres(processes: Int)
        var description: String {
            switch self {
            case .sqlite: "SQLite, 1 process"
            case .postgres(let n): "PostgreSQL, \(n) processes"
            }
        }
    }

    static func run(sizes: [Int], perDay: Int, baoxue: String, stores: [Store] = [.sqlite]) async throws {
        print(
            "baoxue-bench relay: real relay process on loopback; \(ProcessInfo.processInfo.activeProcessorCount) cores shared by relay "
                + "and load generator"
        )
        print("phase 1: all devices at once push a day (\(perDay) changes) and pull their 9 colleagues' (changes moved/s);")
        print("  (the phones skip `_admin`: its N certificates would make a first sync O(N) per phone, see README)")
        print("phase 2: all at once push 100 changes each that no one pulls (verified changes stored/s);")
        print("phase 3: 10 new changes each, syncs arriving at random over 30 s (latency of one small-delta sync).")
        print(
            "| store | devices | peak connections | phase 1 | stored/s | small-delta p50 | p99 | max | relay peak RSS | peak fds"
                + " | failed |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        let postgres = stores.contains { if case .postgres = $0 { true } else { false } } ? try PostgresCluster.start() : nil
        defer { try? postgres?.stop() }
        var databases = 0
        for n in sizes {
            for store in stores {
                var url: String?
                if let postgres, case .postgres = store {
                    databases += 1
                    try postgres.createDatabase("load\(databases)")
                    url = "postgresql://\(postgres.user)@/load\(databases)?host=\(postgres.directory)"
                }
                try await one(devices: n, perDay: perDay, baoxue: baoxue, store: store, url: url)
            }
        }
    }

    /// Starts a relay process on `directory` and returns it with its sync port and, when it serves
    /// them, its metrics port.
    static func startRelay(_ baoxue: String, directory: String, extra: [String]) throws -> (Process, Int, Int?) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: baoxue)
        process.arguments =
            [
                "relay", "serve", "--data", directory, "--listen", "127.0.0.1:0", "--lang", "en", "--max-connections", "20000",
                // Every simulated phone connects from 127.0.0.1, so the per-address handshake cap is lifted.
                "--max-handshakes-per-address", "20000",
            ]
            + extra + (ProcessInfo.processInfo.environment["BAOXUE_RELAY_ARGS"].map { $0.split(separator: " ").map(String.init) } ?? [])
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = ""
        while line.range(of: #"listening on port \d+[^\n]*\n"#, options: .regularExpression) == nil {
            let data = out.fileHandleForReading.availableData
            guard !data.isEmpty else { throw SyncError.unreachable("relay did not start") }
            line += String(decoding: data, as: UTF8.self)
        }
        let port = line.range(of: #"listening on port \d+"#, options: .regularExpression).map { line[$0].split(separator: " ").last! }
        let metrics = line.range(of: #"metrics on port \d+"#, options: .regularExpression).map { line[$0].split(separator: " ").last! }
        return (process, Int(port!)!, metrics.flatMap { Int($0) })
    }

    /// Appends `changes` to the shared log at `url` through the trust gate, in batches of 500.
    static func seed(_ changes: [Change], into url: String, authority: PublicKey) async throws {
        let client = try PostgresAddress(url).client(connections: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let log = PostgresLog(client: client)
            try await log.migrate()
            let trust = PostgresTrust(authority: authority)
            for start in stride(from: 0, to: changes.count, by: 500) {
                _ = try await log.append(
                    Array(changes[start..<min(changes.count, start + 500)]), trust: trust, now: Replica.nowMilliseconds())
            }
        }
    }

    static func one(devices n: Int, perDay: Int, baoxue: String, store: Store, url: String?) async throws {
        let root = NSTemporaryDirectory() + "baoxue-load-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let town = Township(root: root)
        let schools = max(1, n / 10)
        let now = Replica.nowMilliseconds()
        // Devices in memory; their certificates are already on the relay (as after a first sync).
        var devices: [Device] = []
        var certificateChanges: [Change] = []
        for i in 0..<n {
            let key = DeviceKey.generate()
            let scope = Township.school(i % schools)
            let cert = try Certificate.issue(
                by: town.authority, subject: key.publicKey, role: .teacher, validFrom: now - 86_400_000,
                validUntil: now + 365 * 86_400_000, name: "教师\(i)", scopes: [scope])
            // No authority pinned on the simulated phones: they trust the relay by key (below) and skip
            // the trust gate, so the generator's cores go to the relay.
            let log = try ChangeLog(inMemory: (), options: .init(merge: nil))
            let admin = try log.appendAuthored(by: key, scope: .admin, payload: AdminPayload.certificate(cert).encoded, now: now)
            certificateChanges.append(admin)
            devices.append(Device(key: key, log: log, scope: scope, own: try ScopeID(scope.value + "/教师\(i)"), certificate: cert.encoded))
        }
        let folders: [String]
        switch store {
        case .sqlite: folders = [town.relayDirectory]
        case .postgres(let k): folders = (0..<k).map { root + "/relay-\($0)" }
        }
        // Every relay process has its own key; the phones trust each by key (below).
        var relayKeys: [PublicKey] = []
        for folder in folders {
            let relay = try town.enroll(folder, name: "东镇中继", role: .relay, scopes: [try ScopeID(Township.township)])
            relayKeys.append(relay.key.publicKey)
            _ = try relay.log.append(certificateChanges)
        }
        // A cluster's shared log holds them too, as after a first sync: else its trust gate would
        // quarantine every change, where the SQLite relay, which holds them, applies them.
        if let url { try await seed(certificateChanges, into: url, authority: town.authority.publicKey) }
        for d in devices { try write(d, count: perDay, tag: "day") }
        for d in devices { try write(d, count: 100, tag: "own", scope: d.own) }

        // The SQLite relay serves its metrics endpoint under load too, as in production.
        // A cluster's processes serve it too: their transaction and conflict counts are read from it.
        let extra = (url.map { ["--store", $0] } ?? []) + ["--metrics", "127.0.0.1:0"]
        let relays = try folders.map { try startRelay(baoxue, directory: $0, extra: extra) }
        defer {
            for (process, _, _) in relays where process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        let ports = relays.map(\.1)
        let samplers = relays.map { Sampler(pid: $0.0.processIdentifier) }
        for sampler in samplers { sampler.start() }
        func relayCPU() -> Double { relays.reduce(0) { $0 + Sampler.cpuSeconds($1.0.processIdentifier) } }

        // Phase 1: everyone at once pushes a day and pulls the colleagues' (the morning's first sync).
        var start = DispatchTime.now().uptimeNanoseconds
        let bulk = await syncAll(devices, ports: ports, relayKeys: relayKeys, spreadMs: 0, own: false)
        let bulkSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let moved = bulk.compactMap { try? $0.get() }.reduce(0) { $0 + $1.summary.sentChanges + $1.summary.receivedChanges }
        let sessionsPeak = samplers.reduce(0) { $0 + $1.peaks.active }

        // Phase 2: everyone at once pushes 100 changes that nobody else pulls: verified ingestion.
        let cpu2 = (relay: relayCPU(), generator: Sampler.cpuSeconds(getpid()))
        start = DispatchTime.now().uptimeNanoseconds
        let push = await syncAll(devices, ports: ports, relayKeys: relayKeys, spreadMs: 0, own: true)
        let pushSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu2End = (relay: relayCPU(), generator: Sampler.cpuSeconds(getpid()))
        let pushed = push.compactMap { try? $0.get() }.reduce(0) { $0 + $1.summary.sentChanges }

        // Phase 3: a small delta each (10 changes, and the colleagues' 90), arriving at random over 30 s.
        for d in devices { try write(d, count: 10, tag: "delta") }
        let small = await syncAll(devices, ports: ports, relayKeys: relayKeys, spreadMs: 30_000, own: false)
        let latencies = small.compactMap { try? $0.get().ms }.sorted()
        let failed = (bulk + push + small).filter { (try? $0.get()) == nil }.count
        func pct(_ p: Double) -> String {
            latencies.isEmpty ? "-" : String(format: "%.0f ms", latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))])
        }
        let peaks = (rss: samplers.reduce(0) { $0 + $1.peaks.rss }, fds: samplers.reduce(0) { $0 + $1.peaks.fds })
        for sampler in samplers { sampler.stop() }
        let transactions = relays.compactMap { $0.2 }.map { Self.databaseCounts(port: $0) }
        for (process, _, _) in relays {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        print(
            "| \(store) | \(n) | \(sessionsPeak) | \(String(format: "%.1f s, %.0f/s", bulkSeconds, Double(moved) / bulkSeconds)) | "
                + "\(String(format: "%.0f", Double(pushed) / pushSeconds)) | \(pct(0.5)) | \(pct(0.99)) | \(pct(1.0)) | "
                + "\(String(format: "%.0f MiB", peaks.rss)) | \(peaks.fds) | \(failed) |"
        )
        for (name, phase) in [("1", bulk), ("2", push), ("3", small)] {
            let r = phase.compactMap { try? $0.get() }.filter { $0.attempts > 1 }.count
            if r > 0 { print("  phase \(name): \(r) syncs served on a retry after server_busy") }
        }
        print(
            String(
                format: "  phase 2: %.1f s; CPU used by the relay %.1f s, by the load generator %.1f s", pushSeconds,
                cpu2End.relay - cpu2.relay, cpu2End.generator - cpu2.generator))
        if case .postgres = store {
            let commits = transactions.reduce(0) { $0 + $1.commits }
            let reruns = transactions.reduce(0) { $0 + $1.reruns }
            print("  PostgreSQL transactions over the run: \(commits) committed, \(reruns) run again after a conflict")
        }
        let retried = (bulk + push + small).compactMap { try? $0.get() }.filter { $0.attempts > 1 }.count
        if retried > 0 { print("  syncs told server_busy at least once, then served on a retry: \(retried)") }
        if failed > 0 {
            let reasons = (bulk + push + small).compactMap { r -> String? in
                guard case .failure(let e) = r else { return nil }
                if case .peerAborted(_, let reason) = e { return "relay: " + reason }
                return e.abortReason
            }
            print("  failures: \(Dictionary(grouping: reasons, by: { $0 }).mapValues(\.count))")
        }
    }

    /// A cluster process's `baoxue_relay_database_commits_total` and `_reruns_total` from its `/metrics`.
    static func databaseCounts(port: Int) -> (commits: Int, reruns: Int) {
        let text = Loopback.get(port: port, path: "/metrics")
        func value(_ name: String) -> Int {
            let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
            return line.flatMap { Double($0.split(separator: " ").last!) }.map { Int($0) } ?? 0
        }
        return (value("baoxue_relay_database_commits_total"), value("baoxue_relay_database_reruns_total"))
    }

    static func write(_ d: Device, count: Int, tag: String, scope: ScopeID? = nil) throws {
        for k in 0..<count {
            let visit = Event(
                child: RecordID.derived("\(d.scope.value)-\(k % 50)"), date: try SimpleDate(year: 2026, month: 11, day: 24),
                body: .visit(
                    Visit(participants: ["教师"], householdFound: true, childSeen: true, spokeTo: "家长", agreed: "\(tag)-\(k)")))
            _ = try d.log.appendAuthored(
                by: d.key, scope: scope ?? d.scope, payload: try RecordPayload(ops: [.event(visit)]).encoded(),
                now: Replica.nowMilliseconds())
        }
    }

    struct Outcome: Sendable {
        let summary: SyncSummary
        let ms: Double
        let attempts: Int
    }

    static func syncAll(
        _ devices: [Device], ports: [Int], relayKeys: [PublicKey], spreadMs: UInt64, own: Bool
    ) async -> [Result<Outcome, SyncError>] {
        await withTaskGroup(of: (Int, Result<Outcome, SyncError>).self) { group in
            for (i, d) in devices.enumerated() {
                // Devices spread over the processes (a load balancer's round robin).
                let (port, relayKey) = (ports[i % ports.count], relayKeys[i % relayKeys.count])
                group.addTask {
                    if spreadMs > 0 { try? await Task.sleep(nanoseconds: UInt64.random(in: 0...spreadMs) * 1_000_000) }
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    // Like the app: a phone told the relay is busy tries again a few seconds later
                    // (latency counts from its first attempt).
                    var attempt = 0
                    while true {
                        attempt += 1
                        do throws(SyncError) {
                            let log = d.log
                            // A simulated device stores what it pulls without re-verifying signatures (the relay
                            // verified them), so the generator's cores go to the relay rather than to 5,000 phones.
                            let session = try SyncSession(
                                role: .initiator, key: d.key, policy: SyncPolicy(grants: [relayKey: .allScopes]),
                                scopes: own ? [d.own] : [d.scope],
                                source: StoreSyncSource(d.log), now: t0 / 1_000_000, certificates: [d.certificate])
                            let endpoint = SyncEndpoint(
                                session: session,
                                sink: { encoded in
                                    do {
                                        let report = try log.append(try encoded.map { try Change.decodeStructure($0) })
                                        return .success(report.inserted + report.duplicates)
                                    } catch {
                                        return .failure(.store("\(error)"))
                                    }
                                })
                            let s = try await SyncClient.sync(host: "127.0.0.1", port: port, endpoint: endpoint)
                            return (
                                i,
                                .success(
                                    Outcome(summary: s, ms: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6, attempts: attempt))
                            )
                        } catch {
                            if case .peerAborted(19, "over_limit: server_busy") = error, attempt < 5 {
                                try? await Task.sleep(nanoseconds: UInt64.random(in: 1_000...3_000) * 1_000_000)
                                continue
                            }
                            return (i, .failure(error))
                        }
                    }
                }
            }
            var out = [Result<Outcome, SyncError>](repeating: .failure(.connectionClosed), count: devices.count)
            for await (i, r) in group { out[i] = r }
            return out
        }
    }
}
