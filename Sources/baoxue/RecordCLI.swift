import ArgumentParser
import BaoxueApp
import BaoxueRecords
import Foundation

/// Options every field record shares: which child, which day, which scope.
/// How a command's CHILD argument may name the child (`ReplicaCommands.resolveChild`).
let childHelp = ArgumentHelp(
    "儿童：姓名、编号（或前几位）、身份证号（或后四位）、学籍号或监护人电话 / "
        + "the child: name, id (or its first digits), ID number (or last 4), student number, phone")

struct EntryOptions: ParsableArguments {
    @Argument(help: childHelp) var child: String
    @Option(help: "日期 YYYY-MM-DD（默认今天）/ date, default today") var date: String?
    @Option(help: "写入的范围（学校），证书只有一个范围时可省略 / scope; optional when the certificate has one") var scope: String?
}

/// Parses the values people type: dates, labels in Chinese or English.
enum Parse {
    static func date(_ text: String?, option: String) throws(AppError) -> SimpleDate? {
        guard let text else { return nil }
        guard let d = try? SimpleDate(text) else { throw .invalidArgument(option: option, value: text) }
        return d
    }

    static func required(_ text: String, option: String) throws(AppError) -> SimpleDate {
        guard let d = try date(text, option: option) else { throw .invalidArgument(option: option, value: text) }
        return d
    }

    static func label<T: Labelled>(_ text: String, _: T.Type, option: String) throws(AppError) -> T {
        guard let v = T.allCases.first(where: { $0.rawValue == text || $0.chinese == text }) else {
            throw .invalidChoice(option: option, value: text, chinese: T.allCases.map(\.chinese), english: T.allCases.map(\.rawValue))
        }
        return v
    }

    /// `村长:李村长` (or `villageHead:李村长`, a full-width colon too) as the case's `role:name` element.
    static func person(_ text: String) throws(AppError) -> String {
        let parts = text.split(maxSplits: 1, whereSeparator: { $0 == ":" || $0 == "：" }).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[1].isEmpty else { throw .invalidArgument(option: "--person", value: text) }
        return "\(try label(parts[0], ResponsibleRole.self, option: "--person").rawValue):\(parts[1])"
    }

    static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
    }
}

/// Runs one entry and prints what was recorded.
func recordEntry(_ options: GlobalOptions, _ e: EntryOptions, _ build: () throws(AppError) -> FieldEntry) {
    runReporting(options) { () throws(AppError) in
        let view = try ReplicaCommands.record(
            directory: options.directory, child: e.child, entry: try build(),
            date: try Parse.date(e.date, option: "--date"), scope: e.scope, language: options.language)
        options.json ? Output.json(view) : print(view.text(options.language))
    }
}

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "记录外勤工作：缺课、请假、家访、劝返、送教上门、核查函 / record field work",
        discussion:
            "每条记录都是本机签名的变更，离线可用，之后同步。记录一经保存不可修改，更正请再记一条。\nEach record is a change signed by this device, made offline and synced later. "
            + "Records are never edited; a correction is a new record.",
        subcommands: [
            RecordAbsence.self, RecordLeave.self, RecordLeaveEnd.self, RecordVisit.self, RecordPersuasion.self, RecordFollowUp.self,
            RecordHomeTeaching.self, RecordLetter.self,
        ]
    )
}

struct RecordAbsence: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "absence", abstract: "缺课（未请假连续 3 天以上进入疑似辍学台账）/ an absence (3+ unexcused days: suspected-dropout ledger)")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(help: "起始日期 / first day") var from: String
    @Option(help: "结束日期 / last day") var to: String
    @Option(help: "缺课天数（上学日）/ school days missed") var days: Int
    @Flag(help: "已请假 / excused") var excused = false

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            .absence(
                from: try Parse.required(from, option: "--from"), to: try Parse.required(to, option: "--to"), days: days, excused: excused)
        }
    }
}

struct RecordLeave: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "leave", abstract: "请假（超过一周需家访）/ a leave (over a week needs a home visit)")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(help: "起始日期 / first day") var from: String
    @Option(help: "结束日期 / last day") var to: String
    @Option(help: "事由 / reason") var reason: String
    @Option(help: "批准人 / approved by") var approvedBy: String

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            .leave(
                from: try Parse.required(from, option: "--from"), to: try Parse.required(to, option: "--to"), reason: reason,
                approvedBy: approvedBy)
        }
    }
}

