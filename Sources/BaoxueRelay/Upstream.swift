import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTransport
import Dispatch
import Logging
import NIOConcurrencyHelpers

/// Keeps a relay in sync with the relay above it (township → district), in
/// both directions: a sync every interval, and after a failure a retry with
/// exponential backoff (1 s doubling to 5 min, ±20 % jitter). The relay keeps
/// serving its devices whatever happens upstream.
public final class Upstream: Sendable {
    /// What the last attempts gave, for `/health` and `relay status`.
    public struct State: Sendable, Equatable {
        public var lastSuccessMs: UInt64?
        public var lastError: String?
        public var consecutiveFailures = 0
        public var changesIn = 0
        public var changesOut = 0
    }

    public static let maxBackoffMs: UInt64 = 300_000

    private let host: String
    private let port: Int
    private let key: DeviceKey
    /// The relay's store: SQLite with its one appender, or a cluster's shared database.
    private let store: any UpstreamStore
    private let policy: PolicyCache
    private let certificates: [[UInt8]]
    private let vouch: SyncPolicy.Vouch?
    private let intervalMs: UInt64
    /// No success for this long is an alarm (`/health`: `upstream_unreachable`).
    private let alarmMs: UInt64
    /// When the relay began syncing upstream (wall-clock ms): the alarm's origin until a first success.
    private let startedMs = ChangeLog.systemClock()
    private let logger: Logger
    private let box = NIOLockedValueBox(State())
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(
        host: String, port: Int, key: DeviceKey, store: any UpstreamStore, policy: PolicyCache,
        certificates: [[UInt8]], vouch: SyncPolicy.Vouch?, intervalMs: UInt64, alarmMs: UInt64, logger: Logger
    ) {
        self.store = store
        self.certificates = certificates
        self.vouch = vouch
        self.host = host
        self.port = port
        self.key = key
        self.policy = policy
        self.intervalMs = intervalMs
        self.alarmMs = alarmMs
        self.logger = logger
    }

    public var state: State { box.withLockedValue { $0 } }

    /// True when the last success (or the start, if none yet) is older than the alarm.
    public func isUnreachable(now: UInt64) -> Bool {
        let since = state.lastSuccessMs ?? startedMs
        return now > since && now - since > alarmMs
    }

    /// The wait after `failures` consecutive failures (0: the regular interval), before jitter.
    public static func backoff(failures: Int, intervalMs: UInt64) -> UInt64 {
        guard failures > 0 else { return intervalMs }
        return min(maxBackoffMs, 1_000 << UInt64(min(failures - 1, 20)))
    }

    func start() {
        let t = Task.detached { [self] in
            var rng = SystemRandomNumberGenerator()
            while !Task.isCancelled {
                let failures = await self.once()
                let base = Self.backoff(failures: failures, intervalMs: self.intervalMs)
                let jitter = Double.random(in: 0.8...1.2, using: &rng)
                try? await Task.sleep(nanoseconds: UInt64(Double(base) * jitter) * 1_000_000)
            }
        }
        task.withLockedValue { $0 = t }
    }

    /// Cancels the loop (a sync in flight hangs up, losing nothing acknowledged) and waits for it to end.
    func stop() async {
        guard let t = task.withLockedValue({ $0 }) else { return }
        t.cancel()
        await t.value
    }

    /// One sync with the upstream relay; returns the consecutive failures so far.
    private func once() async -> Int {
        do throws(SyncError) {
            var scopes = Set(try store.upstreamScopes())
            scopes.insert(.admin)
            let endpoint = try store.upstreamEndpoint(
                key: key, policy: policy.current(), scopes: scopes.sorted(), now: DispatchTime.now().uptimeNanoseconds / 1_000_000,
                certificates: certificates, vouch: vouch)
            let summary = try await SyncClient.sync(host: host, port: port, endpoint: endpoint)
            logger.info("upstream synced", metadata: ["in": "\(summary.receivedChanges)", "out": "\(summary.sentChanges)"])
            if let refused = summary.refusedByPeer {
                logger.warning("upstream refused our changes", metadata: ["reason": "\(refused)", "not_sent": "\(summary.notSent)"])
            }
            return box.withLockedValue { s in
                s.lastSuccessMs = ChangeLog.systemClock()
                s.lastError = nil
                s.consecutiveFailures = 0
                s.changesIn += summary.receivedChanges
                s.changesOut += summary.sentChanges
                return 0
            }
        } catch {
            logger.warning("upstream sync failed", metadata: ["error": "\(error.abortReason)", "upstream": "\(host):\(port)"])
            return box.withLockedValue { s in
                s.lastError = error.abortReason
                s.consecutiveFailures += 1
                return s.consecutiveFailures
            }
        }
    }
}
