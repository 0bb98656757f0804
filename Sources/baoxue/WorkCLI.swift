import ArgumentParser
import BaoxueApp
import BaoxueRecords
import Foundation

/// Cases, statuses, close-out, surveys, voids, and the views of the work: conflicts, today, reports, status.

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "劝返复学案卷（一人一案）/ persuasion-to-return cases",
        subcommands: [CaseOpen.self, CaseClose.self, CaseList.self, CaseShow.self, CaseResponsible.self]
    )
}

struct CaseOpen: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open", abstract: "为儿童立案，打印案卷编号 / open a case for a child; prints its id")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(
        help:
            ArgumentHelp(
                "辍学原因：dislikesSchool、learningDifficulty、poverty、illnessOrDisability、work、earlyMarriage、"
                    + "noGuardian、movedWithParents、other（或中文）/ reason category")
    ) var reason: String
    @Option(help: "原因说明 / reason in words") var text: String?
    @Option(help: "责任人 职务:姓名（如 村长:李村长），可多次；职务：县长、乡镇长、村长、校长、教师、家长、其他 / a responsible person role:name, repeatable")
    var responsible: [String] = []

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            .openCase(
                caseFile: RecordID.random(), reason: try Parse.label(reason, ReasonCategory.self, option: "--reason"), text: text,
                responsible: try responsible.map { p throws(AppError) in try Parse.person(p) })
        }
    }
}

struct CaseResponsible: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "responsible", abstract: "为案卷登记责任人（七长负责制）/ name the people responsible for a case"
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(name: .customLong("case"), help: "案卷编号 / case id") var caseFile: String
    @Option(help: "职务:姓名（如 校长:王校长），可多次 / role:name, repeatable") var person: [String]

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            guard let file = try? RecordID(hex: caseFile) else { throw .invalidArgument(option: "--case", value: caseFile) }
            return .responsible(caseFile: file, try person.map { p throws(AppError) in try Parse.person(p) })
        }
    }
}

struct ChildFocus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "focus", abstract: "登记或取消重点群体（留守、残疾、随迁、孤儿、家庭困难……）/ add or remove focus groups"
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(help: "加入的群体，逗号分隔（如 留守儿童,残疾儿童）/ groups to add") var add: String = ""
    @Option(help: "移出的群体，逗号分隔 / groups to remove") var remove: String = ""

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            let adding = try Parse.list(add).map { g throws(AppError) in try Parse.label(g, FocusGroup.self, option: "--add") }
            let removing = try Parse.list(remove).map { g throws(AppError) in try Parse.label(g, FocusGroup.self, option: "--remove") }
            guard !adding.isEmpty || !removing.isEmpty else { throw .invalidArgument(option: "--add", value: "") }
            return .focus(add: adding, remove: removing)
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
        recordEntry(options, entry) { () throws(AppError) in
            .status(try Parse.label(status, ChildStatus.self, option: "STATUS"), reason: reason)
        }
    }
}

struct ChildSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "修改儿童信息的一个字段（也用于解决该字段的冲突）/ set one field (also settles a conflict on it)",
        discussion: """
            字段（中文或英文）：姓名、学校、年级、班级、现住址、村（居）、监护人、监护人电话、户籍地、学籍号
            Fields: name, school, grade, className, residence, village, guardianName, guardianPhone, hukouPlace, studentNumber
            """
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Argument(help: "字段 / field") var field: String
    @Argument(help: "新值 / new value") var value: String

    func run() {
        recordEntry(options, entry) { () throws(AppError) in
            let editable = [
                "name", "school", "grade", "className", "residence", "village", "guardianName", "guardianPhone", "hukouPlace",
                "studentNumber",
            ]
            let labels = editable.map { Language.zh.fieldName($0) }
            guard let index = editable.firstIndex(of: field) ?? labels.firstIndex(of: field) else {
                throw .invalidChoice(option: "FIELD", value: field, chinese: labels, english: editable)
            }
            let field = editable[index]
            if field == "grade" {
                guard let g = Int(value) else { throw .invalidArgument(option: "VALUE", value: value) }
                return .field(field, .number(g))
            }
            return .field(field, .text(value))
        }
    }
}

