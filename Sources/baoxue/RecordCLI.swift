import ArgumentParser
import BaoxueApp
import BaoxueRecords
import Foundation

/// Options every field record shares: which child, which day, which scope.
struct EntryOptions: ParsableArguments {
    @Argument(help: "儿童记录编号（baoxue child list 可查）/ the child's record id") var child: String
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
        guard let v = T.allCases.first(where: { $0.rawValue == text || $0.chinese == text }) else { throw .invalidArgument(option: option, value: text) }
        return v
    }

    static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// Runs one entry and prints what was recorded.
func recordEntry(_ options: GlobalOptions, _ e: EntryOptions, _ build: () throws(AppError) -> FieldEntry) {
    runReporting(options) { () throws(AppError) in
        let view = try ReplicaCommands.record(directory: options.directory, child: e.child, entry: try build(),
                                              date: try Parse.date(e.date, option: "--date"), scope: e.scope, language: options.language)
        options.json ? Output.json(view) : print(view.text(options.language))
    }
}

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "记录外勤工作：缺课、请假、家访、劝返、送教上门、核查函 / record field work",
        discussion: "每条记录都是本机签名的变更，离线可用，之后同步。记录一经保存不可修改，更正请再记一条。\nEach record is a change signed by this device, made offline and synced later. Records are never edited; a correction is a new record.",
        subcommands: [RecordAbsence.self, RecordLeave.self, RecordLeaveEnd.self, RecordVisit.self, RecordPersuasion.self, RecordFollowUp.self, RecordHomeTeaching.self, RecordLetter.self]
    )
}

struct RecordAbsence: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "absence", abstract: "缺课（未请假连续 3 天以上进入疑似辍学台账）/ an absence (3+ unexcused days: suspected-dropout ledger)")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(help: "起始日期 / first day") var from: String
    @Option(help: "结束日期 / last day") var to: String
    @Option(help: "缺课天数（上学日）/ school days missed") var days: Int
    @Flag(help: "已请假 / excused") var excused = false

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            .absence(from: try Parse.required(from, option: "--from"), to: try Parse.required(to, option: "--to"), days: days, excused: excused)
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
            .leave(from: try Parse.required(from, option: "--from"), to: try Parse.required(to, option: "--to"), reason: reason, approvedBy: approvedBy)
        }
    }
}

struct RecordVisit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visit", abstract: "家访 / a home visit",
        discussion: "附件（照片、签字材料）按内容哈希保存在副本目录的 attachments/ 中，审计中可见。\nAttachments are kept by content hash under attachments/ in the replica and shown in the audit."
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
            .visit(Visit(participants: Parse.list(with), location: place, householdFound: !notFound, childSeen: !childNotSeen, spokeTo: spokeTo,
                         reasonOut: reason, agreed: agreed, nextContact: try Parse.date(next, option: "--next")), attachments: attach)
        }
    }
}

struct RecordPersuasion: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "persuasion", abstract: "劝返（属于一个案卷，见 baoxue case open）/ a persuasion attempt in a case")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(name: .customLong("case"), help: "案卷编号 / case id") var caseFile: String
    @Option(help: "方式（入户、电话……）/ method") var method: String
    @Option(help: "结果：returned、agreedToReturn、refused、noContact / outcome") var outcome: String
    @Option(help: "说明 / note") var note = ""

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            guard let file = try? RecordID(hex: caseFile) else { throw .invalidArgument(option: "--case", value: caseFile) }
            guard let o = PersuasionAttempt.Outcome(rawValue: outcome) else { throw .invalidArgument(option: "--outcome", value: outcome) }
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
        recordEntry(options, entry) { () throws(AppError) in .homeTeaching(HomeTeachingSession(classHours: hours, teacher: teacher, content: content)) }
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

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "case", abstract: "劝返复学案卷（一人一案）/ persuasion-to-return cases", subcommands: [CaseOpen.self, CaseClose.self])
}

struct CaseOpen: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open", abstract: "为儿童立案，打印案卷编号 / open a case for a child; prints its id")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(help: "辍学原因：dislikesSchool、learningDifficulty、poverty、illnessOrDisability、work、earlyMarriage、noGuardian、movedWithParents、other（或中文）/ reason category") var reason: String
    @Option(help: "原因说明 / reason in words") var text: String?

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            .openCase(caseFile: RecordID.random(), reason: try Parse.label(reason, ReasonCategory.self, option: "--reason"), text: text)
        }
    }
}

