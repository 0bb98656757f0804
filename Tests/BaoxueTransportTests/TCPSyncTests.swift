import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTesting
import BaoxueTransport
import Testing

/// Real sockets on loopback: a served replica and a connecting one end with the union.
@Suite struct TCPSyncTests {
    @Test func twoReplicasSyncOverLoopback() async throws {
        let pair = try SyncPair()
        _ = try pair.a.append(Fixtures.chain(Fixtures.key(1), count: 200) + Fixtures.chain(Fixtures.key(2), count: 150))
        _ = try pair.b.append(Fixtures.chain(Fixtures.key(1), count: 200) + Fixtures.chain(Fixtures.key(3), count: 90))
        let served = ServedSessions()
        let server = try await SyncServer.start(host: "127.0.0.1", port: 0, makeEndpoint: { now throws(SyncError) in
            try SyncEndpoint.make(role: .responder, key: pair.keyB, store: pair.b, policy: pair.policyB, now: now,
                                  pipelined: StreamingAppender(log: pair.b))
        }, onSession: { served.add($0) })
        let endpoint = try SyncEndpoint.make(role: .initiator, key: pair.keyA, store: pair.a, policy: pair.policyA,
                                             scopes: [try ScopeID("school-001")], now: 0)
        let summary = try await SyncClient.sync(host: "127.0.0.1", port: server.port, endpoint: endpoint)
        #expect(summary.sentChanges == 150 && summary.receivedChanges == 90)
        #expect(try SyncPair.ids(pair.a) == SyncPair.ids(pair.b))
        #expect(try pair.b.count(.applied) == 440)
        for _ in 0..<100 where served.results.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(served.results.first?.success?.receivedChanges == 150)

        // A peer that is not allowed gets a reason, not data.
        let stranger = try SyncEndpoint.make(role: .initiator, key: Fixtures.key(0x55), store: try ChangeLog(inMemory: (), merge: nil),
                                             policy: SyncPolicy(grants: [pair.keyB.publicKey: .allScopes]),
                                             scopes: [try ScopeID("school-001")], now: 0)
        await #expect(throws: SyncError.peerAborted(code: 6, reason: "peer_not_allowed")) {
            try await SyncClient.sync(host: "127.0.0.1", port: server.port, endpoint: stranger)
        }
        await server.stop()
        await #expect(throws: SyncError.unreachable("127.0.0.1:\(server.port)")) {
            try await SyncClient.sync(host: "127.0.0.1", port: server.port, endpoint: endpoint)
        }
    }
}

/// Collects how served sessions ended (the server reports from its own threads).
final class ServedSessions: @unchecked Sendable {
    private let lock = NSLockish()
    private var stored: [Result<SyncSummary, SyncError>] = []
    func add(_ r: Result<SyncSummary, SyncError>) { lock.run { stored.append(r) } }
    var results: [Result<SyncSummary, SyncError>] { lock.run { stored } }
}
