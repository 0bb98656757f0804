import BaoxueCore
import BaoxueLog
import BaoxueRecords
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

    /// Payloads decoded ahead (`TrustGate.recordPayload(of:)`, as a cluster does once per group) give the
    /// same verdicts and states as the gate decoding them itself; only record payloads are decoded ahead.
    @Test func payloadsDecodedAheadDecideAsTheGateDoes() throws {
        for scenario in try TrustConformance.scenarios() {
            var decoded: [ChangeID: Result<RecordPayload, RecordsError>] = [:]
            for change in scenario.arrivals { decoded[change.id] = TrustGate<TrustBook>.recordPayload(of: change) }
            #expect(scenario.arrivals.filter { $0.scope == .admin }.allSatisfy { decoded[$0.id] == nil })
            var plain = (log: LogMemory(), gate: try TrustGate(authority: TrustConformance.authority.publicKey, storage: TrustBook()))
            var ahead = plain
            for batch in scenario.batches {
                let a = try LogRules.append(batch.changes, to: &plain.log, gate: &plain.gate, now: batch.now)
                let b = try LogRules.append(batch.changes, to: &ahead.log, gate: &ahead.gate, now: batch.now, payloads: decoded)
                #expect(a == b, "\(scenario.name)")
            }
            #expect(plain.log.states.map(\.1) == ahead.log.states.map(\.1), "\(scenario.name)")
        }
        let visit = try #require(try TrustConformance.scenarios().flatMap(\.arrivals).first { $0.scope != .admin })
        #expect(try TrustGate<TrustBook>.recordPayload(of: visit)?.get() == RecordPayload.decode(visit.payload))
        let garbled = try Change.sign(
            by: Fixtures.key(9), seq: 1, timestamp: visit.timestamp, scope: visit.scope, deps: [], payload: [0, 0x52, 2, 0xFF])
        #expect(throws: RecordsError.self) { try TrustGate<TrustBook>.recordPayload(of: garbled)?.get() }
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
