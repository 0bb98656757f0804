import BaoxueCore
import BaoxueLog
import BaoxuePostgres
import BaoxueTesting
import Logging
import PostgresNIO

/// A `PostgresLog` on a fresh database of a test cluster, its client running for the duration of `body`.
func withLog<T: Sendable>(
    on cluster: PostgresCluster, database: String, _ body: @Sendable (PostgresLog) async throws -> T
) async throws -> T {
    try cluster.createDatabase(database)
    return try await withClient(on: cluster, database: database) { client in
        let log = PostgresLog(client: client)
        try await log.migrate()
        return try await body(log)
    }
}

/// A running client (one relay process's pool) on `database`.
func withClient<T: Sendable>(
    on cluster: PostgresCluster, database: String, _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    var configuration = PostgresClient.Configuration(
        unixSocketPath: cluster.socketPath, username: cluster.user, password: nil, database: database)
    configuration.options.maximumConnections = 8
    let client = PostgresClient(configuration: configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

/// The conformance suite's view of a log on PostgreSQL.
struct PostgresConformingLog: ConformingLog {
    let log: PostgresLog
    func storeRevoked(_ changes: [Change]) async throws { try await log.quarantine(changes, reason: .revoked) }
    func append(_ batch: [Change]) async throws -> [LogRules.Verdict] { try await log.append(batch) }
    func state(of id: ChangeID) async throws -> ChangeState? { try await log.state(of: id) }
    func revoke(_ subject: PublicKey, from at: UInt64) async throws { try await log.revoke(subject, from: at) }
}

/// Every row of an operator's query, decoded as `type`.
func rows<each C: PostgresDecodable & Sendable>(
    _ log: PostgresLog, _ sql: String, as type: (repeat each C).Type
) async throws -> [(repeat each C)] {
    var out: [(repeat each C)] = []
    for try await row in try await log.client.query(PostgresQuery(unsafeSQL: sql), logger: log.logger).decode(type) { out.append(row) }
    return out
}

/// Runs `scenario` on a fresh database `database`, `batchSize` arrivals per append; returns its
/// outcome and what `read` then reads from the log it left.
func run<T: Sendable>(
    _ scenario: LogConformance.Scenario, batchSize: Int, on cluster: PostgresCluster, database: String,
    then read: @Sendable (PostgresLog) async throws -> T
) async throws -> (outcome: LogConformance.Outcome, read: T) {
    try await withLog(on: cluster, database: database) { log in
        var conforming = PostgresConformingLog(log: log)
        let outcome = try await LogConformance.run(scenario, batchSize: batchSize, on: &conforming)
        return (outcome, try await read(log))
    }
}

/// Runs `scenario` on a fresh database and returns its outcome.
func run(
    _ scenario: LogConformance.Scenario, batchSize: Int, on cluster: PostgresCluster, database: String
) async throws -> LogConformance.Outcome {
    try await run(scenario, batchSize: batchSize, on: cluster, database: database) { _ in () }.outcome
}
