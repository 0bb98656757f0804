import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTransport
import Dispatch
import Foundation
import Synchronization

/// What `peer allow`, `sync` and `serve` do, apart from parsing and printing.
public enum SyncCommands {
    /// Adds a peer to the replica's peer list; returns the number of peers listed.
    public static func allow(directory: String, key: String, scopes: [String]) throws(AppError) -> Int {
        _ = try ReplicaCommands.open(directory)
        return try PeerList.allow(directory: directory, key: key, scopes: scopes).grants.count
    }

    /// Who may sync: the peer list, plus — on a replica that pins an authority — every device
    /// with a valid, unrevoked certificate, for its certificate's scopes and the admin scope.
    static func policy(for replica: Replica) throws(AppError) -> SyncPolicy {
        var policy = try PeerList.load(directory: replica.directory)
        let certified = try attempt { () throws(StoreError) in try replica.log.certifiedPeers(at: Replica.nowMilliseconds()) }
        for (key, scopes) in certified where policy.grants[key] == nil { policy.allow(key, .within(scopes)) }
        // A revoked device, listed or not, is offered its revocation only, so that it wipes.
        let revoked = try attempt { () throws(StoreError) in try replica.log.revokedPeers(at: Replica.nowMilliseconds()) }
        for (key, ids) in revoked { policy.allow(key, .revocationOnly(ids)) }
        return policy
    }

    /// What this replica presents in a handshake (its certificate chain) and how it judges a
    /// stranger's presented certificates (admitted if they chain to the pinned authority, then published).
    public static func presentation(for replica: Replica) -> (certificates: [[UInt8]], vouch: SyncPolicy.Vouch?) {
        guard replica.log.authority != nil else { return ([], nil) }
        let certificates = (try? replica.log.presentableCertificates(of: replica.key.publicKey, at: Replica.nowMilliseconds())) ?? []
        let log = replica.log
        let key = replica.key
        return (
            certificates,
            { peer, presented in
                (try? log.admitPresented(presented, peer: peer, carrier: key, at: Replica.nowMilliseconds())).flatMap { $0 }.map {
                    .within($0)
                }
            }
        )
    }

