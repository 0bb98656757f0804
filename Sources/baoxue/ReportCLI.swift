import ArgumentParser
import BaoxueApp
import BaoxueRecords
import Foundation

/// Cases, statuses, close-out, surveys, voids, and the views of the work: conflicts, today, reports, status.

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "月报与季度复核，及核验导出的报表 / the monthly report and quarterly review, and checking an exported report",
        subcommands: [ReportMake.self, ReportVerify.self, ReportPublish.self],
        defaultSubcommand: ReportMake.self
    )
}

struct ReportVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "离线核验报表文件夹：签名清单、每个文件是否被改动、缺少或多出 / check a report folder offline against its signed manifest",
        discussion: """
            不需要本机数据：只读取文件夹里的签名清单（*.manifest.baoxue，每份报表一个）和文件。有任何问题时退出码为 1。
            Needs no replica: reads the folder's *.manifest.baoxue (one per report) and files. Exits 1 on any problem.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "报表文件夹 / the report folder") var folder: String
    @Flag(help: "用 --dir 指定的本机数据重新计算并逐个文件比对 / make the report again on the --dir replica and compare") var recompute = false

    func run() {
        runReporting(options) { () throws(AppError) in
            let views = try ReplicaCommands.verifyReport(
                folder: folder, recomputeOn: recompute ? options.directory : nil, language: options.language)
            if options.json { Output.json(views) } else { views.flatMap { $0.lines(options.language) }.forEach { print($0) } }
            if !views.allSatisfy(\.ok) { Foundation.exit(1) }
        }
    }
}

struct ReportMake: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make",
        abstract: "月报（一月一报告）和季度复核（一季度一复核）：打印，或写成 XLSX 与 CSV / the monthly report and quarterly review: printed, or as XLSX and CSV",
        discussion: """
            --out 目录下写入一个 XLSX 工作簿（每本台账一张表）、每张表一个 CSV（UTF-8 带 BOM，Excel 直接打开中文不乱码）
            和本机签名的文件清单（*.manifest.baoxue，用 baoxue report verify 核验）。文件不会被覆盖；身份证号只保留后四位（--full-id 保留完整号码）。
            With --out, writes an XLSX workbook (one sheet per ledger), a CSV per sheet (UTF-8 with BOM) and the
            list of those files signed by this device (*.manifest.baoxue; check it with baoxue report verify).
            Never overwrites; ID numbers keep their last 4 digits (--full-id keeps them whole).
            """
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "monthly（月报）或 quarterly（季度复核）/ which report") var kind: String
    @Option(help: "期间：月报 YYYY-MM，季度 YYYY-Qn（默认本期）/ period") var period: String?
    @Option(help: "只看某个学校 / only this school") var school: String?
    @Option(help: "写入文件的目录 / folder to write the files to") var out: String?
    @Flag(help: "报表中保留完整身份证号 / keep ID numbers whole in the files") var fullId = false

    func validate() throws {
        guard ReportKind(rawValue: kind) != nil else {
            throw ValidationError(options.language.say(ChildMessages.reportMustBeMonthlyOr))
        }
    }

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try ReplicaCommands.report(
                directory: options.directory, kind: ReportKind(rawValue: kind)!, period: period,
                school: school, output: out, fullID: fullId, language: options.language)
            if options.json {
                Output.json(view)
                return
            }
            view.lines(options.language).forEach { print($0) }
        }
    }
}

struct ReportPublish: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "上报本校月度汇总数（只含计数，公开签名，随同步上传）/ publish the school's monthly figures (counts only, signed, in clear)",
        discussion: """
            学校或区县管理员在月末（或之后）运行：把月报汇总表的数字签名后放入 _admin，随同步经乡镇中继传到区县、省级中继；
            中继无需任何密钥即可在运行状态页显示各校各月的数字。不含任何儿童的姓名或证件号。
            A school or district admin runs it once the month is over: the monthly summary's counts, signed, in _admin,
            travel through the relays; a relay shows them per school and month without any key. No child is named.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "月份 YYYY-MM（须已结束）/ the month, over by today") var period: String
    @Option(help: "上报的学校范围（默认证书中唯一的范围）/ the school's scope (default: the certificate's only one)") var scope: String?
    @Option(help: "只计某个学校的儿童（名册上的校名）/ count only the children of this school (its name on the register)")
    var school: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try ReplicaCommands.publishFigures(directory: options.directory, period: period, scope: scope, school: school)
            options.json ? Output.json(view) : view.lines(options.language).forEach { print($0) }
        }
    }
}
