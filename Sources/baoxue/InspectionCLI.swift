import ArgumentParser
import BaoxueApp
import Foundation

/// Commands that inspect what a replica trusts: quarantine, alerts, verify, audit.

struct Quarantine: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "列出被隔离的变更（无证书或越权）/ list quarantined changes (uncertified or not permitted)",
        discussion: "被隔离的变更不会丢失，也不会生效；证书同步到后自动复查。\nQuarantined changes are kept, never applied, and re-checked when a certificate arrives."
    )
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let rows = try ReplicaCommands.quarantine(directory: options.directory)
            if options.json {
                Output.json(rows)
                return
            }
            let l = options.language
            for row in rows { print(row.text(l)) }
            print(l.say(TrustMessages.quarantinedChanges, rows.count))
        }
    }
}

struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "需要人工处理的警报：一号两签、序号缺失、隔离 / alerts: equivocations, sequence gaps, quarantine"
    )
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try ReplicaCommands.alerts(directory: options.directory)
            if options.json {
                Output.json(view)
                return
            }
            for line in view.lines(options.language) { print(line) }
        }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "重新核验整个日志和所有证书 / re-verify the whole log and every certificate chain"
    )
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let view = try ReplicaCommands.verify(directory: options.directory) { done, total in
                if done % 100_000 == 0 || done == total {
                    FileHandle.standardError.write(Data(l.say(TrustMessages.verifying, done, total).utf8))
                }
            }
            if options.json { Output.json(view) } else { print(view.text(l)) }
            if !view.ok { Foundation.exit(1) }
        }
    }
}

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "一个儿童的完整记录史：谁、何时、做了什么、签名是否有效 / a child's full history: who, when, what, verified"
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: childHelp) var child: String

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let lines = try ReplicaCommands.audit(directory: options.directory, child: child, language: l)
            if options.json {
                Output.json(lines)
                return
            }
            for line in lines { print(line.text(l)) }
            print(l.say(TrustMessages.entries, lines.count))
        }
    }
}
