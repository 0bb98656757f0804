import ArgumentParser
import BaoxueApp
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "创建副本目录、设备密钥和数据库 / create a replica folder with a device key and database",
        discussion:
            "密钥文件权限为 600，只有本用户可读。完成后请把设备指纹念给教育办核对。\nThe key file is mode 600. Read the fingerprint to the township office when enrolling."
    )
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try ReplicaCommands.initialize(directory: options.directory)
            options.json ? Output.json(view) : print(view.text(options.language, created: true))
        }
    }
}

struct Whoami: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "显示本设备的指纹和公钥 / show this device's fingerprint and public key"
    )
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try ReplicaCommands.whoami(directory: options.directory)
            options.json ? Output.json(view) : print(view.text(options.language, created: false))
        }
    }
}

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "列出已存的变更并逐条验签 / list stored changes, re-verifying each signature"
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "最多列出多少条 / at most this many") var limit = 1000

    func run() {
        runReporting(options) { () throws(AppError) in
            let rows = try ReplicaCommands.log(directory: options.directory, limit: limit)
            if options.json {
                Output.json(rows)
                return
            }
            let l = options.language
            for row in rows { print(row.text(l)) }
            let bad = rows.filter { !$0.verified }.count
            print(l.say(CommandMessages.changesWithInvalidSignature, rows.count, bad))
        }
    }
}

struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "从变更日志重建所有查询表 / re-derive every view table from the change log",
        discussion:
            "变更日志是唯一的事实来源；查询表（儿童、台账、家访……）可随时删除重建。\nThe signed change log is the truth; the tables people query can always be rebuilt "
            + "from it."
    )
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let digests = try ReplicaCommands.rebuild(directory: options.directory) { done, total in
                FileHandle.standardError.write(Data(l.say(CommandMessages.rebuilding, done, total).utf8))
            }
            if options.json {
                Output.json(digests)
                return
            }
            print(l.say(CommandMessages.rebuiltViewTables, digests.count))
        }
    }
}
