import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import Testing

/// A side that cannot store (a full disk) or will not (a revoked peer) answers REFUSED and
/// stores nothing more from the peer, while the session goes on in the other direction.
@Suite struct RefusedBatchTests {
    /// Counts the batches the responder's sink was asked to store; the first fails as a full disk.
    final class FullThenRoomySink: @unchecked Sendable {
        let lock = NSLockish()
        private(set) var calls = 0
        let log: ChangeLog
        init(log: ChangeLog) { self.log = log }

        func store(_ encoded: [[UInt8]]) -> Result<Int, SyncError> {
            let call = lock.run { calls += 1; return calls }
            // The first batch meets a full disk; any later one would fit (space came back) and must not be stored.
            guard call > 1 else { return .failure(.overLimit("disk_full")) }
            return Result { () throws(StoreError) in try log.append(encoded: encoded) }
                .map { $0.inserted }.mapError { .store("\($0)") }
        }
    }

    @Test func aFullStoreRefusesTheBatchStoresNothingLaterAndStillSendsItsOwn() throws {
        let pair = try SyncPair()
        // 2,000 changes: four batches of 512 at once in the window, then more.
        let mine = Fixtures.chain(Fixtures.key(1), count: 2_000)
        let theirs = Fixtures.chain(Fixtures.key(2), count: 300)
        _ = try pair.a.append(mine)
        _ = try pair.b.append(theirs)
        let sink = FullThenRoomySink(log: pair.b)
        var i = try pair.endpoints().0
        let session = try SyncSession(role: .responder, key: pair.keyB, policy: pair.policyB, source: StoreSyncSource(pair.b), now: 0)
        var r = SyncEndpoint(session: session, sink: { sink.store($0) })
        let report = SimulatedLink.run(initiator: &i, responder: &r)

        let sent = try #require(report.initiator?.success, "\(String(describing: report.initiator))")
        let served = try #require(report.responder?.success, "\(String(describing: report.responder))")
        #expect(sent.refusedByPeer == "over_limit: disk_full")
        #expect(sent.sentChanges == 0 && sent.notSent == 2_000)
        #expect(sent.receivedChanges == 300, "reads go on in the same session")
        #expect(served.refusedToPeer?.abortReason == "over_limit: disk_full" && served.receivedChanges == 0)
        #expect(sink.calls == 1, "batches after the refused one were stored")
        #expect(try SyncPair.ids(pair.b) == Set(theirs.map(\.id)))
        #expect(try SyncPair.ids(pair.a) == Set((mine + theirs).map(\.id)))
        #expect(try pair.b.count(.pending) == 0)
    }

    @Test func aRevokedPeerIsOfferedItsRevocationOnlyAndNothingItSendsIsStored() throws {
        var pair = try SyncPair()
        let admin = Fixtures.chain(Fixtures.key(9), count: 12, scope: "_admin")
        let school = Fixtures.chain(Fixtures.key(8), count: 40)
        _ = try pair.b.append(admin + school)
        let own = Fixtures.chain(Fixtures.key(1), count: 30, scope: "_admin") + Fixtures.chain(Fixtures.key(3), count: 20)
        _ = try pair.a.append(own)
        let revocation = admin[7].id
        pair.policyB.allow(pair.keyA.publicKey, .revocationOnly([revocation]))
        let before = try SyncPair.ids(pair.b)
        var (i, r) = try pair.endpoints(scopes: ["_admin", "school-001"])
        let report = SimulatedLink.run(initiator: &i, responder: &r)

        let device = try #require(report.initiator?.success, "\(String(describing: report.initiator))")
        let relay = try #require(report.responder?.success)
        #expect(device.scopes == [.admin], "the school scope was declined")
        #expect(device.receivedChanges == 1)
        #expect(device.refusedByPeer == "peer_not_allowed: revoked")
        #expect(relay.peerRevoked && relay.receivedChanges == 0)
        #expect(try SyncPair.ids(pair.a) == Set(own.map(\.id)).union([revocation]), "the device learnt of anything but its revocation")
        #expect(try SyncPair.ids(pair.b) == before)
    }

    @Test func refusedTravelsAndAScopeNamedTwiceIsNamedInTheReason() throws {
        let message = SyncMessage.refused(batch: 300, code: 19, reason: "over_limit: disk_full")
        #expect(try SyncMessage.decode(message.encoded()) == message)
        #expect(message.encoded() == [1, 8, 0x82, 0x2c, 0, 19, 21] + Array("over_limit: disk_full".utf8))
        var hello = SyncMessage.hello(scopes: [.admin]).encoded()
        hello[2] = 2
        hello += [6] + Array("_admin".utf8)
        #expect(throws: SyncError.malformed("HELLO names scope _admin twice")) { try SyncMessage.decode(hello) }
        #expect(SyncError.malformed("HELLO names scope _admin twice").abortReason == "malformed: HELLO names scope _admin twice")
        // A session with room refuses nothing.
        let pair = try SyncPair()
        _ = try pair.a.append(Fixtures.chain(Fixtures.key(1), count: 3))
        var (i, r) = try pair.endpoints()
        let report = SimulatedLink.run(initiator: &i, responder: &r)
        #expect(report.initiator?.success?.refusedByPeer == nil && report.initiator?.success?.notSent == 0)
    }
}
