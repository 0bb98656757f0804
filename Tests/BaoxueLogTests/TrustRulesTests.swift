import BaoxueCore
import BaoxueLog
import BaoxueTesting
import Testing

/// The trust gate and the rules that quarantine and release, over memory: each scenario of the
/// trust conformance suite ends in the states and reasons it names, and the snapshot path (how the
/// rules reach PostgreSQL) ends where memory does.
@Suite struct TrustRulesTests {
    @Test(arguments: try TrustConformance.scenarios())
    func eachScenarioEndsInItsExpectedStates(_ scenario: TrustConformance.Scenario) throws {
        let outcome = try TrustConformance.run(scenario)
        #expect(outcome == scenario.expected, "\(scenario.name): \(outcome)")
    }

    /// A refused change waits on what the gate named, and only that: the clock, or a key.
    @Test func aRefusedChangeWaitsOnWhatTheGateNamed() throws {
        let scenario = try #require(try TrustConformance.scenarios().first { $0.name.hasPrefix("without a certificate") })
        var log = LogMemory()
        var gate = try TrustGate(authority: TrustConformance.authority.publicKey, storage: TrustBook())
        let verdicts = try LogRules.append(scenario.arrivals, to: &log, gate: &gate, now: TrustConformance.now)
        #expect(verdicts == [.stored(.quarantined), .stored(.quarantined)])
        let author = scenario.arrivals[0].author
        #expect(try log.waiting(on: .certificate(author)).count == 2)
        #expect(try log.waiting(on: .clock).isEmpty)
        #expect(try log.waiting(on: .change(scenario.arrivals[0].id)).isEmpty, "quarantined, not pending on its dep")
    }

    /// The same scenarios through `LogSnapshot` (facts read ahead, misses fetched, one delta a batch).
    @Test func theSnapshotPathEndsAsMemoryDoes() async throws {
        for scenario in try TrustConformance.scenarios() {
            var memory = LogMemory()
            var book = TrustBook()
            for batch in scenario.batches {
                var facts = LogFacts()
                let source = memory
                let start = book
                let (learnt, delta) = try await LogSnapshot.run(
                    &facts, prefetch: LogFacts.needs(of: batch.changes) + [.waiters(.clock)],
                    fetch: { needs, facts in for need in needs { source.answer(need, into: &facts) } }
                ) { snapshot in
                    var gate = try TrustGate(authority: TrustConformance.authority.publicKey, storage: start)
                    _ = try LogRules.append(batch.changes, to: &snapshot, gate: &gate, now: batch.now)
                    return gate.storage
                }
                try delta.apply(to: &memory)
                book = learnt
            }
            var outcome: [ChangeID: TrustConformance.Standing] = [:]
            for change in scenario.arrivals {
                guard let standing = try memory.standing(of: change.id) else { continue }
                outcome[change.id] = TrustConformance.Standing(standing.state, standing.reason?.code)
            }
            #expect(outcome == scenario.expected, "\(scenario.name): \(outcome)")
        }
    }

    /// `LogWait` bytes are what the waiting tables hold (trust.md §6), and read back as written.
    @Test func waitsReadBackFromTheirBytes() throws {
        let key = Fixtures.key(7).publicKey
        let id = try ChangeID(bytes: [UInt8](repeating: 3, count: 32))
        #expect(LogWait.certificate(key).bytes == [0x00] + key.bytes)
        #expect(LogWait.clock.bytes == [0x01])
        for wait in [LogWait.change(id), .certificate(key), .clock] { #expect(LogWait(bytes: wait.bytes) == wait) }
        #expect(LogWait(bytes: [0x02]) == nil)
        #expect(LogWait(bytes: [0x01] + key.bytes) == nil)
    }
}
