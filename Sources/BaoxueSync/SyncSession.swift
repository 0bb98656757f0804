import BaoxueCore
import BaoxueNoise

/// One sync session between two replicas as a pure state machine: bytes
/// in, bytes out, store requests out, acknowledgements in (`Protocol/sync.md`,
/// "Session").
///
///     handshake → hello/accept → reconciling → transferring → done
///
/// Invariants: a change is accepted only if reconciliation showed the peer
/// holds it and this side lacks it, in a scope both allow; a batch is
/// acknowledged only after the driver reports it durably stored; any
/// failure sends ABORT once and makes the session ignore everything after.
public struct SyncSession: Sendable {
    public enum Phase: Equatable, Sendable { case handshake, reconciling, transferring, finished, failed }

    public let role: NoiseHandshake.Role
    public private(set) var phase: Phase = .handshake
    public private(set) var progress = SyncSummary()
    private var channel: SecureChannel
    private var policy: SyncPolicy
    /// Asked the driver to vouch for the peer (`SyncOutput.vouch`): what the peer sent meanwhile, in order.
    private var vouching: [SecureChannel.Event]?
    /// Initiator: the desk question sent instead of HELLO (sync.md §3.1), if this is a desk session.
    private let question: DeskMessage?
    /// Initiator: waiting for the desk's reply; responder: the driver is answering a desk question.
    private var atDesk = false
    /// Responder serving a desk: a peer no policy allows, which may only send ENROLL, and only soon
    /// after the handshake (`SyncLimits.strangerWindowMs`, from this time).
    private var stranger = false
    private var strangerSince: UInt64 = 0
    private let wanted: [ScopeID]
    private let source: any SyncDataSource
    private let limits: SyncLimits
    private var startedAt: UInt64
    private var lastProgressAt: UInt64
    private var scopes: [ScopeID] = []
    private var reconcilers: [Int: Reconciler] = [:]
    private var reconcileMessages: [Int: Int] = [:]
    /// Responder: declined scopes whose opening has not arrived yet (it is dropped unanswered).
    private var declinedOpenings: Set<Int> = []
    private var outgoing: [[UInt8]] = []
    private var outputs: [SyncOutput] = []
    // Sending.
    private var outbox = ChangeOutbox()
    private var inbox = ChangeInbox()

    /// - Parameters:
    ///   - scopes: initiator only — the scopes to reconcile (filtered by `policy` for the peer).
    public init(
        role: NoiseHandshake.Role, key: DeviceKey, policy: SyncPolicy, scopes: [ScopeID] = [],
        source: any SyncDataSource, limits: SyncLimits = SyncLimits(), now: UInt64,
        certificates: [[UInt8]] = [], ephemeralPrivateKey: [UInt8]? = nil, desk question: DeskMessage? = nil
    ) throws(SyncError) {
        guard question?.isQuestion ?? true, question == nil || role == .initiator else {
            throw .store("only an initiator asks the desk, and only ENROLL, PENDING or DECIDE")
        }
        self.role = role
        self.question = question
        channel = try SecureChannel(role: role, key: key, certificates: certificates, ephemeralPrivateKey: ephemeralPrivateKey)
        self.policy = policy
        wanted = scopes
        self.source = source
        self.limits = limits
        startedAt = now
        lastProgressAt = now
    }

    public var isOver: Bool { phase == .finished || phase == .failed }

    /// True once this side refuses to store anything more from the peer (`progress.refusedToPeer`):
    /// a driver holding batches not yet stored must not store them.
    public var isRefusing: Bool { progress.refusedToPeer != nil }

    /// The first bytes to send when the connection opens.
    /// The timeouts count from here: the clock `init` was given may not be the driver's.
    public mutating func start(now: UInt64) -> [SyncOutput] {
        startedAt = now
        lastProgressAt = now
        return run(now) { (s: inout SyncSession) throws(SyncError) in
            let first = try s.channel.start()
            s.emit(first)
        }
    }

    /// Bytes from the peer.
    public mutating func receive(_ bytes: [UInt8], now: UInt64) -> [SyncOutput] {
        run(now) { (s: inout SyncSession) throws(SyncError) in
            s.progress.bytesReceived += bytes.count
            let frames = s.channel.framesReceived
            let (reply, events) = try s.channel.receive(bytes)
            if s.channel.framesReceived > frames { s.lastProgressAt = now }
            s.emit(reply)
            for event in events { try s.process(event) }
        }
    }