struct ChildStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "改变儿童状态（附原因；也用于解决状态冲突）/ change a child's status, with a reason (also settles a status conflict)"
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Argument(help: "新状态（如 returned 或 劝返复学）/ the new status") var status: String
    @Option(help: "原因 / reason") var reason: String

    func run() {
        recordEntry(options, entry) { () throws(AppError) in .status(try Parse.label(status, ChildStatus.self, option: "STATUS"), reason: reason) }
    }
}

struct ChildSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "修改儿童信息的一个字段（也用于解决该字段的冲突）/ set one field (also settles a conflict on it)",
        discussion: "字段：name、school、grade、className、residence、village、guardianName、guardianPhone、hukouPlace、studentNumber"
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Argument(help: "字段 / field") var field: String
    @Argument(help: "新值 / new value") var value: String

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            let editable = ["name", "school", "grade", "className", "residence", "village", "guardianName", "guardianPhone", "hukouPlace", "studentNumber"]
            guard editable.contains(field) else { throw .invalidArgument(option: "FIELD", value: field) }
            if field == "grade" {
                guard let g = Int(value) else { throw .invalidArgument(option: "VALUE", value: value) }
                return .field(field, .number(g))
            }
            return .field(field, .text(value))
        }
    }
}

struct CloseOut: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close-out", abstract: "销号：附佐证材料把儿童移出台账（学校管理员）/ close a child out of a ledger with evidence (school admin)"
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(help: "suspected 或 dropout / which ledger") var ledger: String
    @Option(help: "佐证材料文件，可多次 / evidence file, repeatable") var evidence: [String] = []
    @Option(help: "说明 / note") var note: String

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            guard ["suspected", "dropout"].contains(ledger) else { throw .invalidArgument(option: "--ledger", value: ledger) }
            return .closeOut(ledger == "dropout" ? .dropout : .suspectedDropout, evidence: evidence, note: note)
        }
    }
}

struct Conflicts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "待人工核实的冲突：同一字段的并发值及其作者 / conflicts to settle: concurrent values and who wrote each",
        discussion: "核实后用 baoxue child status 或 baoxue child set 写入正确的值即可解决。\nSettle one by writing the right value with baoxue child status or baoxue child set."
    )
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let rows = try ReplicaCommands.conflicts(directory: options.directory, language: options.language)
            if options.json { Output.json(rows); return }
            for row in rows { row.lines(options.language).forEach { print($0) } }
            print(options.language.pick("共 \(rows.count) 处冲突", "\(rows.count) conflict(s)"))
        }
    }
}

