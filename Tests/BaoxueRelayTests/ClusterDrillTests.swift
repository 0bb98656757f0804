import BaoxueApp
import BaoxueCore
import BaoxuePostgres
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTesting
import BaoxueTransport
import Foundation
import NIOConcurrencyHelpers
import PostgresNIO
import Testing

/// Issue 25 §3, against real `baoxue relay serve --store` processes: one of two killed with -9 in
/// the middle of 50 devices' syncs, PostgreSQL itself crashed and restarted, the database made
/// read-only. Whatever a device saw acknowledged is in PostgreSQL; devices resume and converge.
@Suite(.serialized, .tags(.soak), .enabled(if: soakEnabled, "a soak suite: bash tools/run test --fast skips it"))
struct ClusterDrillTests {
    /// A device's source that notes the order in which the session reads changes to send: a
    /// session sends them in that order and they are acknowledged in it, so the first `sentChanges`
    /// of them are exactly what the relay acknowledged.
    final class RecordingSource: SyncDataSource, @unchecked Sendable {
        let inner: StoreSyncSource
        private let lock = NSLock()
        private var read: [ChangeID] = []
        init(_ store: any ChangeStore) { inner = StoreSyncSource(store) }
        func items(in scope: ScopeID) throws(SyncError) -> ReconciliationSet { try inner.items(in: scope) }
        func encodedChanges(_ ids: [ChangeID]) throws(SyncError) -> [[UInt8]] {
            lock.lock()
            read += ids
            lock.unlock()
            return try inner.encodedChanges(ids)
        }
        var order: [ChangeID] {
            lock.lock()
            defer { lock.unlock() }
            return read
        }
    }

    /// One device session with a relay process: how it ended and the ids the relay acknowledged.
    static func sync(
        _ device: Replica, port: Int, scope: ScopeID, tripwire: Tripwire? = nil
    ) async -> (result: Result<SyncSummary, SyncError>, acked: [ChangeID]) {
        let (certificates, vouch) = SyncCommands.presentation(for: device)
        let source = RecordingSource(device.log)
        let acked = NIOLockedValueBox(0)
        do throws(SyncError) {
            let session = try SyncSession(
                role: .initiator, key: device.key, policy: SyncPolicy(), scopes: [.admin, scope], source: source,
                now: DispatchTime.now().uptimeNanoseconds / 1_000_000, certificates: certificates)
            let endpoint = SyncEndpoint(session: session, storage: .pipelined(StreamingAppender(log: device.log)), vouch: vouch)
            let summary = try await SyncClient.sync(host: "127.0.0.1", port: port, endpoint: endpoint) { p in
                let more = acked.withLockedValue { old in
                    defer { old = max(old, p.sentChanges) }
                    return max(0, p.sentChanges - old)
                }
                tripwire?.note(more)
            }
            return (.success(summary), Array(source.order.prefix(summary.sentChanges)))
        } catch {
            return (.failure(error), Array(source.order.prefix(acked.withLockedValue { $0 })))
        }
    }

    /// The ids stored in the town's database.
    static func storedIDs(_ town: ClusterTown) async throws -> Set<ChangeID> {
        Set(try await town.stored().changes.map(\.id))
    }

    /// Syncs every device with a live process, round after round, until a round moves nothing.
    static func converge(_ devices: [Replica], ports: [Int], schools: Int) async throws -> Int {
        for round in 1...8 {
            try await Task.sleep(for: .milliseconds(400))
            let moved = await withTaskGroup(of: Int.self) { group in
                for (i, d) in devices.enumerated() {
                    let port = ports[(i + round) % ports.count]
                    group.addTask {
                        guard case .success(let s) = await Self.sync(d, port: port, scope: Township.school(i % schools)).result else {
                            return 1
                        }
                        return s.receivedChanges + s.sentChanges
                    }
                }
                return await group.reduce(0, +)
            }
            if moved == 0 { return round }
        }
        return -1
    }

