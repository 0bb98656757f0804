import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import Testing

/// A side that holds nothing of a range is sent its items unnamed (an `all`
/// answer carries only their count, sync.md §4.3): the receiver takes exactly
/// that many changes lying in that range, once each, and nothing else.
@Suite struct UnnamedChangesTests {
    /// Reconciles honestly as the attacker holding `mine` against the empty target, until it says nothing more.
    func reconcile(_ t: inout HostilePeerTests.Target, _ a: inout SecureChannel, mine: [Change]) throws {
        let r = try HostilePeerTests.reconcileHonestly(&t, &a, mine: mine)
        #expect(r.toSend.count == mine.count, "the empty side asked for everything")
        #expect(t.endpoint.session.phase == .transferring)
        #expect(t.endpoint.session.progress.toReceive == mine.count)
    }

    func send(_ t: inout HostilePeerTests.Target, _ a: inout SecureChannel, _ changes: [Change]) throws {
        _ = t.endpoint.receive(try a.seal([SyncMessage.changes(batch: 0, encoded: changes.map(\.encoded)).encoded()]), now: 5)
    }

    @Test func exactlyTheAnnouncedCountIsTaken() throws {
        let mine = Fixtures.chain(Fixtures.key(11), count: 4)
        var t = try HostilePeerTests.Target(holding: 0)
        var a = try HostilePeerTests().handshake(&t)
        try reconcile(&t, &a, mine: mine)
        try send(&t, &a, mine)
        #expect(t.endpoint.result == nil && t.endpoint.session.progress.receivedChanges == 4)
        #expect(try t.pair.b.count(nil) == 4)
    }

    @Test func oneMoreThanAnnouncedIsUnsolicitedAndNothingOfTheBatchIsStored() throws {
        let mine = Fixtures.chain(Fixtures.key(11), count: 4)
        var t = try HostilePeerTests.Target(holding: 0)
        var a = try HostilePeerTests().handshake(&t)
        try reconcile(&t, &a, mine: mine)
        try send(&t, &a, mine + Fixtures.chain(Fixtures.key(12), count: 1))
        #expect(HostilePeerTests().failure(t.endpoint) == .unsolicitedChange)
        #expect(try t.unchanged())
    }

    @Test func theSameChangeTwiceIsUnsolicited() throws {
        let mine = Fixtures.chain(Fixtures.key(11), count: 4)
        var t = try HostilePeerTests.Target(holding: 0)
        var a = try HostilePeerTests().handshake(&t)
        try reconcile(&t, &a, mine: mine)
        try send(&t, &a, [mine[0], mine[1], mine[0]])
        #expect(HostilePeerTests().failure(t.endpoint) == .unsolicitedChange)
        #expect(try t.unchanged())
    }

    @Test func aChangeOfAnotherScopeIsUnsolicited() throws {
        let mine = Fixtures.chain(Fixtures.key(11), count: 4)
        var t = try HostilePeerTests.Target(holding: 0)
        var a = try HostilePeerTests().handshake(&t)
        try reconcile(&t, &a, mine: mine)
        try send(&t, &a, Fixtures.chain(Fixtures.key(11), count: 1, scope: "school-002"))
        #expect(HostilePeerTests().failure(t.endpoint) == .unsolicitedChange)
        #expect(try t.unchanged())
    }
}