struct Today: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "今日工作：到期家访、逾期联系、送教不足、劝返无进展 / today's work: visits due, contacts overdue, home-teaching shortfalls, stalled cases"
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "日期 YYYY-MM-DD（默认今天）/ date") var date: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try ReplicaCommands.today(directory: options.directory, date: try Parse.date(date, option: "--date"))
            if options.json { Output.json(view); return }
            view.lines(options.language).forEach { print($0) }
        }
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "月报（一月一报告）和季度复核（一季度一复核）：打印，或写成 XLSX 与 CSV / the monthly report and quarterly review: printed, or as XLSX and CSV",
        discussion: """
            --out 目录下写入一个 XLSX 工作簿（每本台账一张表）和每张表一个 CSV（UTF-8 带 BOM，Excel 直接打开中文不乱码）。文件不会被覆盖；不含身份证号。
            With --out, writes an XLSX workbook (one sheet per ledger) and a CSV per sheet (UTF-8 with BOM). Never overwrites; no ID numbers.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "monthly（月报）或 quarterly（季度复核）/ which report") var kind: String
    @Option(help: "期间：月报 YYYY-MM，季度 YYYY-Qn（默认本期）/ period") var period: String?
    @Option(help: "只看某个学校 / only this school") var school: String?
    @Option(help: "写入文件的目录 / folder to write the files to") var out: String?

    func validate() throws {
        guard ReportKind(rawValue: kind) != nil else {
            throw ValidationError(options.language.pick("报表只能是 monthly 或 quarterly", "the report must be monthly or quarterly"))
        }
    }

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try ReplicaCommands.report(directory: options.directory, kind: ReportKind(rawValue: kind)!, period: period,
                                                  school: school, output: out, language: options.language)
            if options.json { Output.json(view); return }
            view.lines(options.language).forEach { print($0) }
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "本机状态：上次同步、尚未送达中继的记录、冲突与隔离 / this device: last sync, work not yet at the relay, conflicts, quarantine"
    )
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try ReplicaCommands.status(directory: options.directory)
            if options.json { Output.json(view); return }
            view.lines(options.language).forEach { print($0) }
        }
    }
}

struct SurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey", abstract: "铁脚板摸排：入户核查，逐户记录 / shoe-leather survey: household by household",
        subcommands: [SurveyStart.self, SurveyHousehold.self, SurveyShow.self]
    )
}

struct SurveyStart: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "开始一次摸排，打印其编号 / start a sweep; prints its id")
    @OptionGroup var options: GlobalOptions
    @Option(help: "村（居）/ village") var village: String
    @Option(help: "摸排人员，逗号分隔 / team, comma-separated") var team = ""
    @Option(help: "日期 YYYY-MM-DD（默认今天）/ date") var date: String?
    @Option(help: "写入的范围 / scope") var scope: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            let id = try ReplicaCommands.surveyStart(directory: options.directory, village: village, team: Parse.list(team),
                                                     date: try Parse.date(date, option: "--date"), scope: scope, language: options.language)
            options.json ? Output.json(["survey": id]) : print(options.language.pick("摸排编号 \(id)", "survey id \(id)"))
        }
    }
}

struct SurveyHousehold: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "household", abstract: "记录查过的一户 / one household checked")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "摸排编号 / survey id") var survey: String
    @Option(help: "住址 / address") var address: String
    @Option(help: "发现的适龄儿童人数 / school-age children found") var children: Int
    @Option(help: "结论：allAttending、noHukou、noStudentRegistration、notAttending、householdAbsent / finding") var finding: String
    @Option(help: "相关儿童记录编号 / the child concerned, if known") var child: String?
    @Option(help: "日期 / date") var date: String?
    @Option(help: "写入的范围 / scope") var scope: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            guard let f = HouseholdCheck.Finding(rawValue: finding) else { throw .invalidArgument(option: "--finding", value: finding) }
            let view = try ReplicaCommands.surveyHousehold(
                directory: options.directory, survey: survey, check: HouseholdCheck(address: address, childrenFound: children, finding: f),
                child: child, date: try Parse.date(date, option: "--date"), scope: scope, language: options.language)
            if options.json { Output.json(view); return }
            view.lines(options.language).forEach { print($0) }
        }
    }
}

struct SurveyShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "摸排进度：已查户数、各类结论 / coverage of a sweep")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "摸排编号 / survey id") var survey: String

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try ReplicaCommands.survey(directory: options.directory, survey: survey)
            if options.json { Output.json(view); return }
            view.lines(options.language).forEach { print($0) }
        }
    }
}

struct VoidEntry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "void", abstract: "作废一条误录的记录项（保留在审计中）/ void an entry made by mistake (it stays in the audit)",
        discussion: "记录项编号见 baoxue audit 每行末尾。\nThe entry ids end each line of baoxue audit."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "记录项编号 / the entry's id") var op: String
    @Option(help: "作废原因 / why") var reason: String

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try ReplicaCommands.void(directory: options.directory, op: op, reason: reason, language: options.language)
            options.json ? Output.json(view) : print(view.text(options.language))
        }
    }
}

struct RecordFollowUp: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "follow-up", abstract: "返校后 1、3、6 个月跟踪（属于案卷）/ a 1-, 3- or 6-month follow-up in a case")
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

struct CaseClose: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "结案：安置方式与结果 / close a case: placement and outcome")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(name: .customLong("case"), help: "案卷编号 / case id") var caseFile: String
    @Option(help: "安置：regularClass（随班就读）、specialClass、vocational、homeTeaching（或中文）/ placement") var placement: String
    @Option(help: "结果 / outcome in words") var outcome: String

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            guard let file = try? RecordID(hex: caseFile) else { throw .invalidArgument(option: "--case", value: caseFile) }
            return .closeCase(caseFile: file, placement: try Parse.label(placement, Placement.self, option: "--placement"), outcome: outcome)
        }
    }
}

struct RecordLeaveEnd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leave-end", abstract: "销假：儿童返校，结束请假（修订原请假记录）/ the child is back: ends a leave (amends it)",
        discussion: "请假记录编号见 baoxue audit 每行末尾；--date 为返校日期。\nThe leave's id ends its line in baoxue audit; --date is the day the child came back."
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(help: "请假记录编号 / the leave's entry id") var leave: String

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            guard let op = try? OpID(text: leave) else { throw .invalidArgument(option: "--leave", value: leave) }
            let back = try Parse.date(entry.date, option: "--date")
                ?? (try? SimpleDate(unixMilliseconds: UInt64(Date().timeIntervalSince1970 * 1000)))
            guard let back else { throw .invalidArgument(option: "--date", value: "") }
            return .leaveEnd(leave: op, returned: back)
        }
    }
}
