import BaoxueCore
import BaoxueStore
import BaoxueSync

/// One side of a sync: a session driven against a store. Store requests
/// are carried out at once (verify, append, commit with synchronous=FULL)
/// and only then acknowledged; what remains is bytes for the transport.
///
/// Invariant: `result` is set exactly once, when the session ends.
public struct SyncEndpoint: Sendable {
    public private(set) var session: SyncSession
    public let store: any ChangeStore
    public private(set) var result: Result<SyncSummary, SyncError>?

    public init(session: SyncSession, store: any ChangeStore) {
        self.session = session
        self.store = store
    }

    /// An endpoint for `replica`'s log with the default limits.
    public static func make(
        role: SyncRole, key: DeviceKey, store: any ChangeStore, policy: SyncPolicy,
        scopes: [ScopeID] = [], limits: SyncLimits = SyncLimits(), now: UInt64
    ) throws(SyncError) -> SyncEndpoint {
        let session = try SyncSession(
            role: role == .initiator ? .initiator : .responder, key: key, policy: policy,
            scopes: scopes, source: StoreSyncSource(store), limits: limits, now: now
        )
        return SyncEndpoint(session: session, store: store)
    }

    public var isOver: Bool { result != nil }
    public var progress: SyncSummary { session.progress }

    public mutating func start(now: UInt64) -> [UInt8] { perform(session.start(now: now), now) }
    public mutating func receive(_ bytes: [UInt8], now: UInt64) -> [UInt8] { perform(session.receive(bytes, now: now), now) }
    public mutating func tick(now: UInt64) -> [UInt8] { perform(session.tick(now: now), now) }
    public mutating func closed(now: UInt64) { _ = perform(session.connectionClosed(now: now), now) }

    private mutating func perform(_ outputs: [SyncOutput], _ now: UInt64) -> [UInt8] {
        var send: [UInt8] = []
        var queue = outputs[...]
        while let output = queue.popFirst() {
            switch output {
            case .send(let bytes):
                send += bytes
            case .store(let batch, let encoded):
                let stored: Result<Int, SyncError>
                do {
                    let report = try store.append(encoded: encoded)
                    stored = .success(report.inserted + report.duplicates)
                } catch {
                    if case .invalidChange(let index, let why) = error {
                        stored = .failure(.invalidChange("change \(index): \(why.code)"))
                    } else {
                        stored = .failure(.store("\(error)"))
                    }
                }
                queue += session.stored(batch: batch, result: stored, now: now)
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
