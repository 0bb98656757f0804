import BaoxueApp
import BaoxueCore
import BaoxuePostgres
import BaoxueRelay
import BaoxueStore
import BaoxueTesting
import Foundation
import PostgresNIO

/// A township whose relay is a cluster: relay folders enrolled as relays (one key each), a
/// database on a throwaway PostgreSQL, and a client of the test's own to read what is stored.
struct ClusterTown: Sendable {
    let town: Township
    let cluster: PostgresCluster
    let database: String

    init(_ name: String, cluster: PostgresCluster, tablespace: String? = nil) throws {
        town = Township(root: Fixtures.temporaryDirectory(name))
        self.cluster = cluster
        database = name.replacingOccurrences(of: "-", with: "_")
        try cluster.createDatabase(database, tablespace: tablespace)
    }

    var url: String { "postgresql://\(cluster.user)@/\(database)?host=\(cluster.directory)" }

    func relayDirectory(_ i: Int) -> String { town.root + "/relay-\(i)" }

    /// Enrolls relay folder `i` (its own key, a relay's certificate for the township).
    func makeRelay(_ i: Int) throws {
        try town.enroll(relayDirectory(i), name: "东镇中继\(i)", role: .relay, scopes: [try ScopeID(Township.township)])
    }

    /// `count` teachers in `schools` schools, each having written `visits` visits; what each school holds.
    func makeDevices(_ count: Int, schools: Int, visits: Int) throws -> (devices: [Replica], written: [ScopeID: Set<ChangeID>]) {
        let devices = try (0..<count).map { try town.makeDevice($0, schools: schools) }
        var written: [ScopeID: Set<ChangeID>] = [:]
        for (i, d) in devices.enumerated() {
            let scope = Township.school(i % schools)
            written[scope, default: []].formUnion(try Township.writeVisits(d, scope: scope, count: visits, tag: "d\(i)"))
        }
        return (devices, written)
    }

    /// Real `baoxue relay serve --store` processes on relay folders 0..<count (enrolled here),
    /// with `/metrics` and `/health` on a port of their own when `metrics`, and `extra` options.
    func startProcesses(_ count: Int, metrics: Bool = false, extra: [String] = []) throws -> [RelayProcess] {
        for i in 0..<count where !FileManager.default.fileExists(atPath: relayDirectory(i)) { try makeRelay(i) }
        return try (0..<count).map { try RelayProcess(directory: relayDirectory($0), extra: ["--store", url] + extra, metrics: metrics) }
    }

    /// Relay process `i` in this test process, as `baoxue relay serve --store` starts it (syncing
    /// with the relay at `upstream` every `upstreamSeconds`, if given).
    func startRelay(_ i: Int, upstream: String? = nil, upstreamSeconds: Int = 1) async throws -> ClusterRelay {
        var options = RelayCommands.ServeOptions(directory: relayDirectory(i), listen: "127.0.0.1:0")
        options.store = url
        options.upstream = upstream
        options.upstreamIntervalSeconds = upstreamSeconds
        return try await RelayCommands.startCluster(options, store: url)
    }

    /// Runs `body` with a log on the town's database (the test's own pool).
    func withLog<T: Sendable>(_ body: @Sendable (PostgresLog) async throws -> T) async throws -> T {
        let client = try PostgresAddress(url).client(connections: 4)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(PostgresLog(client: client))
        }
    }

    /// Every stored change, decoded, and the rows of `log_witness` (change → relay).
    func stored() async throws -> (changes: [Change], witness: [ChangeID: PublicKey]) {
        try await withLog { log in
            var changes: [Change] = []
            for try await bytes in try await log.client.query("SELECT bytes FROM log_change", logger: log.logger).decode(ByteBuffer.self) {
                changes.append(try Change.decode(Array(buffer: bytes)))
            }
            var witness: [ChangeID: PublicKey] = [:]
            let rows = try await log.client.query("SELECT change, relay FROM log_witness", logger: log.logger)
            for try await (change, relay) in rows.decode((ByteBuffer, ByteBuffer).self) {
                witness[try ChangeID(bytes: Array(buffer: change))] = try PublicKey(bytes: Array(buffer: relay))
            }
            return (changes, witness)
        }
    }
}
