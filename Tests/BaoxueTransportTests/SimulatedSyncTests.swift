import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import Testing

/// Whole sessions between two stores over the simulated link: the union
/// arrives, counts are exact, slow and lossy links finish, cuts resume.
@Suite struct SimulatedSyncTests {
    func seed(_ pair: SyncPair, shared: Int, onlyA: Int, onlyB: Int) throws -> (a: [Change], b: [Change]) {
        let common = Fixtures.chain(Fixtures.key(1), count: shared)
        let a = Fixtures.chain(Fixtures.key(2), count: onlyA, payloadBytes: 200)
        let b = Fixtures.chain(Fixtures.key(3), count: onlyB, payloadBytes: 200)
        _ = try pair.a.append(common + a)
        _ = try pair.b.append(common + b)
        return (a, b)
    }

    @Test func bothSidesEndWithTheUnion() throws {
        let pair = try SyncPair()
        let (a, b) = try seed(pair, shared: 300, onlyA: 40, onlyB: 25)
        let report = try pair.run()
        let si = try #require(report.initiator?.success)
        let sr = try #require(report.responder?.success)
        #expect(si.sentChanges == a.count && si.receivedChanges == b.count)
        #expect(sr.sentChanges == b.count && sr.receivedChanges == a.count)
        #expect(try SyncPair.ids(pair.a) == SyncPair.ids(pair.b))
        #expect(try pair.a.count(.applied) == 365 && pair.b.count(.applied) == 365)
        #expect(si.peer == pair.keyB.publicKey && sr.peer == pair.keyA.publicKey)
        // A second session finds nothing to do in one round trip.
        let again = try pair.run()
        let s2 = try #require(again.initiator?.success)
        #expect(s2.sentChanges == 0 && s2.receivedChanges == 0 && s2.roundTrips == 1)
    }

    @Test func aScopeThePeerMayNotSeeIsNeitherAskedNorAnswered() throws {
        var pair = try SyncPair()
        let x = Fixtures.chain(Fixtures.key(4), count: 10, scope: "school-x")
        let y = Fixtures.chain(Fixtures.key(5), count: 10, scope: "school-y")
        _ = try pair.a.append(x + y)
        _ = try pair.b.append(Fixtures.chain(Fixtures.key(6), count: 5, scope: "school-y"))
        // B may receive x only; A asks for both but its own policy filters y out.
        pair.policyA = SyncPolicy(grants: [pair.keyB.publicKey: .scopes([try ScopeID("school-x")])])
        let report = try pair.run(scopes: ["school-x", "school-y"])
        let si = try #require(report.initiator?.success)
        #expect(si.scopes == [try ScopeID("school-x")])
        #expect(try pair.b.scopes().map(\.value) == ["school-x", "school-y"])
        #expect(try pair.b.count(nil) == 15)
        #expect(try pair.a.count(nil) == 20)

        // Now A allows y, but B does not grant y to A: B declines it, nothing of y moves.
        pair.policyA = SyncPolicy(grants: [pair.keyB.publicKey: .allScopes])
        pair.policyB = SyncPolicy(grants: [pair.keyA.publicKey: .scopes([try ScopeID("school-x")])])
        let second = try pair.run(scopes: ["school-x", "school-y"])
        let s2 = try #require(second.responder?.success)
        #expect(s2.scopes == [try ScopeID("school-x")])
        #expect(try pair.a.count(nil) == 20 && pair.b.count(nil) == 15)
    }

    @Test func aPeerNotOnTheListIsRefused() throws {
        var pair = try SyncPair()
        pair.policyB = SyncPolicy()
        _ = try seed(pair, shared: 5, onlyA: 5, onlyB: 0)
        let report = try pair.run()
        #expect(report.responder?.failure == .peerNotAllowed(pair.keyA.publicKey))
        #expect(report.initiator?.failure == .peerAborted(code: 6, reason: "peer_not_allowed"))
        #expect(try pair.b.count(nil) == 5 && pair.a.count(nil) == 10)
    }

    @Test func aSlowLossyPhoneLinkStillFinishes() throws {
        let pair = try SyncPair()
        _ = try seed(pair, shared: 200, onlyA: 150, onlyB: 150)
        var edge = LinkConditions.edge
        edge.lossRate = 0.05
        edge.seed = 42
        let report = try pair.run(conditions: edge)
        let si = try #require(report.initiator?.success)
        #expect(si.receivedChanges == 150 && si.sentChanges == 150)
        #expect(try SyncPair.ids(pair.a) == SyncPair.ids(pair.b))
        // ~2 × 150 × ~330 bytes at 6,250 B/s each way, plus round trips: seconds, not milliseconds.
        #expect(report.durationMs > 8_000 && report.durationMs < 120_000, "seed 42: \(report.durationMs) ms")
    }

    @Test func aCutSessionResumesWithoutResendingWhatWasAcknowledged() throws {
        for cut in [600, 5_000, 40_000, 90_000] {
            let pair = try SyncPair()
            let (a, _) = try seed(pair, shared: 100, onlyA: 400, onlyB: 0)
            var limits = SyncLimits()
            limits.batchBytes = 8 << 10
            let first = try pair.run(conditions: LinkConditions(cutAfterBytes: cut), limits: limits)
            #expect(first.cut)
            #expect(first.initiator?.failure == .connectionClosed, "cut at \(cut)")
            let storedAfterCut = try pair.b.count(nil) - 100
            #expect(try pair.b.integrityCheck() == "ok")
            let second = try pair.run(limits: limits)
            let s2 = try #require(second.initiator?.success, "cut at \(cut)")
            #expect(s2.sentChanges == a.count - storedAfterCut, "cut at \(cut): resent \(s2.sentChanges), stored before \(storedAfterCut)")
            #expect(try pair.b.count(nil) == 500)
        }
    }

    @Test func manyScopesEachReconciledAlone() throws {
        let pair = try SyncPair()
        var scopes: [String] = []
        for s in 0..<20 {
            let name = "school-\(s)"
            scopes.append(name)
            _ = try pair.a.append(Fixtures.chain(Fixtures.key(UInt8(10 + s)), count: 30, scope: name))
            if s % 3 == 0 { _ = try pair.b.append(Fixtures.chain(Fixtures.key(UInt8(40 + s)), count: 7, scope: name)) }
        }
        let report = try pair.run(scopes: scopes)
        let si = try #require(report.initiator?.success)
        #expect(si.sentChanges == 600 && si.receivedChanges == 49)
        #expect(try SyncPair.ids(pair.a) == SyncPair.ids(pair.b))
    }
}

extension SimulatedSyncTests {
    /// A log opened with `durable: false` may send, but never acknowledges what it receives.
    @Test func aNonDurableLogRefusesToAcknowledge() throws {
        let dir = Fixtures.temporaryDirectory()
        let pair = try SyncPair()
        let quick = try ChangeLog(path: dir + "/quick.sqlite", options: .init(merge: nil, durable: false))
        _ = try pair.a.append(Fixtures.chain(Fixtures.key(2), count: 5))
        var i = try SyncEndpoint.make(
            role: .initiator, key: pair.keyA, store: pair.a, policy: pair.policyA,
            scopes: [try ScopeID("school-001")], now: 0)
        var r = try SyncEndpoint.make(role: .responder, key: pair.keyB, store: quick, policy: pair.policyB, now: 0)
        let report = SimulatedLink.run(initiator: &i, responder: &r)
        #expect({ if case .store = report.responder?.failure { true } else { false } }())
        #expect(try quick.count(nil) == 0)
    }
}