struct ChildVoid: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "void", abstract: "作废误录的整条儿童记录（保留在审计中）；--restore 恢复 / void a child record entered by mistake; --restore undoes it",
        discussion: """
            作废后该儿童不再出现在名单、台账和报表中，全部历史仍可在 baoxue audit 中查看。
            A voided child leaves lists, ledgers and reports; its whole history stays in baoxue audit.
            """
    )
    @OptionGroup var options: GlobalOptions
    @OptionGroup var entry: EntryOptions
    @Option(help: "作废原因（如 重复录入）/ why") var reason: String?
    @Flag(help: "恢复已作废的记录 / restore a voided record") var restore = false

    func validate() throws {
        let l = options.language
        if restore, reason != nil { throw ValidationError(l.say(ChildMessages.giveRestoreOrReasonNot)) }
        if !restore, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(l.say(ChildMessages.sayWhyWithReason))
        }
    }

    func run() {
        recordEntry(options, entry) { () throws(AppError) in .voidChild(reason: restore ? "" : reason ?? "") }
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
            let which: Ledger
            switch ledger {
            case "suspected", Ledger.suspectedDropout.rawValue, Ledger.suspectedDropout.chinese: which = .suspectedDropout
            case "dropout", Ledger.dropout.chinese: which = .dropout
            default:
                throw .invalidChoice(
                    option: "--ledger", value: ledger, chinese: Ledger.allCases.map(\.chinese),
                    english: ["suspected", "dropout"])
            }
            return .closeOut(which, evidence: evidence, note: note)
        }
    }
}

struct Conflicts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "待人工核实的冲突：同一字段的并发值及其作者 / conflicts to settle: concurrent values and who wrote each",
        discussion:
            "核实后用 baoxue child status 或 baoxue child set 写入正确的值即可解决。\nSettle one by writing the right value with baoxue child status or "
            + "baoxue child set."
    )
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let rows = try ReplicaCommands.conflicts(directory: options.directory, language: options.language)
            if options.json {
                Output.json(rows)
                return
            }
            for row in rows { row.lines(options.language).forEach { print($0) } }
            print(options.language.say(ChildMessages.conflictCount, rows.count))
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
            if options.json {
                Output.json(view)
                return
            }
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
            if options.json {
                Output.json(view)
                return
            }
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
            let id = try ReplicaCommands.surveyStart(
                directory: options.directory, village: village, team: Parse.list(team),
                date: try Parse.date(date, option: "--date"), scope: scope, language: options.language)
            options.json ? Output.json(["survey": id]) : print(options.language.say(ChildMessages.surveyId, id))
        }
    }
}

struct SurveyHousehold: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "household", abstract: "记录查过的一户 / one household checked")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "摸排编号 / survey id") var survey: String
    @Option(help: "住址 / address") var address: String
    @Option(help: "发现的适龄儿童人数 / school-age children found") var children: Int
    @Option(help: "结论：均在校、无户籍、无学籍、未入学或未在校、家中无人 / finding: allAttending, noHukou, noStudentRegistration, notAttending, householdAbsent")
    var finding: String
    @Option(help: "相关儿童记录编号 / the child concerned, if known") var child: String?
    @Option(help: "日期 / date") var date: String?
    @Option(help: "写入的范围 / scope") var scope: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            let f = try Parse.label(finding, HouseholdCheck.Finding.self, option: "--finding")
            let view = try ReplicaCommands.surveyHousehold(
                directory: options.directory, survey: survey, check: HouseholdCheck(address: address, childrenFound: children, finding: f),
                child: child, date: try Parse.date(date, option: "--date"), scope: scope, language: options.language)
            if options.json {
                Output.json(view)
                return
            }
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
            if options.json {
                Output.json(view)
                return
            }
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
            return .closeCase(
                caseFile: file, placement: try Parse.label(placement, Placement.self, option: "--placement"), outcome: outcome)
        }
    }
}
