import ArgumentParser
import BaoxueApp
import BaoxueRelay
import BaoxueWeb
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

struct RelayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "乡镇中继：常开的存储转发节点 / the township relay: an always-on store-and-forward peer",
        discussion: """
            准备：baoxue init --dir DIR；baoxue enroll request --dir DIR；教育局 baoxue authority sign --role relay；baoxue enroll accept --dir DIR。
            然后 baoxue relay serve --data DIR --listen 0.0.0.0:7700。运行中可用 baoxue relay status 与 baoxue relay backup。
            Setup: init, enroll request, have the bureau sign with --role relay, enroll accept; then relay serve.
            While it runs: relay status, relay backup.
            """,
        subcommands: [RelayServe.self, RelayStatus.self, RelayBackup.self]
    )
}

/// `--data DIR` (the relay's replica folder), as the relay commands name it; `--dir` works too.
struct RelayData: ParsableArguments {
    @Option(name: .long, help: "中继数据目录（同 --dir）/ the relay's replica folder (same as --dir)") var data: String?
    func directory(_ options: GlobalOptions) -> String { data ?? options.directory }
}

struct RelayServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "运行中继，直到收到 SIGTERM 或 Ctrl-C / run the relay until SIGTERM or Ctrl-C",
        discussion: """
            设备用 baoxue sync HOST:PORT 与中继同步。中继只接受持有效证书的设备，只给它证书范围内的数据，并为首次存下的每条变更签发见证回执。
            收到 SIGTERM 时停止接收新连接，进行中的同步最多再用 10 秒完成，然后退出。
            Devices sync with baoxue sync HOST:PORT. Only certified devices, only their scopes; each change stored first is witnessed.
            On SIGTERM: stop accepting, let sessions in flight finish (up to 10 s), exit.
            """
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var data: RelayData
    @Option(name: .long, help: "监听地址 HOST:PORT / address to listen on") var listen: String
    @Option(name: .long, help: "上级中继 HOST:PORT（双向同步，失败后退避重试）/ upstream relay, synced both ways") var upstream: String?
    @Option(name: .long, help: "上级同步间隔秒数 / seconds between upstream syncs") var upstreamInterval = 30
    @Option(name: .long, help: "指标与健康检查 HOST:PORT（/metrics、/health）/ metrics and health endpoint") var metrics: String?
    @Option(name: .long, help: "每台设备同时连接数上限 / connections per device") var maxConnectionsPerDevice = RelayLimits().connectionsPerDevice
    @Option(name: .long, help: "同时连接总数上限 / connections in all") var maxConnections = RelayLimits().connections
    @Option(name: .long, help: "同时进行的同步数上限，其余排队等候 / sessions served at once; the rest wait their turn") var maxSessions = RelayLimits()
        .sessionsInProgress
    @Option(name: .long, help: "排队最长秒数，超时告知设备稍后再试 / seconds a device may wait for its turn") var maxWait = Int(
        RelayLimits().admissionWaitMs / 1000)
    @Option(name: .long, help: "每台设备每分钟字节上限 / bytes per device per minute") var maxBytesPerMinute = RelayLimits().bytesPerMinute
    @Option(name: .long, help: "每台设备每天字节上限（含附件）/ bytes per device per day (attachments included)")
    var maxBytesPerDay = RelayLimits().bytesPerDay
    @Option(name: .long, help: "每次同步接收变更数上限 / changes accepted per sync") var maxChangesPerSync = RelayLimits().changesPerSession
    @Option(name: .long, help: "握手后连接静默多少秒即断开 / seconds of silence before a connection is closed") var idleTimeout = 60
    @Option(name: .long, help: "数据库大小上限（MiB；SQLite 含 WAL，PostgreSQL 为整个库）；超出后拒收新变更、仍可读 / database quota in MiB") var maxDbMib: Int?
    @Option(name: .long, help: "同一地址未完成握手的连接数上限 / sockets one address may hold before their handshakes complete")
    var maxHandshakesPerAddress = 64
    @Option(name: .long, help: "上级中继连续多少秒未同步成功即在 /health 报警 / seconds without an upstream sync before /health reports it")
    var upstreamAlarm = 600
    @Option(name: .long, help: "运行状态页 HOST:PORT（浏览器打开启动时显示的地址）/ the operator's page, opened at the address printed at start")
    var console: String?
    @Option(name: .long, help: "运行状态页的访问码（默认随机生成）/ the operator page's access code (default: a random one)")
    var consoleToken: String?
    @Option(
        name: .long,
        help: "与其他中继进程共用的 PostgreSQL（postgresql://用户@主机:5432/库名）；变更存在那里 / a PostgreSQL shared with other relay processes")
    var store: String?

    func validate() throws {
        for (name, v) in [
            ("--max-connections-per-device", maxConnectionsPerDevice), ("--max-connections", maxConnections),
            ("--max-sessions", maxSessions), ("--max-wait", maxWait),
            ("--max-bytes-per-minute", maxBytesPerMinute), ("--max-changes-per-sync", maxChangesPerSync),
            ("--upstream-interval", upstreamInterval), ("--idle-timeout", idleTimeout), ("--max-db-mib", maxDbMib ?? 1),
            ("--max-handshakes-per-address", maxHandshakesPerAddress), ("--upstream-alarm", upstreamAlarm),
        ] where v < 1 {
            throw ValidationError(options.language.say(SyncMessages.mustBeGreaterThan, name))
        }
    }

    func run() async {
        await runReporting(options) { () async throws(AppError) in
            let l = options.language
            var o = RelayCommands.ServeOptions(directory: data.directory(options), listen: listen)
            o.upstream = upstream
            o.metrics = metrics
            o.upstreamIntervalSeconds = upstreamInterval
            o.limits.connectionsPerDevice = maxConnectionsPerDevice
            o.limits.connections = maxConnections
            o.limits.sessionsInProgress = maxSessions
            o.limits.admissionWaitMs = UInt64(maxWait) * 1000
            o.limits.bytesPerMinute = maxBytesPerMinute
            o.limits.bytesPerDay = maxBytesPerDay
            o.limits.changesPerSession = maxChangesPerSync
            o.idleTimeoutSeconds = idleTimeout
            o.maxDatabaseMiB = maxDbMib
            o.handshakesPerAddress = maxHandshakesPerAddress
            o.upstreamAlarmSeconds = upstreamAlarm
            let page = try console.map { c throws(AppError) in try SyncCommands.address(c, option: "--console", listening: true) }
            let token = consoleToken ?? WebServer.newToken()
            let relay: any Service
            let port: Int
            let metricsPort: Int?
            let stop: @Sendable () async -> Void
            let router: Router<BasicRequestContext>?
            if let store {
                let cluster = try await RelayCommands.startCluster(o, store: store)
                relay = cluster
                port = cluster.port
                metricsPort = cluster.metricsPort
                stop = { await cluster.shutdown() }
                router = page.map { _ in OperatorConsole.router(cluster: cluster, token: token, language: l) }
            } else {
                let single = try await RelayCommands.start(o)
                relay = single
                port = single.port
                metricsPort = single.metricsPort
                stop = { await single.shutdown() }
                router = page.map { _ in OperatorConsole.router(relay: single, directory: o.directory, token: token, language: l) }
            }
            Output.line(l.say(SyncMessages.relayListeningOnPort, port) + (metricsPort.map { l.say(SyncMessages.metricsOnPort, $0) } ?? ""))
            var services = [relay]
            // The relay runs as a service: SIGINT or SIGTERM starts its graceful shutdown, in which
            // sessions in flight get up to 10 s to finish their batches.
            if let page, let router {
                services.append(
                    Application(
                        router: router, configuration: .init(address: .hostname(page.host, port: page.port)),
                        onServerRunning: { channel in
                            let shown = page.host.contains(":") ? "[\(page.host)]" : page.host
                            let url = "http://\(shown):\(channel.localAddress?.port ?? page.port)/?token=\(token)"
                            Output.line(l.say(ConsoleMessages.consoleAddress, url))
                        }, logger: Logger(label: "baoxue.console", factory: { _ in SwiftLogNoOpLogHandler() })))
            }
            let lifecycle = ServiceGroup(
                configuration: .init(
                    services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "baoxue.relay.lifecycle")))
            try? await lifecycle.run()
            await stop()
            Output.line(l.say(SyncMessages.relayStopped))
        }
    }
}

struct RelayStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "中继状态：设备、最近同步、落后多少、隔离与警报、磁盘 / devices, last seen, lag, quarantine, alerts, disk"
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var data: RelayData

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try RelayCommands.status(directory: data.directory(options), language: options.language)
            options.json ? Output.json(view) : view.lines(options.language).forEach { print($0) }
        }
    }
}

struct RelayBackup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "在中继运行时做一份一致的备份 / a consistent copy while the relay serves",
        discussion: "使用 SQLite 在线备份；不会覆盖已有文件；完成后检查备份的完整性。\nUses SQLite's online backup; never overwrites; checks the copy's integrity."
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var data: RelayData
    @Argument(help: "备份文件（不能已存在）/ the backup file (must not exist)") var file: String

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try RelayCommands.backup(directory: data.directory(options), to: file)
            options.json ? Output.json(view) : print(view.text(options.language))
        }
    }
}
