import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import Testing

/// A hostile peer — oversize frames, garbage, a stalled (slowloris) peer,
/// one that never stops sending, a replayed session, a forged change —
/// ends the session with its reason and leaves the store unchanged.
@Suite struct HostilePeerTests {
    /// A replica B (responder) with some changes; the attacker holds key A, which B allows.
    struct Target {
        let pair: SyncPair
        var endpoint: SyncEndpoint
        let before: Set<ChangeID>

        init(limits: SyncLimits = SyncLimits(), holding: Int = 40) throws {
            pair = try SyncPair()
            if holding > 0 { _ = try pair.b.append(Fixtures.chain(Fixtures.key(7), count: holding)) }
            endpoint = try pair.endpoints(limits: limits).1
            before = try SyncPair.ids(pair.b)
        }

        func unchanged() throws -> Bool { try SyncPair.ids(pair.b) == before && pair.b.integrityCheck() == "ok" }
    }

    /// Completes a genuine handshake as key A and returns the attacker's channel.
    func handshake(_ t: inout Target) throws -> SecureChannel {
        var attacker = try SecureChannel(role: .initiator, key: t.pair.keyA)
        var toTarget = try attacker.start()
        var toAttacker = t.endpoint.start(now: 0)
        while !attacker.isEstablished {
            let reply = t.endpoint.receive(toTarget, now: 1)
            toAttacker += reply
            let (out, _) = try attacker.receive(toAttacker)
            toAttacker = []
            toTarget = out
        }
        _ = t.endpoint.receive(toTarget, now: 2)
        #expect(t.endpoint.session.phase == .reconciling)
        return attacker
    }

    func failure(_ t: SyncEndpoint) -> SyncError? { t.result?.failure }

    /// Plays the attacker's side of an honest reconciliation of school-001, holding `mine`, until
    /// the target says nothing more; returns the attacker's reconciler.
    static func reconcileHonestly(_ t: inout Target, _ a: inout SecureChannel, mine: [Change]) throws -> Reconciler {
        let hello = SyncMessage.hello(scopes: [try ScopeID("school-001")]).encoded()
        var r = Reconciler(items: mine.map(SyncItem.init(change:)).sorted())
        var out = t.endpoint.receive(try a.seal([hello, SyncMessage.reconcile(scope: 0, ranges: r.opening()).encoded()]), now: 3)
        while !out.isEmpty, !t.endpoint.isOver {
            let (_, events) = try a.receive(out)
            var replies: [[UInt8]] = []
            for case .message(let m) in events {
                if case .reconcile(let s, let ranges) = try SyncMessage.decode(m), let reply = try r.process(ranges) {
                    replies.append(SyncMessage.reconcile(scope: s, ranges: reply).encoded())
                }
            }
            out = replies.isEmpty ? [] : t.endpoint.receive(try a.seal(replies), now: 4)
        }
        return r
    }

    @Test func anOversizeMessageLengthEndsTheSession() throws {
        var t = try Target()
        var a = try handshake(&t)
        // A frame whose plaintext declares a 4 GiB message.
        var frame = try a.seal([])
        #expect(frame.isEmpty)
        frame = try a.sealRaw([0xFF, 0xFF, 0xFF, 0xFF, 1, 1])
        _ = t.endpoint.receive(frame, now: 3)
        #expect(failure(t.endpoint) == .frameTooLarge(length: 0xFFFF_FFFF, limit: SecureChannel.maxMessageBytes))
        #expect(try t.unchanged())
    }