    @Test func killingOneOfTwoRelayProcessesLosesNothingAcknowledged() async throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["BAOXUE_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("cluster kill drill seed \(seed) (replay: BAOXUE_SEED=\(seed))")
        var rng = SeededGenerator(seed: seed)
        try await PostgresCluster.with { pg in
            let town = try ClusterTown("cluster-kill", cluster: pg)
            let schools = 5
            let devices = try (0..<50).map { try town.town.makeDevice($0, schools: schools) }
            var relays = try town.startProcesses(2)
            var acknowledged = Set<ChangeID>()
            var written: [ScopeID: Set<ChangeID>] = [:]
            var failedSessions = 0
            for kill in 0..<20 {
                for (i, d) in devices.enumerated() {
                    let scope = Township.school(i % schools)
                    written[scope, default: []].formUnion(try Township.writeVisits(d, scope: scope, count: 6, tag: "k\(kill)-\(i)"))
                }
                let picks = devices.indices.map { _ in Int.random(in: 0...1, using: &rng) }
                let victim = Int.random(in: 0...1, using: &rng)
                let delayMs = Int.random(in: 0...120, using: &rng)
                let ports = relays.map(\.port)
                async let outcomes = withTaskGroup(of: (Result<SyncSummary, SyncError>, [ChangeID]).self) { group in
                    for (i, d) in devices.enumerated() {
                        let port = ports[picks[i]]
                        group.addTask { await Self.sync(d, port: port, scope: Township.school(i % schools)) }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                try await Task.sleep(for: .milliseconds(delayMs))
                relays[victim].kill9()
                for (result, acked) in await outcomes {
                    acknowledged.formUnion(acked)
                    if case .failure = result { failedSessions += 1 }
                }
                let stored = try await Self.storedIDs(town)
                let lost = acknowledged.subtracting(stored)
                #expect(lost.isEmpty, "kill \(kill) (seed \(seed)): \(lost.count) acknowledged changes are not in PostgreSQL")
                relays[victim] = try RelayProcess(directory: town.relayDirectory(victim), extra: ["--store", town.url])
            }
            let rounds = try await Self.converge(devices, ports: relays.map(\.port), schools: schools)
            #expect(rounds > 0, "seed \(seed): the devices did not converge in 8 rounds")
            for (i, d) in devices.enumerated() {
                let missing = written[Township.school(i % schools)]!.filter { !((try? d.log.contains($0)) ?? false) }
                #expect(missing.isEmpty, "seed \(seed): device \(i) lacks \(missing.count) of its school's visits")
            }
            let stored = try await Self.storedIDs(town)
            #expect(stored.isSuperset(of: written.values.reduce(Set()) { $0.union($1) }))
            print(
                "cluster kill drill: 20 kills, \(failedSessions) sessions cut, \(acknowledged.count) changes acknowledged"
                    + " before the kills all in PostgreSQL; converged in \(rounds) rounds")
            for r in relays { #expect(r.terminate() == 0) }
        }
    }

    @Test func aDatabaseCrashMidSyncEndsSessionsWithAReasonAndLosesNothing() async throws {
        try await PostgresCluster.with { pg in
            let town = try ClusterTown("cluster-crash", cluster: pg)
            let schools = 4
            let (devices, written) = try town.makeDevices(20, schools: schools, visits: 300)
            let relays = try town.startProcesses(2)
            let ports = relays.map(\.port)
            let total = written.values.reduce(0) { $0 + $1.count }
            // The crash comes once the relays have acknowledged a twentieth of the visits: mid-sync whatever the
            // machine's speed, and on a thread of its own, so a busy cooperative pool cannot put it off (polling the
            // database from the test's tasks did: under the full suite every visit was stored before the poll ran).
            let tripwire = Tripwire(after: total / 20) { try pg.crashAndRestart() }
            let syncs = Task {
                await withTaskGroup(of: (Result<SyncSummary, SyncError>, [ChangeID]).self) { group in
                    for (i, d) in devices.enumerated() {
                        group.addTask {
                            await Self.sync(d, port: ports[i % 2], scope: Township.school(i % schools), tripwire: tripwire)
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
            }
            let crashed = try await tripwire.fired(within: 60)
            var acknowledged = Set<ChangeID>()
            var reasons: [String: Int] = [:]
            for (result, acked) in await syncs.value {
                acknowledged.formUnion(acked)
                switch result {
                case .success(let s): reasons[s.refusedByPeer ?? "ok", default: 0] += 1
                case .failure(let e): reasons[e.abortReason.isEmpty ? "\(e)" : "\(e)", default: 0] += 1
                }
            }
            print(
                "database crash drill: crashed once \(crashed) of \(total) visits were acknowledged;"
                    + " sessions ended \(reasons.sorted { $0.key < $1.key })")
            let named = reasons.keys.allSatisfy { $0 == "ok" || $0.contains("over_limit: database_") || $0.contains("connectionClosed") }
            #expect(named, "a session ended without naming the database: \(reasons)\n\(relays.map { $0.text.suffix(3000) })")
            #expect(reasons.keys.contains { $0 != "ok" }, "the crash came after every session had finished: \(reasons)")
            for r in relays { #expect(r.process.isRunning, "a relay process did not survive its database's crash") }
            #expect(
                await relays[0].waitFor("database reachable again", timeout: 20) || !relays[0].text.contains("cannot read the shared log"))
            let rounds = try await Self.converge(devices, ports: ports, schools: schools)
            #expect(rounds > 0, "the devices did not converge after the database came back")
            let stored = try await Self.storedIDs(town)
            #expect(acknowledged.subtracting(stored).isEmpty, "acknowledged changes lost in the crash")
            #expect(stored.isSuperset(of: written.values.reduce(Set()) { $0.union($1) }))
            for r in relays { #expect(r.terminate() == 0) }
        }
    }

    /// Runs `action` once, on a thread of its own, as soon as `after` changes have been noted.
    final class Tripwire: @unchecked Sendable {
        private let threshold: Int
        private let action: @Sendable () throws -> Void
        private let lock = NSLock()
        private var noted = 0
        private var outcome: Result<Int, any Error>?
        private let done = DispatchSemaphore(value: 0)

        init(after threshold: Int, action: @escaping @Sendable () throws -> Void) {
            self.threshold = threshold
            self.action = action
        }

        func note(_ count: Int) {
            lock.lock()
            noted += count
            let fire = noted >= threshold && noted - count < threshold
            let at = noted
            lock.unlock()
            guard fire else { return }
            Thread.detachNewThread { [self] in
                let result = Result { () throws -> Int in
                    try action()
                    return at
                }
                lock.lock()
                outcome = result
                lock.unlock()
                done.signal()
            }
        }

        /// How many changes had been noted when it fired, once its action has returned.
        func fired(within seconds: Int) async throws -> Int {
            let signalled = await withCheckedContinuation { c in
                DispatchQueue.global().async { c.resume(returning: self.done.wait(timeout: .now() + .seconds(seconds)) == .success) }
            }
            let (outcome, noted) = lock.withLock { (self.outcome, self.noted) }
            guard signalled, let outcome else { throw TripwireError.neverFired(noted: noted) }
            return try outcome.get()
        }
    }

    enum TripwireError: Error { case neverFired(noted: Int) }

    /// `/metrics`' value of `name` once it is `value` (or more, with `orMore`), or the last one read
    /// after 5 s (the figures are read every 2 s); nil when it never appeared.
    static func metric(_ name: String, reaches value: Int, port: Int, orMore: Bool = false) async -> Int? {
        var last: Int?
        for _ in 0..<25 {
            let lines = RelayOperationsTests.httpGet(port: port, path: "/metrics").split(separator: "\n")
            if let line = lines.first(where: { $0.hasPrefix(name + " ") }), let v = Double(line.dropFirst(name.count + 1)) {
                last = Int(v)
                if last == value || (orMore && Int(v) > value) { return last }
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return last
    }

    /// Sets `default_transaction_read_only` for the whole server (every relay connection, at once).
    static func readOnly(_ on: Bool, _ town: ClusterTown) async throws {
        try await town.withLog { log in
            try await log.client.withConnection { c in
                try await c.query("SET default_transaction_read_only = off", logger: log.logger)
                try await c.query(
                    on ? "ALTER SYSTEM SET default_transaction_read_only = on" : "ALTER SYSTEM RESET default_transaction_read_only",
                    logger: log.logger)
                try await c.query("SELECT pg_reload_conf()", logger: log.logger)
            }
        }
        try await Task.sleep(for: .milliseconds(500))
    }

    /// Where the read-only, quota and full-disk drills start: a town on `pg` (in `tablespace` if given), one
    /// relay process, a reader whose 10 visits went through it, and a writer of the same school.
    struct Scene {
        let town: ClusterTown
        let school: ScopeID
        let reader: Replica
        let writer: Replica
        let relay: RelayProcess
        let pushed: [ChangeID]
    }

    static func scene(_ name: String, on pg: PostgresCluster, tablespace: String? = nil, metrics: Bool = false) async throws -> Scene {
        let town = try ClusterTown(name, cluster: pg, tablespace: tablespace)
        let school = Township.school(0)
        let reader = try town.town.makeDevice(0, schools: 1)
        let writer = try town.town.makeDevice(1, schools: 1)
        let relay = try town.startProcesses(1, metrics: metrics)[0]
        let pushed = try Township.writeVisits(reader, scope: school, count: 10, tag: "r")
        _ = try await sync(reader, port: relay.port, scope: school).result.get()
        return Scene(town: town, school: school, reader: reader, writer: writer, relay: relay, pushed: pushed)
    }

    @Test func aReadOnlyDatabaseRefusesWritesServesReadsAndWritesResume() async throws {
        try await PostgresCluster.with { pg in
            let scene = try await Self.scene("cluster-readonly", on: pg)
            let (town, school, writer, relay, pushed) = (scene.town, scene.school, scene.writer, scene.relay, scene.pushed)
            try await Self.readOnly(true, town)
            let written = try Township.writeVisits(writer, scope: school, count: 5, tag: "w")
            let refused = try await Self.sync(writer, port: relay.port, scope: school).result.get()
            #expect(refused.refusedByPeer == "over_limit: read_only")
            #expect(refused.sentChanges == 0)
            for id in pushed { #expect(try writer.log.contains(id), "reads stopped with writes") }
            try await Self.readOnly(false, town)
            let resumed = try await Self.sync(writer, port: relay.port, scope: school).result.get()
            #expect(resumed.refusedByPeer == nil)
            let stored = try await Self.storedIDs(town)
            for id in written { #expect(stored.contains(id), "writes did not resume") }
            #expect(relay.terminate() == 0)
        }
    }

    /// `--max-db-mib` on a cluster holds `pg_database_size` to the quota: a process started under a quota the
    /// database already fills refuses a writer's batch `disk_full`, nothing of it stored, still serves reads and
    /// says so on `/health`; restarted under a larger quota (what the operator's page tells its operator to do),
    /// it stores the writes.
    @Test func aDatabaseQuotaRefusesWritesServesReadsAndWritesResumeUnderALargerOne() async throws {
        try await PostgresCluster.with { pg in
            let scene = try await Self.scene("cluster-quota", on: pg)
            let (town, school, writer, pushed) = (scene.town, scene.school, scene.writer, scene.pushed)
            var relay = scene.relay
            #expect(relay.terminate() == 0)
            let used = try await town.withLog { try await $0.databaseBytes() }
            // Whole MiB, rounded down: the database already takes at least that much.
            let quota = Int(used >> 20)
            relay = try town.startProcesses(1, metrics: true, extra: ["--max-db-mib", "\(quota)"])[0]
            let written = try Township.writeVisits(writer, scope: school, count: 50, tag: "w")
            let refused = try await Self.sync(writer, port: relay.port, scope: school).result.get()
            #expect(refused.refusedByPeer == "over_limit: disk_full", "\(refused)\n\(relay.text.suffix(3_000))")
            #expect(refused.sentChanges == 0)
            for id in pushed { #expect(try writer.log.contains(id), "reads stopped with writes") }
            #expect(try await Self.storedIDs(town).isDisjoint(with: written), "part of a refused batch was stored")
            let health = RelayOperationsTests.httpGet(port: relay.metricsPort, path: "/health")
            #expect(health.hasPrefix("HTTP/1.1 503") && health.contains("\"problems\":[\"disk_full\"]"), "\(health)")
            #expect(relay.terminate() == 0)
            relay = try town.startProcesses(1, extra: ["--max-db-mib", "\(quota + 256)"])[0]
            let resumed = try await Self.sync(writer, port: relay.port, scope: school).result.get()
            #expect(resumed.refusedByPeer == nil, "writes did not resume under the larger quota")
            #expect(try await Self.storedIDs(town).isSuperset(of: written), "writes did not resume")
            print(
                "quota drill: database \(used >> 10) KiB, quota \(quota) MiB: 50 visits refused as disk_full, "
                    + "stored under \(quota + 256) MiB"
            )
            #expect(relay.terminate() == 0)
        }
    }

    @Test func aFullDiskRefusesWritesServesReadsAndWritesResumeOnceSpaceIsFreed() async throws {
        try await PostgresCluster.with { pg in
            let disk = try pg.smallDisk("full_drill", megabytes: 32)
            let scene = try await Self.scene("cluster-full", on: pg, tablespace: disk.tablespace, metrics: true)
            let (town, school, reader, writer, relay, pushed) = (
                scene.town, scene.school, scene.reader, scene.writer, scene.relay, scene.pushed
            )
            let healthy = RelayOperationsTests.httpGet(port: relay.metricsPort, path: "/health")
            #expect(healthy.hasPrefix("HTTP/1.1 200") && healthy.contains("\"status\":\"ok\""), "\(healthy)")
            let filled = try disk.fill()
            #expect(try disk.freeBytes() == 0, "the filler left space on the disk")
            let written = try Township.writeVisits(writer, scope: school, count: 200, tag: "w")
            let refused = try await Self.sync(writer, port: relay.port, scope: school).result.get()
            #expect(refused.refusedByPeer == "over_limit: disk_full", "\(refused)\n\(relay.text.suffix(3_000))")
            #expect(refused.sentChanges == 0)
            for id in pushed { #expect(try writer.log.contains(id), "reads stopped with writes") }
            let storedWhileFull = try await Self.storedIDs(town)
            #expect(storedWhileFull.isDisjoint(with: written), "part of a refused batch was stored")
            let full = RelayOperationsTests.httpGet(port: relay.metricsPort, path: "/health")
            #expect(full.hasPrefix("HTTP/1.1 503") && full.contains("\"problems\":[\"disk_full\"]"), "\(full)")
            let reading = try await Self.sync(reader, port: relay.port, scope: school).result.get()
            #expect(reading.refusedByPeer == nil, "a device with nothing to send was refused on a full disk")
            try disk.free()
            let resumed = try await Self.sync(writer, port: relay.port, scope: school).result.get()
            #expect(resumed.refusedByPeer == nil, "writes did not resume once space was freed")
            #expect(resumed.sentChanges >= written.count, "the device has more to send than its visits")
            let stored = try await Self.storedIDs(town)
            #expect(stored.isSuperset(of: written), "writes did not resume")
            let counted = await Self.metric("baoxue_relay_changes", reaches: stored.count, port: relay.metricsPort)
            #expect(counted == stored.count, "/metrics counts \(counted.map(String.init) ?? "nothing") of \(stored.count) changes")
            // The reader's two batches, the writer's refused one and its stored one: at least two commits.
            let commits = await Self.metric("baoxue_relay_database_commits_total", reaches: 2, port: relay.metricsPort, orMore: true)
            #expect((commits ?? 0) >= 2, "/metrics: \(commits.map(String.init) ?? "no") database commits")
            _ = try await Self.sync(reader, port: relay.port, scope: school).result.get()
            for id in written { #expect(try reader.log.contains(id), "the resumed writes did not reach the other device") }
            print("full-disk drill: \(filled / 1_024) KiB filled; 200 visits refused as disk_full, then stored once freed")
            #expect(relay.terminate() == 0)
        }
    }
}
