import ArgumentParser
import BaoxueApp
import Foundation

struct Peer: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "管理可同步的设备清单 / manage the list of devices allowed to sync",
        subcommands: [PeerAllow.self]
    )
}

struct PeerAllow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allow",
        abstract: "允许一台设备与本机同步 / allow a device to sync with this replica",
        discussion:
            "先当面核对对方的设备指纹（baoxue whoami），再添加其公钥。不写 --scope 表示全部范围。\nCompare the peer's fingerprint (baoxue whoami) in person first. "
            + "Without --scope, all scopes."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "对方公钥（64 位十六进制）/ the peer's public key (64 hex digits)") var key: String
    @Option(name: .long, help: "允许的范围，可重复 / a scope it may sync; repeatable") var scope: [String] = []

    func run() {
        runReporting(options) { () throws(AppError) in
            let n = try SyncCommands.allow(directory: options.directory, key: key, scopes: scope)
            let l = options.language
            print(l.say(SyncMessages.allowedDevicesOnList, n))
        }
    }
}

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "连接另一台设备并同步 / connect to a peer and sync",
        discussion: "中断后再次运行即可从断点继续，已确认的数据不会重传。\nIf interrupted, run it again: acknowledged changes are never sent again."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "对方地址 HOST:PORT / the peer's address") var peer: String
    @Option(name: .long, help: "要同步的范围，可重复（默认：本机已有的全部范围）/ scope to sync; repeatable") var scope: [String] = []

    func run() async {
        await runReporting(options) { () async throws(AppError) in
            let l = options.language
            let view = try await SyncCommands.sync(directory: options.directory, peer: peer, scopes: scope, language: l) { progress in
                FileHandle.standardError.write(Data((progress.line(l) + "\n").utf8))
            }
            options.json ? Output.json(view) : print(view.text(l))
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "等待其他设备来同步 / accept peers that sync with this replica",
        discussion: "只接受同步清单（baoxue peer allow）中的设备。按 Ctrl-C 结束。\nOnly devices on the peer list are accepted. Ctrl-C to stop."
    )
    @OptionGroup var options: GlobalOptions
    @Option(name: .long, help: "监听地址 HOST:PORT（端口 0 表示任选）/ address to listen on") var listen: String
    @Flag(name: .long, help: "完成一次同步后退出 / exit after one session") var once = false

    func run() async {
        await runReporting(options) { () async throws(AppError) in
            let l = options.language
            let (server, sessions) = try await SyncCommands.listen(directory: options.directory, listen: listen, language: l)
            Output.line(l.say(SyncMessages.listeningOnPortWaitingFor, server.port))
            let reporting = Task {
                for await line in sessions {
                    Output.line(line)
                    if once { return }
                }
            }
            if once {
                await reporting.value
            } else {
                await untilStopped()
                reporting.cancel()
            }
            await server.stop()
        }
    }
}
