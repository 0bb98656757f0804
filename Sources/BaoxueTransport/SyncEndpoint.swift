import BaoxueCore
import BaoxueStore
import BaoxueSync

/// One side of a sync: a session driven against a store. Store requests
/// are carried out at once (verify, append, commit with synchronous=FULL)
/// and only then acknowledged; what remains is bytes for the transport.
///
/// Invariant: `result` is set exactly once, when the session ends.
public struct SyncEndpoint: Sendable {
    /// Stores one received batch durably, whole or not at all; returns how many changes it holds.
    public typealias BatchSink = @Sendable ([[UInt8]]) -> Result<Int, SyncError>

    /// How received batches reach the store.
    public enum Storage: Sendable {
        /// Stored before the call returns (simulator, tests).
        case immediate(BatchSink)
        /// Handed to a streaming appender; `onStored` hears when each batch is durable.
        case pipelined(StreamingAppender)
        /// Handed to another store that answers later (a PostgreSQL cluster); `onStored` hears as above.
        case submitted(any BatchPipeline)
    }

    public private(set) var session: SyncSession
    private let storage: Storage
    /// Answers the session's `.vouch`: judges certificates a peer not on the list presented.
    private let vouch: SyncPolicy.Vouch?
    /// Answers the enrollment desk's questions (a relay): the reply, or the error that ends the session.
    public typealias Desk = @Sendable (_ peer: PublicKey, _ known: Bool, _ question: DeskMessage) -> Result<DeskMessage, SyncError>
    /// Who answers the desk: at once (a relay on SQLite, tests), or later (a store that answers
    /// asynchronously, a PostgreSQL cluster), calling its last argument once, on any thread; the answer
    /// then reaches `onAnswered`.
    public enum DeskAnswers: Sendable {
        case now(Desk)
        case later(
            @Sendable (
                _ peer: PublicKey, _ known: Bool, _ question: DeskMessage,
                _ answer: @escaping @Sendable (Result<DeskMessage, SyncError>) -> Void
            ) -> Void)
    }
    private let desk: DeskAnswers?
    /// With a `.later` desk: called (on any thread) with the desk's answer; the owner must then call
    /// `answered(_:now:)` on its own serial context.
    public var onAnswered: (@Sendable (Result<DeskMessage, SyncError>) -> Void)?
    /// With `.pipelined` storage: called (on the appender's thread) once a batch is stored or
    /// refused; the owner must then call `stored(batch:result:now:)` on its own serial context.
    public var onStored: (@Sendable (UInt64, Result<Int, SyncError>) -> Void)?
    /// Reads bytes for a session whose source loads later; its answer reaches `onLoaded`.
    private let loader: (any ChangeLoader)?
    /// Called (on the loader's thread) with bytes `loader` read; the owner must then call
    /// `loaded(_:now:)` on its own serial context.
    public var onLoaded: (@Sendable (Result<[[UInt8]], SyncError>) -> Void)?
    public private(set) var result: Result<SyncSummary, SyncError>?
    /// This session's batches in the shared appender: after one fails, none later is stored.
    private let chain = AppendChain()

    public init(
        session: SyncSession, storage: Storage, loader: (any ChangeLoader)? = nil, vouch: SyncPolicy.Vouch? = nil,
        desk: DeskAnswers? = nil
    ) {
        self.session = session
        self.storage = storage
        self.loader = loader
        self.vouch = vouch
        self.desk = desk
    }

    public init(session: SyncSession, sink: @escaping BatchSink, vouch: SyncPolicy.Vouch? = nil, desk: Desk? = nil) {
        self.init(session: session, storage: .immediate(sink), vouch: vouch, desk: desk.map(DeskAnswers.now))
    }

    public init(session: SyncSession, store: any ChangeStore, vouch: SyncPolicy.Vouch? = nil, desk: Desk? = nil) {
        self.init(session: session, sink: { encoded in Self.append(encoded, to: store) }, vouch: vouch, desk: desk)
    }

    static func outcome(_ r: Result<AppendReport, StoreError>) -> Result<Int, SyncError> {
        switch r {
        case .success(let report): return .success(report.inserted + report.duplicates)
        case .failure(.invalidChange(let index, let why)): return .failure(.invalidChange("change \(index): \(why.code)"))
        // A full disk or quota: nothing was stored; the peer is told plainly and keeps its changes for later.
        case .failure(let error) where error.isDiskFull: return .failure(.diskFull)
        case .failure(let error): return .failure(.store("\(error)"))
        }
    }

    /// Verifies and appends a batch in one transaction (the store commits with synchronous=FULL).
    static func append(_ encoded: [[UInt8]], to store: any ChangeStore) -> Result<Int, SyncError> {
        guard store.isDurable else { return outcome(.failure(.notDurable)) }
        return outcome(Result { () throws(StoreError) in try store.append(encoded: encoded) })
    }