    /// The driver's answer to `SyncOutput.vouch`: the grant the peer's certificates earn, or nil (the
    /// peer is then refused). What the peer sent meanwhile is handled now, in order.
    public mutating func vouched(_ grant: SyncPolicy.Grant?, now: UInt64) -> [SyncOutput] {
        run(now) { (s: inout SyncSession) throws(SyncError) in
            guard let held = s.vouching, let peer = s.progress.peer else { throw .store("a vouch nobody asked for") }
            s.vouching = nil
            if let grant { s.policy.allow(peer, grant) }
            try s.admit(peer)
            for event in held { try s.process(event) }
        }
    }

    /// The driver's answer to `SyncOutput.desk`: the reply goes out and the session is finished.
    /// (A driver that refuses the question calls `abort` instead.)
    public mutating func answered(_ reply: DeskMessage, now: UInt64) -> [SyncOutput] {
        run(now) { (s: inout SyncSession) throws(SyncError) in
            guard s.atDesk, s.role == .responder, !reply.isQuestion else { throw .store("a desk answer nobody asked for") }
            s.atDesk = false
            s.outgoing.append(SyncMessage.desk(reply).encoded())
            s.phase = .finished
            s.progress.durationMs = now &- s.startedAt
        }
    }

    private mutating func process(_ event: SecureChannel.Event) throws(SyncError) {
        if vouching != nil {
            vouching?.append(event)
            return
        }
        switch event {
        case .established(let peer): try established(peer)
        case .message(let bytes): try handle(try SyncMessage.decode(bytes))
        }
    }

    /// The driver stored batch `batch` durably (or failed to). A store over a limit (`refusesBatchOnly`) does
    /// not end the session: the batch is REFUSED, and so is every later one, while this side goes on sending.
    public mutating func stored(batch: UInt64, result: Result<Int, SyncError>, now: UInt64) -> [SyncOutput] {
        run(now) { (s: inout SyncSession) throws(SyncError) in
            guard let count = s.inbox.finished(batch) else { throw .store("unknown batch \(batch)") }
            s.lastProgressAt = now
            switch result {
            case .success:
                // A driver that stores after a refusal breaks the session's promise (sync.md §5).
                guard !s.isRefusing else { throw .store("batch \(batch) stored after a refused one") }
                s.progress.receivedChanges += count
                s.outgoing.append(SyncMessage.ack(batch: batch).encoded())
                if s.inbox.endsOverLimit {
                    try s.flush()  // the acknowledgements go out before the ABORT
                    throw .overLimit("changes_per_session")
                }
            case .failure(let error) where s.isRefusing || error.refusesBatchOnly:
                s.refuse(batch: batch, count: count, because: s.progress.refusedToPeer ?? error)
            case .failure(let error):
                throw error
            }
            s.finishIfComplete(now)
        }
    }

    /// The driver's answer to `SyncOutput.load`: the bytes in the order asked, or why not (which ends the session).
    public mutating func loaded(_ result: Result<[[UInt8]], SyncError>, now: UInt64) -> [SyncOutput] {
        run(now) { (s: inout SyncSession) throws(SyncError) in try s.outbox.loaded(try result.get()) }
    }

    /// Answers REFUSED: the batch is not stored, nor anything later (the peer keeps its changes).
    private mutating func refuse(batch: UInt64, count: Int, because error: SyncError) {
        progress.refusedToPeer = error
        progress.notStored += count
        outgoing.append(SyncMessage.refused(batch: batch, code: error.code, reason: error.abortReason).encoded())
    }

    /// Time passes: enforces the handshake and idle timeouts.
    public mutating func tick(now: UInt64) -> [SyncOutput] {
        run(now) { (s: inout SyncSession) throws(SyncError) in
            if !s.channel.isEstablished, now &- s.startedAt > s.limits.handshakeTimeoutMs { throw .handshakeTimeout }
            if s.inbox.isIdle, now &- s.lastProgressAt > s.limits.idleTimeoutMs { throw .idleTimeout }
            if s.stranger, !s.atDesk, let peer = s.progress.peer, now &- s.strangerSince > s.limits.strangerWindowMs {
                throw .peerNotAllowed(peer)
            }
        }
    }

    /// The driver ends the session (a relay's limit, shutdown): ABORT with `error`'s code.
    public mutating func abort(_ error: SyncError, now: UInt64) -> [SyncOutput] {
        run(now) { (_: inout SyncSession) throws(SyncError) in throw error }
    }

    /// The connection closed under the session.
    /// A stranger that leaves without asking the desk is counted as what it is: a peer not allowed here.
    public mutating func connectionClosed(now: UInt64) -> [SyncOutput] {
        run(now) { (s: inout SyncSession) throws(SyncError) in
            if s.stranger, !s.atDesk, let peer = s.progress.peer { throw .peerNotAllowed(peer) }
            throw .connectionClosed
        }
    }

