import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import Foundation
import Testing

/// Admission by presented certificates as an explicit step (issue 26 §2): the session asks its driver with
/// `SyncOutput.vouch` instead of calling into the trust layer, holds what the peer sends until the answer, and
/// goes on or refuses by it. The simulator and TCP answer through the same `SyncEndpoint`.
@Suite struct VouchTests {
    /// The vouch calls a driver saw.
    final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [(PublicKey, [[UInt8]])] = []
        func add(_ peer: PublicKey, _ certificates: [[UInt8]]) { lock.withLock { seen.append((peer, certificates)) } }
        var all: [(PublicKey, [[UInt8]])] { lock.withLock { seen } }
    }

    static let presented: [[UInt8]] = [[0xC1, 0xC2, 0xC3]]

    /// A responder that lists nobody and vouches with `answer`; an initiator that presents `presented`.
    func run(_ pair: SyncPair, answer: SyncPolicy.Grant?, calls: Calls) throws -> SimulatedLink.Report {
        var i = try SyncEndpoint.make(
            role: .initiator, key: pair.keyA, store: pair.a, policy: pair.policyA, scopes: [try ScopeID("school-001")], now: 0,
            certificates: Self.presented)
        var r = try SyncEndpoint.make(
            role: .responder, key: pair.keyB, store: pair.b, policy: SyncPolicy(), now: 0,
            vouch: { peer, certificates in
                calls.add(peer, certificates)
                return answer
            })
        return SimulatedLink.run(initiator: &i, responder: &r, conditions: .perfect)
    }

    func seeded() throws -> SyncPair {
        let pair = try SyncPair()
        _ = try pair.a.append(Fixtures.chain(Fixtures.key(2), count: 12, payloadBytes: 100))
        _ = try pair.b.append(Fixtures.chain(Fixtures.key(3), count: 5, payloadBytes: 100))
        return pair
    }

    @Test func aPeerItsCertificatesVouchForIsAskedAboutOnceThenServed() throws {
        let pair = try seeded()
        let calls = Calls()
        let report = try run(pair, answer: .allScopes, calls: calls)
        let served = try #require(report.responder?.success)
        #expect(served.receivedChanges == 12 && served.sentChanges == 5)
        #expect(calls.all.count == 1)
        #expect(calls.all.first?.0 == pair.keyA.publicKey && calls.all.first?.1 == Self.presented)
        #expect(try SyncPair.ids(pair.a) == SyncPair.ids(pair.b))
    }

    @Test func aPeerNobodyVouchesForIsRefusedAndNothingIsStored() throws {
        let pair = try seeded()
        let calls = Calls()
        let report = try run(pair, answer: nil, calls: calls)
        #expect(report.responder?.failure == .peerNotAllowed(pair.keyA.publicKey))
        #expect(calls.all.count == 1)
        #expect(try pair.b.count(nil) == 5 && pair.a.count(nil) == 12)
    }

    @Test func theSessionWaitsForTheAnswerAndHoldsWhatArrivesMeanwhile() throws {
        let pair = try seeded()
        let scope = try ScopeID("school-001")
        var i = try SyncSession(
            role: .initiator, key: pair.keyA, policy: pair.policyA, scopes: [scope], source: StoreSyncSource(pair.a), now: 0,
            certificates: Self.presented)
        var r = try SyncSession(role: .responder, key: pair.keyB, policy: SyncPolicy(), source: StoreSyncSource(pair.b), now: 0)
        func bytes(_ outputs: [SyncOutput]) -> [UInt8] {
            outputs.reduce(into: []) { if case .send(let b) = $1 { $0 += b } }
        }
        // Handshake both ways; the initiator's HELLO and openings follow in the same flight as its last handshake message.
        var toR = bytes(i.start(now: 0))
        var toI = bytes(r.start(now: 0))
        var asked: [SyncOutput] = []
        for _ in 0..<4 where asked.isEmpty {
            let out = r.receive(toR, now: 0)
            asked = out.filter { if case .vouch = $0 { true } else { false } }
            toR = bytes(i.receive(toI + bytes(out), now: 0))
            toI = []
        }
        #expect(asked == [.vouch(peer: pair.keyA.publicKey, certificates: Self.presented)])
        // Whatever arrives while the driver decides is held: no reconciliation reply, no store request.
        let meanwhile = r.receive(toR, now: 0)
        #expect(bytes(meanwhile).isEmpty && r.phase == .handshake)
        // The answer lets the session go on with what it held.
        let after = r.vouched(.allScopes, now: 0)
        #expect(!bytes(after).isEmpty && r.phase != .handshake && !r.isOver)
        // A second, unasked answer ends the session.
        let stray = r.vouched(.allScopes, now: 0)
        #expect(stray.contains { if case .failed = $0 { true } else { false } })
    }
}