struct RecordVisit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visit", abstract: "家访 / a home visit",
        discussion:
            "附件（照片、签字材料）按内容哈希保存在副本目录的 attachments/ 中，审计中可见。\nAttachments are kept by content hash under attachments/ in the replica and "
            + "shown in the audit."
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(help: "参加人员，逗号分隔 / who went, comma-separated") var with: String
    @Option(help: "谈话对象（如 母亲）/ who was spoken to") var spokeTo = ""
    @Flag(help: "未找到住户 / household not found") var notFound = false
    @Flag(help: "未见到儿童 / child not seen") var childNotSeen = false
    @Option(help: "未入学原因 / reason the child is out of school") var reason: String?
    @Option(help: "商定事项 / what was agreed") var agreed = ""
    @Option(help: "下次联系日期 / next contact date") var next: String?
    @Option(help: "地点 / place") var place: String?
    @Option(help: "附件文件，可多次 / attachment file, repeatable") var attach: [String] = []

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            .visit(
                Visit(
                    participants: Parse.list(with), location: place, householdFound: !notFound, childSeen: !childNotSeen, spokeTo: spokeTo,
                    reasonOut: reason, agreed: agreed, nextContact: try Parse.date(next, option: "--next")), attachments: attach)
        }
    }
}

struct RecordPersuasion: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "persuasion", abstract: "劝返（属于一个案卷，见 baoxue case open）/ a persuasion attempt in a case")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(name: .customLong("case"), help: "案卷编号 / case id") var caseFile: String
    @Option(help: "方式（入户、电话……）/ method") var method: String
    @Option(help: "结果：已返校、同意返校、拒绝返校、未联系上 / outcome: returned, agreedToReturn, refused, noContact") var outcome: String
    @Option(help: "说明 / note") var note = ""

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            guard let file = try? RecordID(hex: caseFile) else { throw .invalidArgument(option: "--case", value: caseFile) }
            let o = try Parse.label(outcome, PersuasionAttempt.Outcome.self, option: "--outcome")
            return .persuasion(caseFile: file, PersuasionAttempt(method: method, outcome: o, note: note))
        }
    }
}

struct RecordHomeTeaching: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "home-teaching", abstract: "送教上门 / a home-teaching session")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(help: "课时（1–8）/ class hours") var hours: Int
    @Option(help: "送教教师 / teacher") var teacher: String
    @Option(help: "内容 / content") var content = ""

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            .homeTeaching(HomeTeachingSession(classHours: hours, teacher: teacher, content: content))
        }
    }
}

struct RecordLetter: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "letter", abstract: "核查函（学校管理员）/ a verification letter (school admin)")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(help: "发往单位 / sent to") var sentTo: String
    @Option(help: "事由 / reason") var reason: String

    func run() {
        recordEntry(options, entry) { () throws(AppError) in .letter(VerificationLetter(sentTo: sentTo, reason: reason)) }
    }
}

struct RecordFollowUp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow-up", abstract: "返校后 1、3、6 个月跟踪（属于案卷）/ a 1-, 3- or 6-month follow-up in a case")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(name: .customLong("case"), help: "案卷编号 / case id") var caseFile: String
    @Option(help: "返校后第几个月：1、3 或 6 / months since return") var months: Int
    @Flag(inversion: .prefixedNo, help: "仍在校 / still in school") var attending = true
    @Option(help: "说明 / note") var note = ""

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            guard let file = try? RecordID(hex: caseFile) else { throw .invalidArgument(option: "--case", value: caseFile) }
            return .followUp(caseFile: file, FollowUp(months: months, attending: attending, note: note))
        }
    }
}

struct RecordLeaveEnd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leave-end", abstract: "销假：儿童返校，结束请假（修订原请假记录）/ the child is back: ends a leave (amends it)",
        discussion:
            "请假记录编号见 baoxue audit 每行末尾；--date 为返校日期。\nThe leave's id ends its line in baoxue audit; --date is the day the child came back."
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(help: "请假记录编号 / the leave's entry id") var leave: String

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            guard let op = try? OpID(text: leave) else { throw .invalidArgument(option: "--leave", value: leave) }
            let back =
                try Parse.date(entry.date, option: "--date")
                ?? (try? SimpleDate(unixMilliseconds: UInt64(Date().timeIntervalSince1970 * 1000)))
            guard let back else { throw .invalidArgument(option: "--date", value: "") }
            return .leaveEnd(leave: op, returned: back)
        }
    }
}
