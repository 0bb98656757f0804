import ArgumentParser
import BaoxueApp
import BaoxueWeb
import Foundation
import Hummingbird
import Logging

/// `baoxue ui`: serves the field app from this device's replica until stopped (Ctrl-C).
struct UI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "在本机浏览器中打开保学（手机网页）/ the field app in this device's browser",
        discussion: """
            启动后显示一个带访问码的地址，用本机浏览器打开即可；不需要网络。默认只在本机（127.0.0.1）提供；在其他地址提供时必须用 --token 指定访问码。
            Prints an address with an access code: open it in this device's browser; no network needed. It serves this device \
            only (127.0.0.1) unless told otherwise, and then only with --token.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "监听地址:端口（0 为任选）/ address:port to listen on (0: any free port)") var listen = "127.0.0.1:0"
    @Option(help: "访问码（在 127.0.0.1 以外提供时必填）/ the access code (required beyond 127.0.0.1)") var token: String?
    @Option(help: "同步页面预先填入的中继地址 HOST:PORT / the relay address the sync page offers") var relay: String?
    @Option(help: "设置锁屏口令后，闲置多少分钟自动锁定 / idle minutes before the device locks (once a passphrase is set)")
    var idleLock = 10

    var hostAndPort: (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65_535).contains(port)
        else { return nil }
        return (String(listen[..<colon]), port)
    }

    func validate() throws {
        let l = options.language
        guard (1...1440).contains(idleLock) else {
            throw ValidationError(l.say(ScreenMessages.idleLockMustBeTo))
        }
        guard let (host, _) = hostAndPort else {
            throw ValidationError(l.say(ScreenMessages.listenMustBeAddressPort))
        }
        if !["127.0.0.1", "localhost", "::1"].contains(host), (token ?? "").count < 16 {
            throw ValidationError(
                l.say(ScreenMessages.servingBeyondThisDeviceNeeds))
        }
    }

    /// The folder must hold a replica; a locked one starts too (it shows its unlock page).
    func checkReplica() throws(AppError) {
        do throws(AppError) { _ = try ReplicaCommands.whoami(directory: options.directory) } catch {
            if case .store(.locked) = error { return }
            throw error
        }
    }

    func run() async {
        await runReporting(options) { () async throws(AppError) in
            let l = options.language
            try checkReplica()
            let (host, port) = hostAndPort!
            let token = self.token ?? WebServer.newToken()
            let field = WebServer.app(directory: options.directory, token: token, language: l, relay: relay, idleLockMinutes: idleLock)
            let router = field.router
            let quiet = Logger(label: "baoxue.ui", factory: { _ in SwiftLogNoOpLogHandler() })
            let app = Application(
                router: router, configuration: .init(address: .hostname(host, port: port)),
                onServerRunning: { channel in
                    let bound = channel.localAddress?.port ?? port
                    let shown = host.contains(":") ? "[\(host)]" : host
                    let text =
                        l.say(ScreenMessages.baoxueIsRunningOpenIn) + "\n  http://\(shown):\(bound)/?token=\(token)\n"
                        + l.say(ScreenMessages.pressCtrlCToStop) + "\n"
                    FileHandle.standardOutput.write(Data(text.utf8))
                }, logger: quiet)
            // The idle lock's timer, so a phone left alone locks even when no page is asked for.
            let idle = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    await field.idleLock.check(now: UInt64(Date().timeIntervalSince1970 * 1000))
                }
            }
            // Hummingbird's service group stops the server on SIGINT or SIGTERM.
            do { try await app.runService() } catch {
                FileHandle.standardError.write(Data(l.say(ScreenMessages.couldNotStart, error).utf8))
            }
            idle.cancel()
        }
    }
}
