import ArgumentParser
import BaoxueApp
import Foundation

/// Reading back what was recorded: a child's file, cases, the home-teaching book.

struct ChildFileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "一人一案 / 一生一表：儿童的全部状态、台账、案卷和工作记录（含内容）/ a child's whole file: statuses, ledgers, cases, records",
        discussion: "身份证号默认只显示后 4 位；--full 显示完整号码。\nID numbers show their last 4 digits unless --full is given."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: childHelp) var child: String
    @Flag(help: "显示完整身份证号 / show the whole ID number") var full = false

    func run() {
        runReporting(options) { () throws(AppError) in
            let file = try ReplicaCommands.childFile(directory: options.directory, child: child, full: full, language: options.language)
            if options.json {
                Output.json(file)
                return
            }
            file.lines(options.language).forEach { print($0) }
        }
    }
}

struct ChildTeachingBook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teaching-book", abstract: "送教上门工作手册：某月的每次送教与合计课时 / the home-teaching book of one month"
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "儿童 / the child") var child: String
    @Option(help: "月份 YYYY-MM / month") var month: String

    func run() {
        runReporting(options) { () throws(AppError) in
            let book = try ReplicaCommands.teachingBook(
                directory: options.directory, child: child, month: month,
                language: options.language)
            if options.json {
                Output.json(book)
                return
            }
            book.lines(options.language).forEach { print($0) }
        }
    }
}

struct CaseList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "未结案的劝返案卷 / open cases")
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let cases = try ReplicaCommands.cases(directory: options.directory, which: nil, language: l)
            if options.json {
                Output.json(cases)
                return
            }
            for c in cases { print(c.line) }
            print(l.say(CommandMessages.openCases, cases.count))
        }
    }
}

struct CaseShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "查看一个案卷及其全部劝返、跟踪记录 / one case with its attempts and follow-ups"
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "案卷编号（或前几位）/ the case id or its first digits") var caseFile: String

    func run() {
        runReporting(options) { () throws(AppError) in
            let found = try ReplicaCommands.cases(directory: options.directory, which: caseFile, language: options.language)
            guard let c = found.first else { return }
            if options.json {
                Output.json(c)
                return
            }
            print(c.line)
            c.events.forEach { print("  " + $0) }
        }
    }
}
