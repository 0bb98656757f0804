import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTesting
import BaoxueTransport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real sockets on loopback: a served replica and a connecting one end with the union.
@Suite struct TCPSyncTests {
    @Test(.timeLimit(.minutes(1))) func twoReplicasSyncOverLoopback() async throws {
        let pair = try SyncPair()
        _ = try pair.a.append(Fixtures.chain(Fixtures.key(1), count: 200) + Fixtures.chain(Fixtures.key(2), count: 150))
        _ = try pair.b.append(Fixtures.chain(Fixtures.key(1), count: 200) + Fixtures.chain(Fixtures.key(3), count: 90))
        let served = ServedSessions()
        let server = try await SyncServer.start(
            host: "127.0.0.1", port: 0,
            makeEndpoint: { now throws(SyncError) in
                try SyncEndpoint.make(
                    role: .responder, key: pair.keyB, store: pair.b, policy: pair.policyB, now: now,
                    pipelined: StreamingAppender(log: pair.b))
            }, onSession: { served.add($0.result) })
        let endpoint = try SyncEndpoint.make(
            role: .initiator, key: pair.keyA, store: pair.a, policy: pair.policyA,
            scopes: [try ScopeID("school-001")], now: 0)
        let summary = try await SyncClient.sync(host: "127.0.0.1", port: server.port, endpoint: endpoint)
        #expect(summary.sentChanges == 150 && summary.receivedChanges == 90)
        #expect(try SyncPair.ids(pair.a) == SyncPair.ids(pair.b))
        #expect(try pair.b.count(.applied) == 440)
        #expect(await served.ended(1).first?.success?.receivedChanges == 150)

        // A peer that is not allowed gets a reason, not data.
        let stranger = try SyncEndpoint.make(
            role: .initiator, key: Fixtures.key(0x55), store: try ChangeLog(inMemory: (), options: .init(merge: nil)),
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

extension TCPSyncTests {
    /// A client that connects and says nothing is dropped at the handshake timeout;
    /// one that sends only the preamble and a byte of a frame, the same.
    @Test(.timeLimit(.minutes(1))) func silentAndTricklingClientsAreDroppedAtTheHandshakeTimeout() async throws {
        let pair = try SyncPair()
        let limits = {
            var l = SyncLimits()
            l.handshakeTimeoutMs = 400
            return l
        }()
        let served = ServedSessions()
        let server = try await SyncServer.start(
            host: "127.0.0.1", port: 0,
            makeEndpoint: { now throws(SyncError) in
                try SyncEndpoint.make(role: .responder, key: pair.keyB, store: pair.b, policy: pair.policyB, limits: limits, now: now)
            }, onSession: { served.add($0.result) })
        let silent = try RawSocket(port: server.port)
        let trickle = try RawSocket(port: server.port)
        trickle.send(SecureChannel.preamble + [0])
        #expect(await served.ended(2).compactMap(\.failure) == [.handshakeTimeout, .handshakeTimeout])
        #expect(silent.readsEndOfStream() && trickle.readsEndOfStream())
        await server.stop()
    }
}

extension TCPSyncTests {
    /// Shutdown waits for sessions in flight on their close, not by polling: `drain` reports a connection
    /// still open at its deadline, and returns true once the last one has closed.
    @Test(.timeLimit(.minutes(1))) func drainWaitsForOpenConnectionsUpToItsDeadline() async throws {
        let pair = try SyncPair()
        let served = ServedSessions()
        let server = try await SyncServer.start(
            host: "127.0.0.1", port: 0,
            makeEndpoint: { now throws(SyncError) in
                try SyncEndpoint.make(role: .responder, key: pair.keyB, store: pair.b, policy: pair.policyB, now: now)
            }, onSession: { served.add($0.result) })
        #expect(await server.drain(graceMs: 10) == true, "nothing open: drained at once")
        var silent: RawSocket? = try RawSocket(port: server.port)
        // The server's first bytes mean it has accepted the socket (a connection still in the kernel's
        // backlog would simply be dropped by `stopAccepting`).
        #expect(silent?.readsSomeBytes() == true)
        await server.stopAccepting()
        // The silent client is still in its handshake (15 s allowed): the deadline comes first.
        #expect(await server.drain(graceMs: 300) == false)
        #expect(server.openConnections == 1)
        silent = nil  // hangs up
        #expect(await server.drain(graceMs: 30_000) == true)
        #expect(await served.ended(1).compactMap(\.failure) == [.connectionClosed])
        #expect(server.openConnections == 0 && silent == nil)
        await server.stop()
    }
}

/// A bare client socket: what a stalled or malicious peer looks like from the server.
final class RawSocket {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw SyncError.unreachable("127.0.0.1:\(port)") }
    }

    func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }

    /// True once the server has sent something (within a few seconds).
    func readsSomeBytes() -> Bool {
        var tv = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 64)
        return read(fd, &buffer, buffer.count) > 0
    }

    /// Reads until the server closes; true if it did (within a few seconds).
    func readsEndOfStream() -> Bool {
        var tv = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n == 0 { return true }
            if n < 0 { return false }
        }
    }

    deinit { close(fd) }
}

/// Collects how served sessions ended (the server reports from its own threads), and lets a test
/// await the n-th ending instead of polling for it. A wait ends early when its task is cancelled
/// (a test's time limit), so a session that never ends fails the test instead of hanging the run.
final class ServedSessions: @unchecked Sendable {
    private let lock = NSLockish()
    private var stored: [Result<SyncSummary, SyncError>] = []
    private var waiters: [(id: Int, count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var nextWaiter = 0

    func add(_ r: Result<SyncSummary, SyncError>) {
        let ready = lock.run { () -> [CheckedContinuation<Void, Never>] in
            stored.append(r)
            let done = waiters.filter { $0.count <= stored.count }.map(\.continuation)
            waiters.removeAll { $0.count <= stored.count }
            return done
        }
        for c in ready { c.resume() }
    }

    var results: [Result<SyncSummary, SyncError>] { lock.run { stored } }

    /// Returns once `count` sessions have ended, or when the waiting task is cancelled.
    func ended(_ count: Int) async -> [Result<SyncSummary, SyncError>] {
        let id = lock.run { () -> Int in
            nextWaiter += 1
            return nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = lock.run { () -> Bool in
                    if stored.count >= count || Task.isCancelled { return true }
                    waiters.append((id, count, c))
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            let waiting = lock.run { () -> CheckedContinuation<Void, Never>? in
                guard let i = waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return waiters.remove(at: i).continuation
            }
            waiting?.resume()
        }
        return results
    }
}
