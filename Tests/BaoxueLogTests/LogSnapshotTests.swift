import BaoxueCore
import BaoxueLog
import BaoxueTesting
import Testing

/// The rules run over facts read ahead (`LogSnapshot`), their writes committed as one `LogDelta`:
/// the path a storage the rules cannot call synchronously (PostgreSQL) takes. Every scenario must
/// end exactly as it does over memory directly, whatever the batch size, with or without prefetch.
@Suite struct LogSnapshotTests {
    static let batchSizes = [1, 2, 3, 100]

    @Test(arguments: try LogConformance.scenarios())
    func everyScenarioEndsAsOverMemoryDirectly(_ scenario: LogConformance.Scenario) async throws {
        var memory = LogMemory()
        let reference = try LogConformance.run(scenario, on: &memory)
        #expect(reference.states == scenario.expected)
        for batchSize in Self.batchSizes {
            for prefetches in [false, true] {
                var log = SnapshotMemoryLog(prefetches: prefetches)
                let outcome = try await LogConformance.run(scenario, batchSize: batchSize, on: &log)
                #expect(outcome == reference, "\(scenario.name), batches of \(batchSize), prefetch \(prefetches): \(outcome)")
                #expect(log.memory.states.map(\.0) == memory.states.map(\.0), "\(scenario.name): the same order stored")
            }
        }
    }

    /// Shuffled, with repeats, in random batch sizes: the same final states as memory directly.
    /// Seeded; the seed is printed with any failure.
    @Test(arguments: 0..<20)
    func shuffledBatchesEndInTheSameStates(seed: UInt64) async throws {
        var rng = SeededGenerator(seed: seed)
        for scenario in try LogConformance.scenarios() where scenario.isOrderFree {
            let shuffled = scenario.shuffled(using: &rng)
            var log = SnapshotMemoryLog(prefetches: Bool.random(using: &rng))
            let outcome = try await LogConformance.run(shuffled, batchSize: Int.random(in: 1...4, using: &rng), on: &log)
            #expect(outcome.states == scenario.expected, "seed \(seed), \(scenario.name): \(outcome)")
        }
    }

    /// Prefetching what a batch surely reads leaves nothing to miss for a chain arriving in order
    /// (a relay's common case: one round trip of reads per batch, not one per change).
    @Test func aChainInOrderNeedsNoSecondRunAfterPrefetch() async throws {
        let chain = try #require(try LogConformance.scenarios().first { $0.name == "a chain in order" })
        let memory = LogMemory()
        var facts = LogFacts()
        var rounds = 0
        _ = try await LogSnapshot.run(&facts, prefetch: LogFacts.needs(of: chain.arrivals)) { needs, facts in
            rounds += 1
            for need in needs { memory.answer(need, into: &facts) }
        } body: {
            try LogRules.append(chain.arrivals, to: &$0)
        }
        #expect(rounds == 1)
        var cold = LogFacts()
        rounds = 0
        _ = try await LogSnapshot.run(&cold) { needs, facts in
            rounds += 1
            for need in needs { memory.answer(need, into: &facts) }
        } body: {
            try LogRules.append(chain.arrivals, to: &$0)
        }
        #expect(rounds > 1)
    }

    @Test func aReadTheFactsCannotAnswerIsAMissNamingIt() throws {
        let change = try #require(try LogConformance.scenarios().first?.arrivals.first)
        var snapshot = LogSnapshot(facts: LogFacts())
        #expect(throws: LogMiss(.author(change.author))) { try snapshot.author(change.author) }
        #expect(throws: LogMiss(.id(change.id))) { try snapshot.standing(of: change.id) }
        #expect(throws: LogMiss(.anyPending)) { try snapshot.anyPending() }
        #expect(snapshot.delta.isEmpty)
    }

    @Test func aFetcherThatAnswersNothingIsATypedError() async throws {
        let change = try #require(try LogConformance.scenarios().first?.arrivals.first)
        var facts = LogFacts()
        await #expect(throws: LogSnapshotError.fetchLeftUnknown(.author(change.author))) {
            _ = try await LogSnapshot.run(&facts, fetch: { _, _ in }) { snapshot in try LogRules.append([change], to: &snapshot) }
        }
    }

    /// The same facts give the same writes: a rerun after a miss cannot write twice.
    @Test func theSameFactsGiveTheSameDelta() async throws {
        let scenario = try #require(try LogConformance.scenarios().first { $0.name.contains("backwards") })
        var memory = LogMemory()
        var facts = LogFacts()
        for need in LogFacts.needs(of: scenario.arrivals) { memory.answer(need, into: &facts) }
        let source = memory
        func once() async throws -> (result: [LogRules.Verdict], delta: LogDelta) {
            var copy = facts
            return try await LogSnapshot.run(&copy, fetch: { needs, f in for n in needs { source.answer(n, into: &f) } }) {
                try LogRules.append(scenario.arrivals, to: &$0)
            }
        }
        let first = try await once()
        let second = try await once()
        #expect(first.result == second.result)
        #expect(first.delta.inserted.map(\.change.id) == second.delta.inserted.map(\.change.id))
        #expect(first.delta.waits == second.delta.waits)
        try first.delta.apply(to: &memory)
        #expect(memory.states.map(\.1) == Array(repeating: ChangeState.applied, count: scenario.arrivals.count))
    }
}