    // MARK: - Steps

    private mutating func established(_ peer: PublicKey) throws(SyncError) {
        progress.peer = peer
        if !policy.allows(peer), !channel.peerCertificates.isEmpty {
            vouching = []
            outputs.append(.vouch(peer: peer, certificates: channel.peerCertificates))
            return
        }
        // A stranger may still ask a desk to enroll it: its first message decides (§3.1).
        if role == .responder, limits.servesDesk, !policy.allows(peer) {
            stranger = true
            strangerSince = lastProgressAt
            phase = .reconciling
            return
        }
        try admit(peer)
    }

    /// The peer is known: refused unless the policy (or the driver's vouch) allows it; the initiator opens.
    private mutating func admit(_ peer: PublicKey) throws(SyncError) {
        guard policy.allows(peer) else { throw .peerNotAllowed(peer) }
        if policy.revocations(for: peer) != nil { progress.refusedToPeer = .revoked(peer) }
        phase = .reconciling
        guard role == .initiator else { return }
        if let question {
            atDesk = true
            outgoing.append(SyncMessage.desk(question).encoded())
            return
        }
        scopes = policy.scopes(wanted, for: peer)
        guard !scopes.isEmpty else { throw .peerNotAllowed(peer) }
        outgoing.append(SyncMessage.hello(scopes: scopes).encoded())
        for (i, scope) in scopes.enumerated() {
            var r = Reconciler(set: try items(in: scope, for: peer))
            sendReconcile(i, r.opening())
            reconcilers[i] = r
        }
    }

    private mutating func handle(_ message: SyncMessage) throws(SyncError) {
        if stranger, let peer = progress.peer {
            // Anything but ENROLL — HELLO, or the stranger's own ABORT — ends it as the peer not allowed here.
            guard case .desk(.enroll) = message else { throw .peerNotAllowed(peer) }
        }
        switch (message, phase) {
        case (.abort(let code, let reason), _):
            throw .peerAborted(code: code, reason: reason)
        case (.desk(let asked), .reconciling)
        where role == .responder && limits.servesDesk && scopes.isEmpty && !atDesk && asked.isQuestion:
            atDesk = true
            outputs.append(.desk(peer: progress.peer!, known: !stranger, question: asked))
        case (.desk(let reply), .reconciling) where role == .initiator && atDesk && !reply.isQuestion:
            atDesk = false
            progress.deskAnswer = reply
            phase = .finished
            progress.durationMs = lastProgressAt &- startedAt
        case (.reconcile(let i, _), _) where declinedOpenings.contains(i):
            declinedOpenings.remove(i)
        case (.hello(let asked), .reconciling) where role == .responder && scopes.isEmpty && !atDesk:
            scopes = asked
            let flags = asked.map { policy.scopes([$0], for: progress.peer!).count == 1 }
            declinedOpenings = Set(flags.indices.filter { !flags[$0] })
            outgoing.append(SyncMessage.accept(flags).encoded())
            for (i, ok) in flags.enumerated() where ok { reconcilers[i] = Reconciler(set: try items(in: asked[i], for: progress.peer!)) }
            progress.scopes = zip(asked, flags).filter(\.1).map(\.0)
            if reconcilers.isEmpty { beginTransfer() }
        case (.accept(let flags), .reconciling) where role == .initiator && progress.scopes.isEmpty && flags.count == scopes.count:
            for (i, ok) in flags.enumerated() where !ok { reconcilers[i] = nil }
            progress.scopes = zip(scopes, flags).filter(\.1).map(\.0)
            if reconcilers.isEmpty { beginTransfer() }
        case (.reconcile(let i, let ranges), .reconciling) where !scopes.isEmpty && i < scopes.count:
            guard var r = reconcilers[i] else { throw .unexpectedMessage(type: message.kind.rawValue) }
            reconcileMessages[i, default: 0] += 1
            if let reply = try r.process(ranges) { sendReconcile(i, reply) }
            reconcilers[i] = r
            if reconcilers.values.allSatisfy(\.isDone) { beginTransfer() }
        case (.changes(let batch, let encoded), .transferring):
            try accept(batch: batch, encoded: encoded)
        case (.ack(let batch), .transferring):
            guard let count = outbox.acknowledged(batch) else { throw .unexpectedMessage(type: message.kind.rawValue) }
            progress.sentChanges += count
            try pump()
        case (.refused(let batch, let code, let reason), .transferring):
            guard let unsent = outbox.refused(batch) else { throw .unexpectedMessage(type: message.kind.rawValue) }
            progress.notSent += unsent
            progress.refusedByPeer = reason.isEmpty ? "code \(code)" : reason
            try pump()
        case (.done, .transferring) where !inbox.receivedDone:
            inbox.receivedDone = true
        default:
            throw .unexpectedMessage(type: message.kind.rawValue)
        }
    }

