import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTransport
import Dispatch
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A township (or district) relay: an always-on replica that serves many
/// devices at once over the sync protocol, witnesses what it stores first,
/// keeps itself in sync with an upstream relay, and reports its state.
///
/// Its life: `start` returns it serving; `shutdown` (or, run as a swift-service-lifecycle `Service`,
/// a graceful-shutdown signal) stops accepting, waits for sessions in flight up to a grace period,
/// stops the upstream loop and awaits it, records activity and closes — once, however often asked.
///
/// Invariant: every change a device saw acknowledged was committed with
/// synchronous=FULL together with the relay's receipt for it. (Unchecked
/// Sendable: the flush timer is only cancelled, once, by `shutdown`.)
public final class Relay: @unchecked Sendable {
    /// Where the relay is in its life; `shutdown` moves it forward only.
    public enum Stage: Sendable, Equatable { case serving, stopping, stopped }
    /// How the relay runs.
    public struct Configuration: Sendable {
        public var host = "0.0.0.0"
        public var port = 7700
        public var limits = RelayLimits()
        /// Another relay to stay in sync with (a township's district), if any.
        public var upstream: (host: String, port: Int)?
        public var upstreamIntervalMs: UInt64 = 30_000
        /// No upstream sync for this long makes `/health` report `upstream_unreachable`.
        public var upstreamAlarmMs: UInt64 = 600_000
        /// Sockets one address may hold before their handshakes complete.
        public var handshakesPerAddress = 64
        /// The process's open-file limit (`OpenFileLimit.raiseToHard()`, which only executables
        /// call): sockets are capped below it, keeping descriptors for the database.
        public var openFileLimit: UInt64 = 1_024
        /// Where `/metrics` and `/health` are served, if anywhere.
        public var metrics: (host: String, port: Int)?
        /// How long a connection may stay silent after its handshake.
        public var idleTimeoutMs: UInt64 = 60_000
        /// How often per-device activity is written to the store.
        public var flushIntervalMs = 1_000
        public init() {}

        /// What every connection's session may do. Memory per connection, times thousands: two
        /// batches in flight, 128 changes read at a time.
        var sessionLimits: SyncLimits {
            var l = SyncLimits()
            l.maxChangesPerSession = limits.changesPerSession
            l.idleTimeoutMs = idleTimeoutMs
            l.sendWindow = 2
            l.batchChanges = 128
            l.batchBytes = 32 << 10
            return l
        }

        /// Sockets, capped below the open-file limit (descriptors kept for the database).
        var socketLimits: ConnectionLimits {
            ConnectionLimits(
                maxOpen: OpenFileLimit.sockets(wanted: limits.connections, under: openFileLimit), handshakesPerAddress: handshakesPerAddress
            )
        }
    }

    public let port: Int
    public let metricsPort: Int?
    public let registry: RelayRegistry
    public let log: ChangeLog
    private let server: SyncServer
    private let metricsServer: MetricsServer?
    private let upstream: Upstream?
    private let flushTimer: any DispatchSourceTimer
    private let report: RelayReport
    private let logger: Logger
    private let stageBox = NIOLockedValueBox(Stage.serving)
    /// The one shutdown, once asked for: every `shutdown` call awaits it.
    private let stopping = NIOLockedValueBox<Task<Void, Never>?>(nil)

    public var stage: Stage { stageBox.withLockedValue { $0 } }

    /// The counts `/health` shows (sessions, refusals by reason, disk, upstream), for the operator's page.
    public func snapshot() -> RelaySnapshot { report.snapshot() }

    private init(
        port: Int, metricsPort: Int?, registry: RelayRegistry, log: ChangeLog, server: SyncServer,
        metricsServer: MetricsServer?, upstream: Upstream?, flushTimer: any DispatchSourceTimer, logger: Logger
    ) {
        self.port = port
        self.metricsPort = metricsPort
        self.registry = registry
        self.log = log
        self.server = server
        self.metricsServer = metricsServer
        self.upstream = upstream
        self.flushTimer = flushTimer
        report = RelayReport(store: log, registry: registry, upstream: upstream)
        self.logger = logger
    }