    /// Splits `HOST:PORT` (port 0 allowed only when listening).
    public static func address(_ text: String, option: String, listening: Bool = false) throws(AppError) -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            port >= (listening ? 0 : 1), port <= 65_535, colon != text.startIndex
        else { throw .invalidArgument(option: option, value: text) }
        return (String(text[..<colon]), port)
    }

    /// Connects to `peer`, syncs the scopes, reports progress values, returns the summary.
    /// Without `--scope`, a session that taught this device scopes it should hold (certificates
    /// under its own, arriving in `_admin`: a new device, a district admin) is followed by one
    /// more for them. On a school or district admin's device, then runs the key round
    /// (`PrivacyCommands.keyRound`) and, when it wrote a grant, a second session so the grant leaves now.
    public static func sync(
        directory: String, peer: String, scopes: [String], language: Language,
        progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }
    ) async throws(AppError) -> SyncView {
        try await sync(try ReplicaCommands.open(directory), peer: peer, scopes: scopes, progress: progress)
    }

    /// The same sync as a stream: progress values, then its outcome (`SyncEvent`). The stream ends
    /// after the outcome; cancelling its consumer cancels the session.
    public static func events(_ replica: Replica, peer: String, scopes: [String]) -> AsyncStream<SyncEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: SyncEvent.self, bufferingPolicy: .bufferingNewest(8))
        let task = Task {
            do throws(AppError) {
                let view = try await sync(replica, peer: peer, scopes: scopes) { continuation.yield(.progress($0)) }
                continuation.yield(.finished(view))
            } catch { continuation.yield(.failed(error)) }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    static func sync(
        _ replica: Replica, peer: String, scopes: [String], progress: @escaping @Sendable (SyncProgress) -> Void
    ) async throws(AppError) -> SyncView {
        var replica = replica
        // A device whose enrollment request waits at the relay asks for the decision first (sync.md §3.1).
        if RelayEnrollment.isWaiting(replica) {
            switch try await RelayEnrollment.collect(replica, relay: peer) {
            case .waiting(let fingerprint): throw .enrollmentWaiting(fingerprint: fingerprint)
            case .rejected(let reason): throw .enrollmentRejected(reason: reason)
            case .certified: replica = try ReplicaCommands.open(replica.directory)
            }
        }
        let first = try await syncOnce(replica, peer: peer, scopes: scopes, progress: progress)
        var view = first.view
        if scopes.isEmpty, !Set(try defaultScopes(replica)).isSubset(of: first.asked) {
            let more = try await syncOnce(replica, peer: peer, scopes: scopes, progress: progress)
            view = view.followed(by: more.view)
        }
        view.keyRound = try PrivacyCommands.keyRound(replica)
        if !view.keyRound.isEmpty {
            _ = try await syncOnce(replica, peer: peer, scopes: scopes, progress: progress)
        }
        return view
    }

    /// One session; returns its summary and the scopes it asked for.
    static func syncOnce(
        _ replica: Replica, peer: String, scopes: [String], progress: @escaping @Sendable (SyncProgress) -> Void
    ) async throws(AppError) -> (view: SyncView, asked: [ScopeID]) {
        let (host, port) = try address(peer, option: "PEER")
        let policy = try policy(for: replica)
        var wanted: [ScopeID] = replica.log.authority == nil ? [] : [.admin]
        for s in scopes {
            guard let scope = try? ScopeID(s) else { throw .invalidArgument(option: "--scope", value: s) }
            // `--scope _admin`, or a scope named twice, is asked for once (HELLO names no scope twice).
            if !wanted.contains(scope) { wanted.append(scope) }
        }
        if scopes.isEmpty {
            var all = Set(wanted + (try defaultScopes(replica)))
            for case .scopes(let granted) in policy.grants.values { all.formUnion(granted) }
            wanted = all.sorted()
        }
        guard !wanted.isEmpty else { throw .noScopes }
        let started = SyncClock.now()
        let endpoint: SyncEndpoint
        do {
            let (certificates, vouch) = presentation(for: replica)
            endpoint = try SyncEndpoint.make(
                role: .initiator, key: replica.key, store: replica.log, policy: policy, scopes: wanted, now: started,
                pipelined: StreamingAppender(log: replica.log), certificates: certificates, vouch: vouch)
        } catch { throw .sync(error) }
        let throttle = ProgressThrottle(intervalMs: SyncEvent.intervalMs)
        let summary: SyncSummary
        do {
            summary = try await SyncClient.sync(host: host, port: port, endpoint: endpoint) { s in
                if throttle.due() { progress(SyncProgress(s, elapsedMs: SyncClock.now() - started)) }
            }
        } catch { throw .sync(error) }
        // Remembered for `baoxue status` (last sync with whom); a failure to note it does not fail the sync.
        if let peer = summary.peer {
            try? replica.log.recordPeerActivity([
                PeerActivity(
                    key: peer, lastSeen: Replica.nowMilliseconds(), sessions: 1, changesIn: summary.receivedChanges,
                    changesOut: summary.sentChanges,
                    bytesIn: summary.bytesReceived, bytesOut: summary.bytesSent)
            ])
        }
        var view = SyncView(summary)
        view.thisDeviceRevoked = (try? replica.log.revokedPeers(at: Replica.nowMilliseconds()))?[replica.key.publicKey] != nil
        return (view, wanted)
    }

    /// What a device syncs when no `--scope` is given (sync.md §7): every scope it holds, every
    /// scope its own certificates name, and every scope a certificate it knows names under one of
    /// its own — so a new teacher's first sync brings its school (roster, key grant), and a
    /// district admin learns its schools from the certificates that `_admin` brought.
    static func defaultScopes(_ replica: Replica) throws(AppError) -> [ScopeID] {
        var all = Set(try attempt { () throws(StoreError) in try replica.log.scopes() })
        guard replica.log.authority != nil else { return all.sorted() }
        all.insert(.admin)
        let now = Replica.nowMilliseconds()
        let certified = try attempt { () throws(StoreError) in try replica.log.certifiedPeers(at: now) }
        let own = certified[replica.key.publicKey] ?? []
        all.formUnion(own)
        for scopes in certified.values {
            for scope in scopes where scope != .admin && own.contains(where: { $0.covers(scope) }) { all.insert(scope) }
        }
        return all.sorted()
    }

    /// Starts listening for peers and returns at once: the server (its port; `stop()` ends it) and
    /// the one-line outcome of each session as it ends. Waiting, and stopping on a signal, are the caller's.
    public static func listen(
        directory: String, listen: String, language: Language
    ) async throws(AppError) -> (server: SyncServer, sessions: AsyncStream<String>) {
        let (host, port) = try address(listen, option: "--listen", listening: true)
        let replica = try ReplicaCommands.open(directory)
        _ = try PeerList.load(directory: directory)
        let (sessions, outcome) = AsyncStream.makeStream(of: String.self)
        // One appender for all connections: commits stay in arrival order on one writer.
        let appender = StreamingAppender(log: replica.log)
        do {
            let server = try await SyncServer.start(
                host: host, port: port,
                makeEndpoint: { now throws(SyncError) in
                    // Re-read per connection, so `peer allow`, new certificates and revocations take effect without a restart.
                    let policy = (try? SyncCommands.policy(for: replica)) ?? SyncPolicy()
                    let (certificates, vouch) = presentation(for: replica)
                    return try SyncEndpoint.make(
                        role: .responder, key: replica.key, store: replica.log, policy: policy, now: now,
                        pipelined: appender, certificates: certificates, vouch: vouch)
                },
                onSession: { end in
                    switch end.result {
                    case .success(let s): outcome.yield(SyncView(s).text(language))
                    case .failure(let e): outcome.yield(AppError.sync(e).line(language))
                    }
                })
            return (server, sessions)
        } catch { throw .sync(error) }
    }
}

/// Milliseconds on a monotonic clock.
enum SyncClock {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds / 1_000_000 }
}

/// Lets a progress value through at most once per interval.
final class ProgressThrottle: Sendable {
    private let intervalMs: UInt64
    private let last = Mutex<UInt64>(0)

    init(intervalMs: UInt64) { self.intervalMs = intervalMs }

    func due() -> Bool {
        let now = SyncClock.now()
        return last.withLock { last in
            guard now - last >= intervalMs else { return false }
            last = now
            return true
        }
    }
}