    /// A scope's items as this side shows them to `peer`: all of them, or for a revoked peer
    /// only its revocations (so it learns of nothing else, not even ids).
    private func items(in scope: ScopeID, for peer: PublicKey) throws(SyncError) -> ReconciliationSet {
        let all = try source.items(in: scope)
        guard let only = policy.revocations(for: peer) else { return all }
        return ReconciliationSet(sortedUnique: all.filter { only.contains($0.id) })
    }

    private mutating func sendReconcile(_ i: Int, _ ranges: [ReconcileRange]) {
        reconcileMessages[i, default: 0] += 1
        outgoing.append(SyncMessage.reconcile(scope: i, ranges: ranges).encoded())
    }

    private mutating func beginTransfer() {
        guard phase == .reconciling else { return }
        phase = .transferring
        var send = Set<SyncItem>()
        for (i, r) in reconcilers {
            send.formUnion(r.toSend)
            inbox.expected.add(r, scope: scopes[i])
        }
        outbox = ChangeOutbox(send.sorted())
        progress.toSend = outbox.count
        progress.toReceive = inbox.expected.remaining
        progress.reconciled = true
        // Replies the initiator waited for (sync.md §4.4): its last message travels with its first changes.
        progress.roundTrips = (reconcileMessages.values.max() ?? 0) / 2
    }

    /// Sends what the outbox has room for now (`ChangeOutbox`).
    private mutating func pump() throws(SyncError) {
        let (messages, bytes, needs) = try outbox.pump(source, limits)
        outgoing += messages
        progress.changeBytesSent += bytes
        if let needs { outputs.append(.load(needs)) }
    }

    private mutating func accept(batch: UInt64, encoded: [[UInt8]]) throws(SyncError) {
        let taken = try inbox.take(
            batch: batch, encoded: encoded, received: progress.receivedChanges, refusing: progress.refusedToPeer != nil,
            limits: limits, bytesReceived: &progress.changeBytesReceived)
        switch taken {
        case .dropped: break
        case .refuse: refuse(batch: batch, count: encoded.count, because: progress.refusedToPeer!)
        case .store: outputs.append(.store(batch: batch, encoded: encoded))
        }
    }

    private mutating func finishIfComplete(_ now: UInt64) {
        guard phase == .transferring, outbox.isDone, inbox.isComplete else { return }
        phase = .finished
        progress.durationMs = now &- startedAt
        progress.toReceive = progress.receivedChanges + inbox.expected.remaining
    }

    // MARK: - Plumbing

    private mutating func emit(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        progress.bytesSent += bytes.count
        outputs.append(.send(bytes))
    }

    private mutating func run(_ now: UInt64, _ body: (inout SyncSession) throws(SyncError) -> Void) -> [SyncOutput] {
        guard !isOver else { return [] }
        do {
            try body(&self)
            if phase == .transferring { try pump() }
            finishIfComplete(now)
            try flush()
            if phase == .finished { outputs.append(.finished(progress)) }
        } catch {
            fail(error, now)
        }
        defer { outputs = [] }
        return outputs
    }

    private mutating func flush() throws(SyncError) {
        guard !outgoing.isEmpty else { return }
        let messages = outgoing
        outgoing = []
        emit(try channel.seal(messages))
    }

    private mutating func fail(_ error: SyncError, _ now: UInt64) {
        outgoing = []
        // Batches accepted before the failure are still stored (each was checked on its own, the store
        // verifies it again); they are not acknowledged, so the peer simply re-offers them next time.
        outputs = outputs.filter {
            switch $0 {
            case .send, .store: return true
            case .finished, .failed, .vouch, .desk, .load: return false
            }
        }
        switch error {
        case .peerAborted, .connectionClosed, .decryptFailed, .handshakeFailed, .unsupportedVersion:
            break
        default:
            if channel.isEstablished,
                let bytes = try? channel.seal([SyncMessage.abort(code: error.code, reason: error.abortReason).encoded()])
            {
                emit(bytes)
            }
        }
        phase = .failed
        progress.durationMs = now &- startedAt
        outputs.append(.failed(error))
    }
}
