import BaoxueCore
import BaoxueLog
import BaoxueTesting
import Testing

/// The log's acceptance rules, in memory (`LogMemory`): the same scenarios every storage must pass.
@Suite struct LogRulesTests {
    @Test(arguments: try LogConformance.scenarios())
    func eachScenarioEndsInItsExpectedStates(_ scenario: LogConformance.Scenario) throws {
        var storage = LogMemory()
        let outcome = try LogConformance.run(scenario, on: &storage)
        #expect(outcome.states == scenario.expected, "\(scenario.name): \(outcome)")
    }

    @Test func anArrivalIsNewADuplicateOrAnEquivocation() throws {
        let key = Fixtures.key(7)
        let scope = try ScopeID("示例一小")
        func sign(_ seq: UInt64, _ payload: UInt8) throws -> Change {
            try Change.sign(
                by: key, seq: seq, timestamp: try HLCTimestamp(milliseconds: 1_764_000_000_000 + seq, counter: 0), scope: scope, deps: [],
                payload: [payload])
        }
        var storage = LogMemory()
        let first = try sign(1, 1)
        #expect(try LogRules.arrival(first, author: storage.author(key.publicKey), in: &storage) == .new)
        _ = try storage.insert(first, state: .applied)
        #expect(try storage.author(key.publicKey).storedSeq == 1)
        #expect(try LogRules.arrival(first, author: storage.author(key.publicKey), in: &storage) == .duplicate)
        let other = try sign(1, 2)
        #expect(try LogRules.arrival(other, author: storage.author(key.publicKey), in: &storage) == .equivocation(first: first.id))
        #expect(try LogRules.arrival(try sign(2, 1), author: storage.author(key.publicKey), in: &storage) == .new)
    }

    /// A held author's next change is held without its deps even being looked at; a revocation
    /// applies ahead of its deps; any other change with a missing dep is pending on exactly those.
    @Test func admissionHoldsWaitsOrApplies() throws {
        let key = Fixtures.key(8)
        let missingDep = try Change.sign(
            by: Fixtures.key(9), seq: 1, timestamp: try HLCTimestamp(milliseconds: 1_764_000_000_000, counter: 0),
            scope: try ScopeID("示例一小"), deps: [], payload: [0])
        let c = try Change.sign(
            by: key, seq: 5, timestamp: try HLCTimestamp(milliseconds: 1_764_000_000_001, counter: 0), scope: try ScopeID("示例一小"),
            deps: [missingDep.id], payload: [1])
        var looked = false
        let held = LogRules.admission(
            c, author: LogAuthor(heldFrom: 5, storedSeq: 4),
            missing: {
                looked = true
                return [missingDep.id]
            }, readsDetached: { false })
        #expect(held.state == .held && !looked)
        let pending = LogRules.admission(c, author: LogAuthor(storedSeq: 4), missing: { [missingDep.id] }, readsDetached: { false })
        #expect(pending.state == .pending && pending.missing == [missingDep.id])
        let detached = LogRules.admission(c, author: LogAuthor(storedSeq: 4), missing: { [missingDep.id] }, readsDetached: { true })
        #expect(detached.state == .applied)
    }

    /// An equivocation at seq 2 holds the author from 2: the applied seq 2 and 3 are held and returned
    /// as un-applied (their descendants are the host's to take back); seq 1 stays applied.
    @Test func anEquivocationHoldsTheAuthorFromItsSeq() throws {
        let key = Fixtures.key(11)
        let scope = try ScopeID("示例一小")
        var storage = LogMemory()
        var chain: [Change] = []
        for seq in UInt64(1)...3 {
            let c = try Change.sign(
                by: key, seq: seq, timestamp: try HLCTimestamp(milliseconds: 1_764_000_000_000 + seq, counter: 0), scope: scope,
                deps: chain.last.map { [$0.id] } ?? [], payload: [UInt8(seq)])
            _ = try storage.insert(c, state: .applied)
            chain.append(c)
        }
        let fork = try Change.sign(
            by: key, seq: 2, timestamp: try HLCTimestamp(milliseconds: 1_764_000_000_009, counter: 0), scope: scope,
            deps: [chain[0].id], payload: [9])
        let author = try storage.author(key.publicKey)
        #expect(try LogRules.arrival(fork, author: author, in: &storage) == .equivocation(first: chain[1].id))
        _ = try storage.insert(fork, state: .held)
        let (from, unapplied) = try LogRules.equivocation(fork, author: author, in: &storage)
        #expect(from == 2)
        #expect(Set(unapplied) == [chain[1].id, chain[2].id])
        #expect(try storage.author(key.publicKey).heldFrom == 2)
        #expect(try storage.standing(of: chain[0].id)?.state == .applied)
        #expect(try storage.standing(of: chain[2].id)?.state == .held)
    }

    @Test func quarantineReasonsRoundTripTheirCodes() {
        for reason in [QuarantineReason.revoked, .futureClock, .refused(code: "scope_not_certified")] {
            #expect(QuarantineReason(code: reason.code) == reason)
        }
        #expect(QuarantineReason(code: "revoked") == .revoked, "control flow reads the case, stored as its code")
    }
}