    @Test func garbageEndsTheSessionAtEveryStage() throws {
        var rng = SeededGenerator(seed: 99)
        let junk = (0..<300).map { _ in UInt8.random(in: 0...255, using: &rng) }
        // Instead of a preamble.
        var t1 = try Target()
        _ = t1.endpoint.start(now: 0)
        _ = t1.endpoint.receive(junk, now: 1)
        #expect({ if case .unsupportedVersion = failure(t1.endpoint) { true } else { false } }())
        // After the preamble, instead of handshake message 1.
        var t2 = try Target()
        _ = t2.endpoint.start(now: 0)
        _ = t2.endpoint.receive(SecureChannel.preamble + [0, 32] + junk.prefix(32), now: 1)
        #expect(failure(t2.endpoint) == nil)  // a random 32-byte key is a valid message 1…
        _ = t2.endpoint.receive([0, 96] + junk.prefix(96), now: 2)
        #expect(failure(t2.endpoint) == .handshakeFailed)  // …but message 3 must authenticate.
        // After the handshake, a frame that does not decrypt.
        var t3 = try Target()
        _ = try handshake(&t3)
        _ = t3.endpoint.receive([0, 200] + junk.prefix(200), now: 3)
        #expect(failure(t3.endpoint) == .decryptFailed)
        // A well-encrypted message that is not in the grammar.
        var t4 = try Target()
        var a4 = try handshake(&t4)
        _ = t4.endpoint.receive(try a4.seal([[1, 99, 0, 0]]), now: 3)
        #expect(failure(t4.endpoint) == .malformed("unknown message type 99"))
        for t in [t1, t2, t3, t4] { #expect(try t.unchanged()) }
    }

    @Test func aStalledPeerTimesOut() throws {
        // Slowloris during the handshake: one byte every 5 seconds never completes a frame.
        var t = try Target()
        _ = t.endpoint.start(now: 0)
        let opening = SecureChannel.preamble + [0, 32]
        for (i, byte) in opening.enumerated() {
            _ = t.endpoint.receive([byte], now: UInt64(i) * 5_000)
            _ = t.endpoint.tick(now: UInt64(i) * 5_000)
            if t.endpoint.isOver { break }
        }
        #expect(failure(t.endpoint) == .handshakeTimeout)
        // After the handshake: silence (or a byte a while) past the idle timeout.
        var t2 = try Target()
        var a = try handshake(&t2)
        let hello = try a.seal([SyncMessage.hello(scopes: [try ScopeID("school-001")]).encoded()])
        for (i, byte) in hello.enumerated() where !t2.endpoint.isOver {
            _ = t2.endpoint.receive([byte], now: 2 + UInt64(i) * 4_000)
            _ = t2.endpoint.tick(now: 2 + UInt64(i) * 4_000)
        }
        #expect(failure(t2.endpoint) == .idleTimeout)
        #expect(try t.unchanged() && t2.unchanged())
    }

    @Test func aPeerThatNeverStopsSendingIsCutOff() throws {
        // Repeating HELLO.
        var t = try Target()
        var a = try handshake(&t)
        let hello = SyncMessage.hello(scopes: [try ScopeID("school-001")]).encoded()
        _ = t.endpoint.receive(try a.seal([hello, hello]), now: 3)
        #expect(failure(t.endpoint) == .unexpectedMessage(type: 1))
        // Changes nobody asked for, after an honest reconciliation that found nothing missing.
        var t2 = try Target()
        var a2 = try handshake(&t2)
        let theirs = try t2.pair.b.entries(after: 0, limit: 100).map(\.change)
        var r = Reconciler(items: theirs.map(SyncItem.init(change:)).sorted())
        _ = t2.endpoint.receive(try a2.seal([hello, SyncMessage.reconcile(scope: 0, ranges: r.opening()).encoded()]), now: 3)
        #expect(t2.endpoint.session.phase == .transferring)
        let extra = Fixtures.chain(Fixtures.key(8), count: 3).map(\.encoded)
        _ = t2.endpoint.receive(try a2.seal([SyncMessage.changes(batch: 0, encoded: extra).encoded()]), now: 4)
        #expect(failure(t2.endpoint) == .unsolicitedChange)
        // More batches than the window, without waiting for acknowledgements, are refused too
        // (checked in `windowIsEnforced`); here the store must be untouched.
        #expect(try t.unchanged() && t2.unchanged())
    }

    @Test func aReplayedSessionFailsTheHandshake() throws {
        // Record an honest initiator's bytes, then play them to a fresh responder.
        let pair = try SyncPair()
        _ = try pair.a.append(Fixtures.chain(Fixtures.key(9), count: 5))
        var (i, r) = try pair.endpoints()
        var recorded: [UInt8] = []
        var toR = i.start(now: 0)
        var toI = r.start(now: 0)
        for step in 1...20 where !(i.isOver && r.isOver) {
            recorded += toR
            let outR = r.receive(toR, now: UInt64(step))
            toR = i.receive(toI + outR, now: UInt64(step))
            toI = []
        }
        #expect(i.result?.success != nil)
        var t = try Target()
        _ = t.endpoint.start(now: 0)
        _ = t.endpoint.receive(recorded, now: 1)
        #expect(failure(t.endpoint) == .handshakeFailed)
        #expect(try t.unchanged())
    }

    @Test func aChangeWithAForgedSignatureIsRefusedAndNothingOfItsBatchIsStored() throws {
        let pair = try SyncPair()
        var good = Fixtures.chain(Fixtures.key(10), count: 6)
        // Same signed bytes (so the same id), another signature: the id matches what was announced.
        var forged = good[5].encoded
        forged[forged.count - 1] ^= 0x01
        _ = try pair.a.append(Array(good[0..<5]))
        good.removeLast()
        // Put the forged bytes into A's store directly is impossible (it verifies), so A is a
        // source that serves them: an in-memory source with the forged change in place.
        let source = ForgedSource(changes: good, forged: forged, forgedID: Fixtures.chain(Fixtures.key(10), count: 6)[5])
        var i = SyncEndpoint(
            session: try SyncSession(
                role: .initiator, key: pair.keyA, policy: pair.policyA,
                scopes: [try ScopeID("school-001")], source: source, now: 0), store: pair.a)
        var r = try pair.endpoints().1
        let report = SimulatedLink.run(initiator: &i, responder: &r)
        #expect({ if case .invalidChange = report.responder?.failure { true } else { false } }())
        #expect(try pair.b.count(nil) == 0)
    }

    @Test func windowIsEnforced() throws {
        var limits = SyncLimits()
        limits.window = 1
        var t = try Target(limits: limits)
        var a = try handshake(&t)
        // B lacks everything A has: reconcile honestly, then send two batches at once.
        let mine = Fixtures.chain(Fixtures.key(11), count: 4)
        _ = try Self.reconcileHonestly(&t, &a, mine: mine)
        #expect(t.endpoint.session.phase == .transferring)
        let batches = [
            SyncMessage.changes(batch: 0, encoded: [mine[0].encoded]).encoded(),
            SyncMessage.changes(batch: 1, encoded: [mine[1].encoded]).encoded(),
        ]
        // The endpoint stores batch 0 at once and acknowledges it; to test the window the
        // batches must arrive while batch 0 is still being stored, so drive the session directly.
        var session = t.endpoint.session
        let outputs = session.receive(try a.seal(batches), now: 5)
        #expect(outputs.contains(.failed(.windowExceeded)))
        #expect(try t.unchanged())
    }
}

/// A source that serves one change with a tampered signature.
struct ForgedSource: SyncDataSource {
    let inner: InMemorySyncSource
    let forged: [UInt8]
    let forgedID: ChangeID

    init(changes: [Change], forged: [UInt8], forgedID: Change) {
        inner = InMemorySyncSource(changes + [forgedID])
        self.forged = forged
        self.forgedID = forgedID.id
    }

    func items(in scope: ScopeID) throws(SyncError) -> ReconciliationSet { try inner.items(in: scope) }
    func encodedChanges(_ ids: [ChangeID]) throws(SyncError) -> [[UInt8]] {
        try inner.encodedChanges(ids).enumerated().map { ids[$0.offset] == forgedID ? forged : $0.element }
    }
}