    /// Starts serving. `log` must witness with `key` (`ChangeLog(…, witness: key)`);
    /// `policy` says who may sync which scopes (re-read once a certificate or revocation is stored, else every 2 s).
    public static func start(
        key: DeviceKey, log: ChangeLog, policy: @escaping @Sendable () -> SyncPolicy,
        certificates: [[UInt8]] = [], vouch: SyncPolicy.Vouch? = nil,
        configuration c: Configuration, logger: Logger = Logger(label: "baoxue.relay")
    ) async throws(SyncError) -> Relay {
        let registry = RelayRegistry(limits: c.limits, position: { (try? log.lastPosition()) ?? 0 })
        let throttle = LogThrottle()
        let sockets = c.socketLimits
        let policies = PolicyCache(load: policy, version: { (try? log.trustVersion()) ?? 0 })
        let syncLimits = c.sessionLimits
        // One appender for all connections: commits stay in arrival order on one writer.
        let appender = StreamingAppender(log: log)
        let desk = log.authority.map { Self.desk(EnrollmentDesk(authority: $0), log: log) }
        let server = try await SyncServer.start(
            host: c.host, port: c.port, limits: sockets, guard: registry,
            makeEndpoint: { now throws(SyncError) in
                try SyncEndpoint.make(
                    role: .responder, key: key, store: log, policy: policies.current(), limits: syncLimits,
                    now: now, pipelined: appender, certificates: certificates, vouch: vouch, desk: desk)
            },
            onSession: { end in Self.log(end, logger, throttle) },
            onRefused: { address, refusal in
                registry.refusedAtAccept()
                guard let held = throttle.admit("refused \(refusal.rawValue) \(address)", now: ChangeLog.systemClock()) else { return }
                logger.warning(
                    "connection refused at accept",
                    metadata: [
                        "limit": "\(refusal.rawValue)", "address": "\(address)", "held_back": "\(held)",
                        "max_open": "\(sockets.maxOpen)", "handshakes_per_address": "\(sockets.handshakesPerAddress)",
                    ])
            })
        let upstream = c.upstream.map {
            Upstream(
                host: $0.host, port: $0.port, key: key, store: AppendedLog(log: log, appender: appender), policy: policies,
                certificates: certificates,
                vouch: vouch,
                intervalMs: c.upstreamIntervalMs, alarmMs: c.upstreamAlarmMs, logger: logger)
        }
        let metrics: MetricsServer?
        if let m = c.metrics {
            do {
                metrics = try await MetricsServer.start(
                    host: m.host, port: m.port,
                    report: RelayReport(store: log, registry: registry, upstream: upstream))
            } catch {
                await server.stop()
                throw .store(error.message)
            }
        } else {
            metrics = nil
        }
        upstream?.start()
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "baoxue.relay.flush"))
        timer.schedule(deadline: .now() + .milliseconds(c.flushIntervalMs), repeating: .milliseconds(c.flushIntervalMs))
        timer.setEventHandler { Self.flush(registry, log, logger) }
        timer.resume()
        logger.info(
            "relay listening",
            metadata: [
                "port": "\(server.port)", "device": "\(key.publicKey.fingerprint.text)", "open_file_limit": "\(c.openFileLimit)",
                "max_sockets": "\(sockets.maxOpen)", "quota_bytes": "\(log.quota.map { "\($0.bytes)" } ?? "none")",
            ])
        return Relay(
            port: server.port, metricsPort: metrics?.port, registry: registry, log: log, server: server,
            metricsServer: metrics, upstream: upstream, flushTimer: timer, logger: logger)
    }

    /// The enrollment desk (sync.md §3.1) over the relay's database; a known peer's seat is its
    /// certificate valid now (role from the longest-running one, scopes from all that chain).
    static func desk(_ rules: EnrollmentDesk, log: ChangeLog) -> SyncEndpoint.Desk {
        { peer, known, question in
            let now = ChangeLog.systemClock()
            var seat: DeskSeat?
            if known, let cert = try? log.latestCertificate(of: peer), cert.isValid(at: now),
                let scopes = try? log.certifiedScopes(of: peer, at: now)
            {
                seat = DeskSeat(key: peer, role: cert.role, scopes: scopes.filter { $0 != .admin })
            }
            return Result { () throws(SyncError) in
                try rules.answer(question, from: peer, seat: seat, at: now, in: LogDeskStorage(log: log))
            }
        }
    }

    private static func flush(_ registry: RelayRegistry, _ log: ChangeLog, _ logger: Logger) {
        let activity = registry.drainActivity()
        do { try log.recordPeerActivity(activity) } catch {
            registry.storeFailed(diskFull: error.isDiskFull)
            logger.error("cannot record device activity", metadata: ["error": "\(error)"])
        }
    }

    /// One line per session: who (fingerprint once known), from where, what moved or why it
    /// failed (with the limit's name). Failures are throttled per kind, peer and address.
    static func log(_ end: SessionEnd, _ logger: Logger, _ throttle: LogThrottle) {
        let p = end.progress
        let peer = p.peer?.fingerprint.text ?? "-"
        switch end.result {
        case .success(let s):
            var metadata: Logger.Metadata = [
                "peer": "\(peer)", "address": "\(end.address)", "in": "\(s.receivedChanges)",
                "out": "\(s.sentChanges)", "ms": "\(s.durationMs)",
            ]
            if let refused = s.refusedToPeer {
                metadata["refused"] = "\(refused.abortReason)"
                metadata["not_stored"] = "\(s.notStored)"
            }
            if s.peerRevoked {
                logger.notice("revoked device: offered its revocation only, stored nothing", metadata: metadata)
            } else if s.refusedToPeer != nil {
                logger.warning("session: writes refused, reads served", metadata: metadata)
            } else {
                logger.info("session", metadata: metadata)
            }
        case .failure(let e):
            guard let held = throttle.admit("failed \(e.abortReason) \(peer) \(end.address)", now: ChangeLog.systemClock()) else { return }
            var metadata: Logger.Metadata = ["error": "\(e.abortReason)", "peer": "\(peer)", "address": "\(end.address)"]
            if held > 0 { metadata["held_back"] = "\(held)" }
            logger.notice("session failed", metadata: metadata)
        }
    }

    /// Stops accepting, lets sessions in flight finish (at most `graceMs`), records activity, stops.
    /// Sessions cut at the deadline lose nothing acknowledged: their devices resume next time.
    public func shutdown(graceMs: UInt64 = 10_000) async {
        let task = stopping.withLockedValue { t -> Task<Void, Never> in
            if let t { return t }
            stageBox.withLockedValue { $0 = .stopping }
            let started = Task { await self.stop(graceMs: graceMs) }
            t = started
            return started
        }
        await task.value
    }

    private func stop(graceMs: UInt64) async {
        logger.info("relay stopping", metadata: ["active": "\(registry.totals.active)"])
        await server.stopAccepting()
        async let upstreamStopped: Void? = upstream?.stop()
        let cut = await server.drain(graceMs: graceMs) ? 0 : server.openConnections
        await server.stop()
        _ = await upstreamStopped
        flushTimer.cancel()
        Self.flush(registry, log, logger)
        await metricsServer?.stop()
        stageBox.withLockedValue { $0 = .stopped }
        logger.info("relay stopped", metadata: ["sessions_cut": "\(cut)"])
    }
}

extension Relay: Service {
    /// Serves until a graceful shutdown is signalled (or the task is cancelled), then shuts down.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}

/// The sync policy, re-read when a certificate or revocation has been stored since (`version`), and
/// at most every 2 s otherwise (the peer list file): a revocation takes effect at the next
/// connection, and 5,000 connecting devices do not each rebuild every certificate chain.
final class PolicyCache: Sendable {
    private let load: @Sendable () -> SyncPolicy
    private let version: @Sendable () -> Int64
    private let cached = NIOLockedValueBox<(policy: SyncPolicy, at: UInt64, version: Int64)?>(nil)

    init(load: @escaping @Sendable () -> SyncPolicy, version: @escaping @Sendable () -> Int64 = { 0 }) {
        self.load = load
        self.version = version
    }

    func current() -> SyncPolicy {
        let now = DispatchTime.now().uptimeNanoseconds / 1_000_000
        let stored = version()
        if let c = cached.withLockedValue({ $0 }), now &- c.at < 2_000, c.version == stored { return c.policy }
        let fresh = load()
        cached.withLockedValue { $0 = (fresh, now, stored) }
        return fresh
    }
}
