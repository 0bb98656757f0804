import BaoxueCore
import BaoxueLog
import BaoxueStore
import BaoxueTesting
import Testing

/// The same acceptance scenarios over every storage of the log: in memory and SQLite (the
/// tables a device and a relay append to). Same arrivals, same final states, and the states each
/// scenario expects.
@Suite struct LogConformanceTests {
    @Test(arguments: try LogConformance.scenarios())
    func sqliteEndsEachScenarioAsMemoryDoes(_ scenario: LogConformance.Scenario) throws {
        var memory = LogMemory()
        let reference = try LogConformance.run(scenario, on: &memory)
        let sqlite = try SQLLogStorage.inMemory { storage in try LogConformance.run(scenario, on: &storage) }
        #expect(sqlite == reference, "\(scenario.name)")
        #expect(sqlite.states == scenario.expected, "\(scenario.name): \(sqlite)")
    }

    /// Idempotence and order: the arrivals of every scenario without an equivocation, shuffled and
    /// with some repeated, end in the scenario's states on both storages. Seeded; the seed is printed.
    @Test(arguments: 0..<20)
    func shuffledReplaysEndInTheSameStates(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for scenario in try LogConformance.scenarios() where scenario.isOrderFree {
            let shuffled = scenario.shuffled(using: &rng)
            var memory = LogMemory()
            let reference = try LogConformance.run(shuffled, on: &memory)
            let sqlite = try SQLLogStorage.inMemory { storage in try LogConformance.run(shuffled, on: &storage) }
            #expect(reference.states == scenario.expected, "seed \(seed), \(scenario.name): \(reference)")
            #expect(sqlite.states == reference.states, "seed \(seed), \(scenario.name)")
        }
    }

    /// `anyPending` asks SQLite once per transaction, then learns from the storage's own writes: a change
    /// set pending after a "no" (as `LogRules.release` does) is seen.
    @Test func anyPendingSeesPendingWritesAfterAnsweringNo() throws {
        let key = Fixtures.key(44)
        let scope = try ScopeID("示例一小")
        let change = try Change.sign(
            by: key, seq: 1, timestamp: try HLCTimestamp(milliseconds: 1_764_000_001_000, counter: 0), scope: scope, deps: [],
            payload: [1])
        let answers = try SQLLogStorage.inMemory { storage -> [Bool] in
            var answers = [try storage.anyPending()]
            let position = try storage.insert(change, state: .quarantined)
            answers.append(try storage.anyPending())
            try storage.setState(.pending, at: position)
            answers.append(try storage.anyPending())
            return answers
        }
        #expect(answers == [false, false, true])
    }
}
