import BaoxueCore
import BaoxuePostgres
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTransport
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// One relay process of a cluster that shares its log in PostgreSQL: any process serves any device,
/// each witnesses with its own key what it stores first, and a device that loses one process
/// resumes through another (docs/postgres.md).
///
/// With an authority pinned, its store passes every batch through the trust gate (`ClusterStore.trust`),
/// as `Relay` does, so changes by revoked or uncertified authors are quarantined, and it keeps the
/// enrollment desk in the shared database (`ClusterDesk`): a request left at one process is decided
/// and collected at any other. Sessions are admitted by
/// the same policy (certificates checked at the handshake) and limits; `/metrics` and `/health`
/// are served as `Relay` serves them, from figures read in the background (`ClusterFigures`). With
/// `--upstream`, each process syncs the shared log with the relay above as a SQLite relay does
/// (`Upstream` over `ClusterStore`): what comes down is verified, gated and witnessed like a device's batch.
///
/// Invariant: a device is acknowledged a batch only after the PostgreSQL transaction that stored it
/// and its receipt committed (`ClusterStore`).
public final class ClusterRelay: Sendable {
    public let port: Int
    public let store: ClusterStore
    public let registry: RelayRegistry
    /// Where `/metrics` and `/health` are served, if anywhere.
    public let metricsPort: Int?
    private let server: SyncServer
    private let metricsServer: MetricsServer?
    private let report: RelayReport
    /// This process's sync with the relay above, if any.
    public let upstream: Upstream?
    private let refresher: Task<Void, Never>
    private let reader: Task<Void, Never>
    /// The database client's run task, if this relay owns it: cancelled last at shutdown.
    private let database: Task<Void, Never>?
    private let logger: Logger
    private let stopping = NIOLockedValueBox<Task<Void, Never>?>(nil)

    private init(
        port: Int, store: ClusterStore, registry: RelayRegistry, server: SyncServer, metricsServer: MetricsServer?,
        report: RelayReport, upstream: Upstream?, tasks: (refresher: Task<Void, Never>, reader: Task<Void, Never>),
        database: Task<Void, Never>?, logger: Logger
    ) {
        self.upstream = upstream
        self.database = database
        self.metricsServer = metricsServer
        metricsPort = metricsServer?.port
        self.report = report
        reader = tasks.reader
        self.port = port
        self.store = store
        self.registry = registry
        self.server = server
        refresher = tasks.refresher
        self.logger = logger
    }

    /// What `/health` and `/metrics` report now.
    public func snapshot() -> RelaySnapshot { report.snapshot() }

