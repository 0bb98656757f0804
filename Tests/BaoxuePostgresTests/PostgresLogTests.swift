import BaoxueCore
import BaoxueLog
import BaoxuePostgres
import BaoxueTesting
import Testing

/// The log on PostgreSQL passes the same conformance suite as memory and SQLite, on a real server
/// (a throwaway cluster per test; missing PostgreSQL fails the test, it is never skipped).
@Suite(.serialized) struct PostgresLogTests {
    @Test func everyScenarioEndsAsInMemory() async throws {
        try await PostgresCluster.with { cluster in
            for (n, scenario) in try LogConformance.scenarios().enumerated() {
                var memory = LogMemory()
                let reference = try LogConformance.run(scenario, on: &memory)
                for batchSize in [1, 100] {
                    let outcome = try await run(scenario, batchSize: batchSize, on: cluster, database: "s\(n)_\(batchSize)")
                    #expect(outcome == reference, "\(scenario.name), batches of \(batchSize): \(outcome)")
                }
            }
        }
    }

    /// Shuffled arrivals with repeats, in random batch sizes. Seeded; the seed is printed.
    @Test func shuffledBatchesEndInTheScenariosStates() async throws {
        try await PostgresCluster.with { cluster in
            for seed in UInt64(0)..<4 {
                var rng = SeededGenerator(seed: seed)
                for (n, scenario) in try LogConformance.scenarios().enumerated() where scenario.isOrderFree {
                    let shuffled = scenario.shuffled(using: &rng)
                    let batchSize = Int.random(in: 1...4, using: &rng)
                    let outcome = try await run(shuffled, batchSize: batchSize, on: cluster, database: "r\(seed)_\(n)")
                    #expect(outcome.states == scenario.expected, "seed \(seed), \(scenario.name): \(outcome)")
                }
            }
        }
    }

    /// A committed append survives the server stopping as a crash would.
    @Test func whatAnAppendReturnedSurvivesACrashOfTheServer() async throws {
        try await PostgresCluster.with { cluster in
            let chain = try #require(try LogConformance.scenarios().first { $0.name == "a chain in order" })
            let (verdicts, commits) = try await withLog(on: cluster, database: "durable") { log in
                (try await log.append(chain.arrivals), log.stats.commits)
            }
            #expect(verdicts == Array(repeating: .stored(.applied), count: chain.arrivals.count))
            #expect(commits == 2, "the schema's transaction and the append's, each committed once")
            try cluster.crashAndRestart()
            let states = try await withClient(on: cluster, database: "durable") { client in
                let log = PostgresLog(client: client)
                var states: [ChangeState?] = []
                for change in chain.arrivals { states.append(try await log.state(of: change.id)) }
                return states
            }
            #expect(states == Array(repeating: .applied, count: chain.arrivals.count))
        }
    }
}

/// The views docs/postgres.md promises operators, and the figures `/metrics` reports: what they show
/// after the conformance scenarios, checked against those scenarios' known outcomes, and that no view
/// exposes a change's bytes.
@Suite(.serialized) struct PostgresOperatorViewTests {
    @Test func theViewsShowPendingHeldAndQuarantinedAsTheScenariosLeftThem() async throws {
        try await PostgresCluster.with { cluster in
            let scenarios = try LogConformance.scenarios()
            func scenario(_ words: String) throws -> LogConformance.Scenario { try #require(scenarios.first { $0.name.contains(words) }) }
            let gap = try scenario("a gap")
            let (pending, gapFigures) = try await run(gap, batchSize: 100, on: cluster, database: "gap") { log in
                (
                    try await rows(
                        log, "SELECT change_id, seq, missing_deps FROM baoxue_pending ORDER BY seq", as: (String, Int64, Int64).self),
                    try await log.figures()
                )
            }.read
            #expect(gapFigures.pending == 2 && gapFigures.quarantined == 0 && gapFigures.heldAuthors == 0)
            #expect(gapFigures.changes == Set(gap.arrivals.map(\.id)).count)
            #expect(gapFigures.databaseBytes > 0)
            #expect(pending.map(\.0) == [gap.arrivals[1].id.hex, gap.arrivals[2].id.hex])
            #expect(pending.map(\.1) == [3, 4])
            #expect(pending.map(\.2) == [1, 1])

            let fork = try scenario("equivocation")
            let (held, forkFigures) = try await run(fork, batchSize: 1, on: cluster, database: "fork") { log in
                (
                    try await rows(log, "SELECT author, held_from, held_changes FROM baoxue_held_authors", as: (String, Int64, Int64).self),
                    try await log.figures()
                )
            }.read
            #expect(forkFigures.heldAuthors == 1)
            #expect(held.count == 1)
            #expect(held.first?.0 == fork.arrivals[0].author.hex)
            #expect(held.first?.1 == 2)
            #expect(held.first?.2 == 3)

            let revoked = try scenario("revoked")
            let (quarantine, scopes, revokedFigures) = try await run(revoked, batchSize: 100, on: cluster, database: "revoked") { log in
                (
                    try await rows(log, "SELECT change_id, reason FROM baoxue_quarantine", as: (String, String).self),
                    try await rows(
                        log, "SELECT scope, changes, applied, quarantined FROM baoxue_scopes", as: (String, Int64, Int64, Int64).self),
                    try await log.figures()
                )
            }.read
            #expect([revokedFigures.changes, revokedFigures.quarantined, revokedFigures.pending] == [5, 1, 0])
            #expect(quarantine.map(\.0) == revoked.revoked.map(\.id.hex))
            #expect(quarantine.map(\.1) == ["revoked"])
            #expect(scopes.count == 1)
            #expect(scopes.first.map { [$0.1, $0.2, $0.3] } == [5, 4, 1])

            // Metadata only: no view has a bytea column (a change's signed bytes stay in log_change).
            let exposed = try await withLog(on: cluster, database: "columns") { log in
                try await rows(
                    log,
                    "SELECT table_name || '.' || column_name FROM information_schema.columns "
                        + "WHERE table_name LIKE 'baoxue_%' AND data_type = 'bytea'",
                    as: String.self)
            }
            #expect(exposed.isEmpty)
        }
    }
}
