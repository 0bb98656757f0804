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
                    let outcome = try await withLog(on: cluster, database: "s\(n)_\(batchSize)") { log in
                        var conforming = PostgresConformingLog(log: log)
                        return try await LogConformance.run(scenario, batchSize: batchSize, on: &conforming)
                    }
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
                for (n, scenario) in try LogConformance.scenarios().enumerated() where !scenario.name.contains("equivocation") {
                    var arrivals = scenario.arrivals + scenario.arrivals.prefix(2)
                    arrivals.shuffle(using: &rng)
                    let shuffled = LogConformance.Scenario(
                        name: scenario.name, arrivals: arrivals, revoked: scenario.revoked, expected: scenario.expected)
                    let batchSize = Int.random(in: 1...4, using: &rng)
                    let outcome = try await withLog(on: cluster, database: "r\(seed)_\(n)") { log in
                        var conforming = PostgresConformingLog(log: log)
                        return try await LogConformance.run(shuffled, batchSize: batchSize, on: &conforming)
                    }
                    #expect(outcome.states == scenario.expected, "seed \(seed), \(scenario.name): \(outcome)")
                }
            }
        }
    }

    /// A committed append survives the server stopping as a crash would.
    @Test func whatAnAppendReturnedSurvivesACrashOfTheServer() async throws {
        try await PostgresCluster.with { cluster in
            let chain = try #require(try LogConformance.scenarios().first { $0.name == "a chain in order" })
            let verdicts = try await withLog(on: cluster, database: "durable") { log in try await log.append(chain.arrivals) }
            #expect(verdicts == Array(repeating: .stored(.applied), count: chain.arrivals.count))
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