    /// An endpoint over a store; with `pipelined`, received batches go through a
    /// `StreamingAppender` (verify the next batch while the last one commits).
    public static func make(
        role: SyncRole, key: DeviceKey, store: any ChangeStore, policy: SyncPolicy,
        scopes: [ScopeID] = [], limits: SyncLimits = SyncLimits(), now: UInt64, pipelined: StreamingAppender? = nil,
        certificates: [[UInt8]] = [], vouch: SyncPolicy.Vouch? = nil, question: DeskMessage? = nil, desk: Desk? = nil
    ) throws(SyncError) -> SyncEndpoint {
        var limits = limits
        limits.servesDesk = desk != nil
        let session = try SyncSession(
            role: role == .initiator ? .initiator : .responder, key: key, policy: policy,
            scopes: scopes, source: StoreSyncSource(store), limits: limits, now: now, certificates: certificates, desk: question
        )
        if let pipelined {
            return SyncEndpoint(session: session, storage: .pipelined(pipelined), vouch: vouch, desk: desk.map(DeskAnswers.now))
        }
        return SyncEndpoint(session: session, store: store, vouch: vouch, desk: desk)
    }

    /// A pipelined store finished batch `batch`.
    public mutating func stored(batch: UInt64, result: Result<Int, SyncError>, now: UInt64) -> [UInt8] {
        perform(session.stored(batch: batch, result: result, now: now), now)
    }

    /// The loader answered.
    public mutating func loaded(_ result: Result<[[UInt8]], SyncError>, now: UInt64) -> [UInt8] {
        perform(session.loaded(result, now: now), now)
    }

    /// The later desk answered.
    public mutating func answered(_ result: Result<DeskMessage, SyncError>, now: UInt64) -> [UInt8] {
        perform(reply(result, now: now), now)
    }

    /// The session's next step with the desk's answer: the reply goes out, or the refusal ends the session.
    private mutating func reply(_ result: Result<DeskMessage, SyncError>, now: UInt64) -> [SyncOutput] {
        switch result {
        case .success(let reply): session.answered(reply, now: now)
        case .failure(let error): session.abort(error, now: now)
        }
    }

    public var isOver: Bool { result != nil }
    /// The shared appender has a long queue: stop reading from the peer for now.
    public var storageIsBusy: Bool {
        switch storage {
        case .pipelined(let appender): appender.isBusy
        case .submitted(let pipeline): pipeline.isBusy
        case .immediate: false
        }
    }
    public var progress: SyncSummary { session.progress }

    public mutating func start(now: UInt64) -> [UInt8] { perform(session.start(now: now), now) }
    public mutating func receive(_ bytes: [UInt8], now: UInt64) -> [UInt8] { perform(session.receive(bytes, now: now), now) }
    public mutating func tick(now: UInt64) -> [UInt8] { perform(session.tick(now: now), now) }
    public mutating func closed(now: UInt64) { _ = perform(session.connectionClosed(now: now), now) }
    /// Ends the session with ABORT (a limit, a shutdown); returns the bytes to send.
    public mutating func abort(_ error: SyncError, now: UInt64) -> [UInt8] { perform(session.abort(error, now: now), now) }

    private mutating func perform(_ outputs: [SyncOutput], _ now: UInt64) -> [UInt8] {
        var send: [UInt8] = []
        var queue = outputs[...]
        while let output = queue.popFirst() {
            switch output {
            case .send(let bytes):
                send += bytes
            case .store(let batch, let encoded):
                switch storage {
                case .immediate(let sink):
                    // A batch accepted before an earlier one was refused is not stored either.
                    let result = session.isRefusing ? .failure(.store("not stored after a refused batch")) : sink(encoded)
                    queue += session.stored(batch: batch, result: result, now: now)
                case .pipelined(let appender):
                    // Acknowledged only from a commit that survives a power cut, as with `append`.
                    guard appender.log.isDurable else {
                        queue += session.stored(batch: batch, result: Self.outcome(.failure(.notDurable)), now: now)
                        continue
                    }
                    let notify = onStored
                    appender.submit(encoded, chain: chain) { notify?(batch, Self.outcome($0)) }
                case .submitted(let pipeline):
                    let notify = onStored
                    pipeline.submit(encoded, chain: chain) { notify?(batch, $0) }
                }
            case .load(let ids):
                guard let loader else {
                    queue += session.loaded(.failure(.store("this side cannot load changes later")), now: now)
                    continue
                }
                let notify = onLoaded
                loader.load(ids) { notify?($0) }
            case .vouch(let peer, let certificates):
                queue += session.vouched(vouch?(peer, certificates), now: now)
            case .desk(let peer, let known, let question):
                switch desk {
                case .now(let answer)?: queue += reply(answer(peer, known, question), now: now)
                case .later(let answer)?:
                    let notify = onAnswered
                    answer(peer, known, question) { notify?($0) }
                case nil: queue += session.abort(.unexpectedMessage(type: question.kind.rawValue), now: now)
                }
            case .finished(let summary):
                result = .success(summary)
            case .failed(let error):
                result = .failure(error)
            }
        }
        return send
    }
}

/// Which side opened the connection.
public enum SyncRole: Sendable { case initiator, responder }