    /// Loads every scope's reconciliation set, then listens. `refreshMs`: how often it catches up
    /// with what the other processes stored (a session started meanwhile misses at most that much,
    /// which its device gets next time). `figuresMs`: how often the figures `/metrics` reports are read.
    public static func start(
        key: DeviceKey, store: ClusterStore, policy: @escaping @Sendable () -> SyncPolicy, certificates: [[UInt8]] = [],
        vouch: SyncPolicy.Vouch? = nil, configuration c: Relay.Configuration, refreshMs: UInt64 = 250, figuresMs: UInt64 = 2_000,
        database: Task<Void, Never>? = nil, logger: Logger = Logger(label: "baoxue.relay")
    ) async throws(SyncError) -> ClusterRelay {
        do { try await store.refresh() } catch { throw ClusterStore.syncError(error) }
        let registry = RelayRegistry(limits: c.limits)
        let throttle = LogThrottle()
        let journal = PostgresSessionJournal(log: store.log)
        let sockets = c.socketLimits
        let policies = PolicyCache(load: policy)
        let desk = store.trust.map { Self.desk(ClusterDesk(store: store, trust: $0)) }
        var limits = c.sessionLimits
        limits.servesDesk = desk != nil
        let syncLimits = limits
        let server = try await SyncServer.start(
            host: c.host, port: c.port, limits: sockets, guard: registry,
            makeEndpoint: { now throws(SyncError) in
                let session = try SyncSession(
                    role: .responder, key: key, policy: policies.current(), source: store, limits: syncLimits, now: now,
                    certificates: certificates)
                return SyncEndpoint(session: session, storage: .submitted(store), loader: store, vouch: vouch, desk: desk)
            },
            onSession: { end in
                Relay.log(end, logger, throttle)
                let outcome: String
                switch end.result {
                case .success(let s): outcome = s.refusedToPeer.map(\.abortReason) ?? "ok"
                case .failure(let e): outcome = e.abortReason
                }
                let entry = PostgresSessionJournal.Entry(
                    device: end.progress.peer, address: end.address, durationMs: end.progress.durationMs,
                    received: end.progress.receivedChanges, sent: end.progress.sentChanges, outcome: outcome,
                    seenBelow: store.finishedBelow)
                Task { try? await journal.record(entry, relay: key.publicKey) }
            },
            onRefused: { _, _ in registry.refusedAtAccept() })
        let refresher = Task {
            var failures = 0
            while !Task.isCancelled {
                // Backs off while the database is away (up to 5 s), and says so once per outage.
                let wait = failures == 0 ? refreshMs : min(5_000, refreshMs << min(failures, 5))
                try? await Task.sleep(for: .milliseconds(wait))
                do {
                    try await store.refresh()
                    if failures > 0 { logger.notice("database reachable again", metadata: ["after_failures": "\(failures)"]) }
                    failures = 0
                } catch {
                    if failures == 0 { logger.error("cannot read the shared log", metadata: ["error": "\(error)"]) }
                    failures += 1
                }
            }
        }
        let figures = ClusterFigures(quota: store.quota)
        await figures.read(from: store.log)
        let reader = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(figuresMs))
                await figures.read(from: store.log)
            }
        }
        let upstream = c.upstream.map {
            Upstream(
                host: $0.host, port: $0.port, key: key, store: store, policy: policies, certificates: certificates, vouch: vouch,
                intervalMs: c.upstreamIntervalMs, alarmMs: c.upstreamAlarmMs, logger: logger)
        }
        let report = RelayReport(store: figures, registry: registry, upstream: upstream)
        var metrics: MetricsServer?
        if let m = c.metrics {
            do {
                metrics = try await MetricsServer.start(host: m.host, port: m.port, report: report)
            } catch {
                reader.cancel()
                refresher.cancel()
                await server.stop()
                throw .store(error.message)
            }
        }
        upstream?.start()
        logger.info(
            "relay listening",
            metadata: [
                "port": "\(server.port)", "device": "\(key.publicKey.fingerprint.text)", "store": "postgresql",
                "metrics_port": "\(metrics.map { "\($0.port)" } ?? "none")",
            ])
        return ClusterRelay(
            port: server.port, store: store, registry: registry, server: server, metricsServer: metrics, report: report,
            upstream: upstream, tasks: (refresher, reader), database: database, logger: logger)
    }

    /// The desk as sessions ask it: each question answered in a task of its own (one transaction).
    private static func desk(_ desk: ClusterDesk) -> SyncEndpoint.DeskAnswers {
        .later { peer, known, question, answer in
            Task { answer(await desk.answer(question, from: peer, known: known, at: ChangeLog.systemClock())) }
        }
    }

    /// Stops accepting, lets sessions in flight finish (at most `graceMs`), stops catching up.
    public func shutdown(graceMs: UInt64 = 10_000) async {
        let task = stopping.withLockedValue { t -> Task<Void, Never> in
            if let t { return t }
            let started = Task {
                await self.server.stopAccepting()
                await self.upstream?.stop()
                _ = await self.server.drain(graceMs: graceMs)
                await self.server.stop()
                await self.metricsServer?.stop()
                self.refresher.cancel()
                self.reader.cancel()
                await self.refresher.value
                await self.reader.value
                self.database?.cancel()
                self.logger.info("relay stopped")
            }
            t = started
            return started
        }
        await task.value
    }
}

extension ClusterRelay: Service {
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
