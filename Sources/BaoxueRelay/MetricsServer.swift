import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus

/// The relay's operations endpoint: `GET /metrics` (Prometheus text format)
/// and `GET /health` (JSON: 200 when the store answers, 503 otherwise).
/// Bind it to loopback or the office LAN; it carries counts, no personal data.
final class MetricsServer: Sendable {
    private let channel: any Channel
    let port: Int

    private init(channel: any Channel) {
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    static func start(host: String, port: Int, report: RelayReport) async throws(SyncErrorBridge) -> MetricsServer {
        let exposition = Exposition()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(MetricsHandler(report: report, exposition: exposition))
                }
            }
        do {
            return MetricsServer(channel: try await bootstrap.bind(host: host, port: port).get())
        } catch {
            throw SyncErrorBridge(message: "cannot listen on \(host):\(port) for metrics: \(error)")
        }
    }

    func stop() async { try? await channel.close() }
}

/// A failure to start the metrics endpoint (the relay reports it as a store error).
struct SyncErrorBridge: Error { let message: String }

/// Turns snapshots into Prometheus metrics; counters advance by the difference since the last scrape.
/// (`@unchecked Sendable`: `last` and the lazily made gauges are touched only under `lock`.)
package final class Exposition: @unchecked Sendable {
    package init() {}

    private let lock = NSLock()
    private let registry = PrometheusCollectorRegistry()
    private var last = RelaySnapshot()
    private func gauge(_ name: String, _ help: String) -> Gauge {
        registry.makeGauge(descriptor: .init(namespace: "baoxue", subsystem: "relay", metricName: name, unitName: "", helpText: help))
    }

    private func counter(_ name: String, _ help: String) -> Counter {
        registry.makeCounter(
            descriptor: .init(namespace: "baoxue", subsystem: "relay", metricName: name, unitName: "total", helpText: help))
    }

    private lazy var gauges: [(KeyPath<RelaySnapshot, Int>, Gauge)] = [
        (\.changes, gauge("changes", "Changes stored (any state).")),
        (\.quarantined, gauge("quarantined", "Changes quarantined.")),
        (\.pending, gauge("pending", "Changes waiting for deps.")),
        (\.equivocations, gauge("equivocations", "Devices caught signing two changes with one seq.")),
        (\.activeSessions, gauge("active_sessions", "Sync sessions in progress.")),
        (\.waitingSessions, gauge("waiting_sessions", "Identified sessions waiting for a slot.")),
    ]
    private lazy var counters: [(KeyPath<RelaySnapshot, Int>, Counter)] = [
        (\.sessions, counter("sessions", "Sync sessions ended.")),
        (\.failedSessions, counter("failed_sessions", "Sync sessions that failed.")),
        (\.refusedSessions, counter("refused", "Sessions ended by a limit.")),
        (\.queuedSessions, counter("queued", "Sessions that waited for a slot.")),
        (\.changesIn, counter("changes_received", "Changes received from devices.")),
        (\.changesOut, counter("changes_sent", "Changes sent to devices.")),
        (\.bytesIn, counter("bytes_received", "Bytes received.")),
        (\.bytesOut, counter("bytes_sent", "Bytes sent.")),
    ]
    private lazy var disk = gauge("disk_bytes", "Database size on disk.")
    /// A cluster process's counters, made at its first scrape (a SQLite relay has none).
    private lazy var database: [(KeyPath<RelaySnapshot, Int?>, Counter)] = [
        (\.databaseCommits, counter("database_commits", "Transactions on the shared database that committed.")),
        (\.databaseReruns, counter("database_reruns", "Transactions aborted for a conflict with another relay process and run again.")),
    ]

    func text(_ s: RelaySnapshot) -> String {
        lock.lock()
        defer { lock.unlock() }
        for (path, gauge) in gauges { gauge.set(Double(s[keyPath: path])) }
        for (path, counter) in counters where s[keyPath: path] > last[keyPath: path] {
            counter.increment(by: Int64(s[keyPath: path] - last[keyPath: path]))
        }
        if s.databaseCommits != nil {
            for (path, counter) in database {
                let (now, before) = (s[keyPath: path] ?? 0, last[keyPath: path] ?? 0)
                // Touched at 0 too, so the series exists before the first conflict.
                counter.increment(by: Int64(max(0, now - before)))
            }
        }
        disk.set(Double(s.diskBytes))
        last = s
        return registry.emitToString()
    }
}

/// Answers one HTTP request per connection with `/metrics` or `/health`, then closes.
///
/// The snapshot reads the store, so it is taken on a queue of its own, off the event loop the sync
/// connections share, and the answer is written back on the loop; `inline` takes it on the loop
/// instead, for `EmbeddedChannel` tests. (`@unchecked Sendable`: `path` and `answered` are touched only on the loop.)
package final class MetricsHandler: ChannelInboundHandler, @unchecked Sendable {
    package typealias InboundIn = HTTPServerRequestPart
    package typealias OutboundOut = HTTPServerResponsePart

    private let report: RelayReport
    private let exposition: Exposition
    private let inline: Bool
    private var path = ""
    /// The one answer a connection gets was given (it says `Connection: close`): pipelined requests after it are ignored.
    private var answered = false

    package init(report: RelayReport, exposition: Exposition, inline: Bool = false) {
        self.report = report
        self.exposition = exposition
        self.inline = inline
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): path = head.method == .GET ? head.uri : ""
        case .body: break
        case .end:
            guard !answered else { return }
            answered = true
            respond(context)
        }
    }

    /// Snapshots read the store: they are taken off the event loop, which the sync connections share.
    private static let snapshots = DispatchQueue(label: "baoxue.relay.metrics")

    private func respond(_ context: ChannelHandlerContext) {
        let path = path
        let report = report
        let exposition = exposition
        if inline {
            let (status, type, body) = Self.response(path: path, report: report, exposition: exposition)
            write(context, status: status, type: type, body: body)
            return
        }
        let loop = context.eventLoop
        let bound = NIOLoopBound(context, eventLoop: loop)
        Self.snapshots.async {
            let (status, type, body) = Self.response(path: path, report: report, exposition: exposition)
            loop.execute { self.write(bound.value, status: status, type: type, body: body) }
        }
    }

    private static func response(path: String, report: RelayReport, exposition: Exposition) -> (HTTPResponseStatus, String, String) {
        var status = HTTPResponseStatus.ok
        var type = "text/plain; version=0.0.4"
        var body: String
        switch path {
        case "/metrics":
            body = exposition.text(report.snapshot())
        case "/health":
            let s = report.snapshot()
            status = s.status == "ok" ? .ok : .serviceUnavailable
            type = "application/json"
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            body = String(decoding: (try? encoder.encode(s)) ?? Data("{}".utf8), as: UTF8.self)
        default:
            status = .notFound
            body = "not found: try /metrics or /health\n"
        }
        return (status, type, body)
    }

    private func write(_ context: ChannelHandlerContext, status: HTTPResponseStatus, type: String, body: String) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
