import BaoxueApp
import BaoxueCore
import BaoxuePostgres
import BaoxueRelay
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTesting
import BaoxueTransport
import Foundation
import PostgresNIO
import Testing

/// Issue 25 §2: two relay processes on one PostgreSQL serve one township; any serves any device, a
/// change is stored and witnessed once even when both receive it at once, an equivocating pair
/// split between them is still caught.
@Suite(.serialized) struct ClusterRelayTests {
    /// Syncs every device once (device i with relay `pick(i)`), all at once; the summaries in order.
    static func round(
        _ devices: [Replica], relays: [ClusterRelay], schools: Int, pick: @escaping @Sendable (Int) -> Int
    ) async -> [Result<SyncSummary, SyncError>] {
        await withTaskGroup(of: (Int, Result<SyncSummary, SyncError>).self) { group in
            for (i, device) in devices.enumerated() {
                let port = relays[pick(i)].port
                group.addTask { (i, await DeviceSync.run(device, port: port, scopes: [Township.school(i % schools)])) }
            }
            var out = [Result<SyncSummary, SyncError>](repeating: .failure(.connectionClosed), count: devices.count)
            for await (i, r) in group { out[i] = r }
            return out
        }
    }

    @Test func anyProcessServesAnyDeviceAndEachChangeIsStoredAndWitnessedOnce() async throws {
        try await PostgresCluster.with { pg in
            let town = try ClusterTown("cluster-once", cluster: pg)
            try town.makeRelay(0)
            try town.makeRelay(1)
            let schools = 2
            let (devices, written) = try town.makeDevices(8, schools: schools, visits: 25)
            let relays = [try await town.startRelay(0), try await town.startRelay(1)]
            // Device 0 also syncs with the other process at the same moment: both receive its changes at once.
            async let twice = DeviceSync.run(devices[0], port: relays[1].port, scopes: [Township.school(0)])
            let first = await Self.round(devices, relays: relays, schools: schools) { $0 % 2 }
            _ = await twice
            for r in first {
                if case .failure(let e) = r { Issue.record("first round: \(e)") }
            }
            // Then through the other process, until nothing moves (each process catches up every 250 ms).
            var rounds = 1
            for n in 1...6 {
                try await Task.sleep(for: .milliseconds(400))
                let results = await Self.round(devices, relays: relays, schools: schools) { ($0 + n) % 2 }
                rounds += 1
                if results.allSatisfy({ (try? $0.get().receivedChanges) == 0 }) { break }
            }
            for (i, d) in devices.enumerated() {
                for id in written[Township.school(i % schools)]! { #expect(try d.log.contains(id), "device \(i) lacks \(id.short)") }
            }
            let (changes, witness) = try await town.stored()
            let relayKeys = Set(
                try (0..<2).map { try Replica.open(at: town.relayDirectory($0), witness: false, views: false).key.publicKey })
            let receipts = changes.filter(\.isWitnessReceipt)
            let covered = try receipts.flatMap { try WitnessReceipt.decode($0.payload).ids }
            let all = written.values.reduce(Set<ChangeID>()) { $0.union($1) }
            #expect(Set(changes.map(\.id)).isSuperset(of: all))
            #expect(covered.count == Set(covered).count, "a change was witnessed twice")
            #expect(Set(covered).isSuperset(of: all), "a change was stored without its receipt")
            for id in all { #expect(witness[id].map(relayKeys.contains) == true) }
            #expect(Set(receipts.map(\.author)) == relayKeys, "both processes stored changes first")
            print("cluster: 8 devices, 2 processes, \(all.count) visits converged in \(rounds) rounds; \(receipts.count) receipts")
            for r in relays { await r.shutdown() }
            try await Self.checkOperatorViews(town, devices: devices, sessions: 8 * rounds + 1, witnessed: covered.count)
        }
    }

    /// The operator's views (docs/postgres.md): a session row per session (written as it ends), one
    /// device row per device, a receipt row per witnessed change — and no column holds a change's bytes.
    static func checkOperatorViews(_ town: ClusterTown, devices: [Replica], sessions: Int, witnessed: Int) async throws {
        try await town.withLog { log in
            func count(_ sql: String) async throws -> Int {
                for try await n in try await log.client.query(PostgresQuery(unsafeSQL: sql), logger: log.logger).decode(Int.self) {
                    return n
                }
                return -1
            }
            var recorded = 0
            for _ in 0..<50 {
                recorded = try await count("SELECT count(*) FROM baoxue_sessions")
                if recorded >= sessions { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(recorded == sessions)
            // Every session ended ok, or (on a loaded machine) with a database limit named: nothing unnamed.
            let ok = try await count("SELECT count(*) FROM baoxue_sessions WHERE outcome = 'ok'")
            let named = try await count("SELECT count(*) FROM baoxue_sessions WHERE outcome LIKE 'over_limit: database_%'")
            #expect(ok + named == sessions && ok > sessions / 2, "\(ok) ok and \(named) over a database limit of \(sessions)")
            #expect(try await count("SELECT count(*) FROM baoxue_devices") == devices.count)
            let fingerprints = devices.map { $0.key.publicKey.bytes.map { String(format: "%02x", $0) }.joined() }
            let listed = try await count(
                "SELECT count(*) FROM baoxue_devices WHERE device IN (\(fingerprints.map { "'\($0)'" }.joined(separator: ",")))")
            #expect(listed == devices.count)
            #expect(try await count("SELECT count(*) FROM baoxue_receipts") == witnessed)
            // The processes pin the authority (trust gate): honest, certified devices' changes all apply.
            #expect(try await count("SELECT count(*) FROM baoxue_quarantine") == 0, "an honest change was quarantined")
            #expect(try await count("SELECT count(*) FROM log_certificate") >= devices.count, "the devices' certificates were learnt")
            let byteColumns = try await count(
                """
                SELECT count(*) FROM information_schema.columns
                WHERE table_name LIKE 'baoxue\\_%' AND data_type = 'bytea'
                """)
            #expect(byteColumns == 0, "an operator view shows raw bytes")
            #expect(try await count("SELECT count(*) FROM information_schema.views WHERE table_name LIKE 'baoxue\\_%'") == 7)
        }
    }

    @Test func anEquivocatingPairSplitBetweenTheProcessesIsCaught() async throws {
        try await PostgresCluster.with { pg in
            let town = try ClusterTown("cluster-equivocation", cluster: pg)
            try town.makeRelay(0)
            try town.makeRelay(1)
            let device = try town.town.makeDevice(0, schools: 1)
            let school = Township.school(0)
            let relays = [try await town.startRelay(0), try await town.startRelay(1)]
            _ = try await DeviceSync.run(device, port: relays[0].port, scopes: [school]).get()
            // Two changes with one seq, each in a copy of the device's log, sent to one process each at once.
            let base = try device.log.entries(after: 0, limit: 10_000).map(\.change)
            let seq = base.filter { $0.author == device.key.publicKey }.map(\.seq).max()! + 1
            let now = Replica.nowMilliseconds()
            let twins = try ["甲", "乙"].map { tag in
                try Change.sign(
                    by: device.key, seq: seq, timestamp: try HLCTimestamp(milliseconds: now, counter: 0), scope: school, deps: [],
                    payload: Array("visit \(tag)".utf8))
            }
            let (certificates, vouch) = SyncCommands.presentation(for: device)
            let results = try await withThrowingTaskGroup(of: SyncSummary.self) { group in
                for (twin, relay) in zip(twins, relays) {
                    let copy = try ChangeLog(inMemory: (), options: .init(merge: nil))
                    _ = try copy.append(base + [twin])
                    let endpoint = try SyncEndpoint.make(
                        role: .initiator, key: device.key, store: copy, policy: SyncPolicy(), scopes: [.admin, school],
                        now: DispatchTime.now().uptimeNanoseconds / 1_000_000, certificates: certificates, vouch: vouch)
                    let port = relay.port
                    group.addTask { try await SyncClient.sync(host: "127.0.0.1", port: port, endpoint: endpoint) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Each process takes its twin (the one that had not caught up also takes the device's earlier changes).
            #expect(results.count == 2 && results.allSatisfy { $0.sentChanges >= 1 })
            let states = try await town.withLog { log in try await (log.state(of: twins[0].id), log.state(of: twins[1].id)) }
            #expect(states.0 == .held && states.1 == .held, "\(String(describing: states))")
            for r in relays { await r.shutdown() }
        }
    }
}
