import ArgumentParser
import BaoxueApp
import BaoxueRecords
import Foundation

/// Children: import rosters, show one, list and search.
struct ChildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "child",
        abstract: "儿童花名册：导入、查看、查找 / children: import rosters, show, search",
        subcommands: [
            ChildImport.self, ChildAdd.self, ChildMerge.self, ChildCheck.self, ChildShow.self, ChildList.self, ChildFileCommand.self,
            ChildStatusCommand.self, ChildSet.self, ChildFocus.self, ChildVoid.self, ChildTransfer.self, ChildTeachingBook.self,
        ]
    )
}

struct ChildImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "从学籍或户籍导出的 CSV 导入儿童 / import children from a student- or household-registry CSV export",
        discussion: """
            支持 UTF-8 和 GBK（Excel 默认）编码，自动识别。每行校验身份证号、性别、电话、年级；有问题的行不导入并说明原因，其余照常导入。
            同一文件重复导入不会产生重复记录；中途中断后再次运行即可继续。学籍导入的儿童状态记为“在校”（已有状态的不改）。
            Reads UTF-8 or GBK (Excel's default), detected automatically. Rows with a bad ID number, gender, phone or grade are \
            reported and skipped; the rest are imported. Importing the same file again adds nothing; an import cut short resumes \
            when run again. Children from the student registry are recorded as enrolled unless they already have a status.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "CSV 文件 / the CSV file") var file: String
    @Option(help: "来源：xueji（学籍）或 huji（户籍）/ source: xueji (student registry) or huji (household registry)") var source: String
    @Option(help: "写入的范围（学校），本机证书只有一个范围时可省略 / scope (school); optional when the certificate has one") var scope: String?

    func validate() throws {
        guard let s = RosterSource(rawValue: source), [.xueji, .huji].contains(s) else {
            throw ValidationError(options.language.say(ChildMessages.sourceMustBeXuejiOr))
        }
    }

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let report = try ReplicaCommands.importRoster(
                directory: options.directory, file: file, source: RosterSource(rawValue: source)!,
                scope: scope, language: l
            ) { done, total in
                if done % 160 == 0 || done == total {
                    FileHandle.standardError.write(Data(l.say(ChildMessages.written, done, total).utf8))
                }
            }
            if options.json {
                Output.json(report)
                return
            }
            for line in report.lines(l) { print(line) }
        }
    }
}

struct ChildShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "查看一个儿童的全部信息 / show one child's record",
        discussion: "身份证号默认只显示后 4 位；--full 显示完整号码。\nID numbers show their last 4 digits unless --full is given."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: childHelp) var child: String
    @Flag(help: "显示完整身份证号 / show the whole ID number") var full = false

    func run() {
        runReporting(options) { () throws(AppError) in
            let card = try ReplicaCommands.child(directory: options.directory, child: child, full: full, language: options.language)
            if options.json {
                Output.json(card)
                return
            }
            for line in card.lines(options.language) { print(line) }
            let l = options.language
            let attachments = try ReplicaCommands.childAttachments(directory: options.directory, child: child, language: l)
            if !attachments.isEmpty {
                print(l.say(ChildMessages.attachmentsHeading))
                for line in attachments { print("  " + line) }
            }
        }
    }
}

struct ChildList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "列出或查找儿童（按姓名、学校、编号、身份证号或学籍号）/ list or search children by name, school, id, ID number or student number"
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "查找的文字 / text to search for") var search = ""
    @Option(help: "只看某个学校 / only this school") var school: String?
    @Option(help: "只看某个重点群体（如 poverty 或 留守儿童）：重点群体台账 / only one focus group (the focus-group ledger)") var focus: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            var rows = try ReplicaCommands.searchChildren(directory: options.directory, text: search, school: school)
            if let focus {
                let group = try Parse.label(focus, FocusGroup.self, option: "--focus")
                rows = rows.filter { $0.focus.contains(group.rawValue) }
            }
            if options.json {
                Output.json(rows)
                return
            }
            for c in rows {
                let status = c.status.map { l.label($0) } ?? l.say(ChildMessages.statusUnknown)
                let grade = c.grade.map { l.say(ChildMessages.grade, $0) } ?? ""
                let conflict = c.conflicts.isEmpty ? "" : l.say(ChildMessages.conflictIn, l.list(c.conflicts.map { l.fieldName($0) }))
                let provisional = c.provisional == nil ? "" : l.say(ChildMessages.provisionalToBeMerged)
                print("\(c.child.hex)  \(c.name ?? "?")  \(c.school ?? "")  \(grade)  \(status)\(conflict)\(provisional)")
            }
            print(l.say(ChildMessages.children, rows.count))
        }
    }
}

struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "台账：疑似辍学/失学、辍学 / ledgers: suspected dropouts, dropouts",
        discussion: "台账条目只能通过销号（附佐证材料）移出。\nAn entry leaves a ledger only by close-out with evidence."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "suspected（疑似辍学/失学，默认）或 dropout（辍学）/ which ledger") var which = "suspected"
    @Option(help: "只看某个学校 / only this school") var school: String?

    func validate() throws {
        guard ["suspected", "dropout", "疑似辍学", "疑似辍学/失学台账", "辍学", "辍学台账"].contains(which) else {
            throw ValidationError(options.language.say(ChildMessages.ledgerMustBeSuspectedOr))
        }
    }

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let ledger: Ledger = ["dropout", "辍学", "辍学台账"].contains(which) ? .dropout : .suspectedDropout
            let rows = try ReplicaCommands.ledger(directory: options.directory, which: ledger, school: school)
            if options.json {
                Output.json(rows)
                return
            }
            print(l.label(ledger))
            for r in rows { print("\(r.child.hex)  \(r.name ?? "?")  \(r.school ?? "")  \(l.say(ChildMessages.sinceLabel)) \(r.since)") }
            print(l.say(ChildMessages.openEntries, rows.count))
        }
    }
}

struct ChildCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "四查三比对：户籍、学籍、在校、家庭困难名单相互比对 / compare household and student registries, attendance and the poverty list",
        discussion: """
            按身份证号比对。有户籍无学籍 → 疑似失学；有学籍不在校 → 疑似辍学；两者加 --apply 后进入疑似辍学/失学台账（已有其他状态的不改）；在校无学籍、户籍在外的列出供核对；家庭困难名单中的儿童标注“家庭困难”。不加 --apply 只比对，不写入。
            Matches by ID number. Household but no student registration → suspected never enrolled; registered but not in school → \
            suspected dropout; with --apply both go on the suspected-dropout ledger (a status other than enrolled is left alone). \
            Without --apply nothing is written.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "户籍名单 CSV / household-registry CSV") var huji: String
    @Option(help: "学籍名单 CSV / student-registry CSV") var xueji: String
    @Option(help: "在校学生名单 CSV（同学籍格式）/ children in school, student-registry format") var attending: String?
    @Option(help: "家庭困难（建档立卡/低保）名单 CSV：姓名、身份证号 / poverty-household list") var poverty: String?
    @Option(help: "写入的范围 / scope") var scope: String?
    @Flag(help: "把结果写入台账 / write the findings") var apply = false
    @Option(help: "按哪一天计算年龄（yyyy-MM-dd，默认本学年的 8 月 31 日）/ count ages on this day (default: this school year's 31 August)")
    var ageOn: String?
    @Option(help: "户籍名单所属的区县（默认取户籍地的共同部分，如 唐山市丰南区）/ the district the household list covers")
    var district: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            let day = try ageOn.map { text throws(AppError) -> SimpleDate in
                guard let d = try? SimpleDate(text) else { throw .invalidArgument(option: "--age-on", value: text) }
                return d
            }
            let view = try ReplicaCommands.checkRegistries(
                directory: options.directory, huji: huji, xueji: xueji, attending: attending,
                poverty: poverty, scope: scope, apply: apply, ageOn: day, district: district,
                language: options.language)
            if options.json {
                Output.json(view)
                return
            }
            view.lines(options.language).forEach { print($0) }
        }
    }
}

struct ChildAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "登记一个儿童（与导入同样校验）/ add one child (checked as an import row is)",
        discussion: """
            需要姓名，以及身份证号或学籍号。已存在的儿童只补充不同的字段。没有证件的儿童（摸排发现）用 --provisional 临时登记，\
            知道身份证号后用 baoxue child merge 并入正式记录。
            Needs a name and an ID number or student number. An existing child only gets the fields that differ. A child without \
            papers (found by a survey) is recorded with --provisional and merged into its registry record later (baoxue child merge).
            """
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "姓名 / name") var name: String
    @Option(help: "身份证号 / ID number") var id: String?
    @Option(help: "学籍号 / student number") var studentNumber: String?
    @Option(help: "性别 男/女 / gender") var gender: String?
    @Option(help: "学校 / school") var school: String?
    @Option(help: "年级 / grade") var grade: String?
    @Option(name: .customLong("class"), help: "班级 / class") var className: String?
    @Option(help: "现住址 / residence") var residence: String?
    @Option(help: "村（居）/ village") var village: String?
    @Option(help: "监护人 / guardian") var guardian: String?
    @Option(help: "监护人电话 / guardian's phone") var phone: String?
    @Option(help: "写入的范围 / scope") var scope: String?
    @Flag(help: "临时登记：没有身份证号和学籍号 / provisional: no ID number, no student number") var provisional = false
    @Option(help: "临时登记的来源，如 摸排：东村3组12号 / how the child was found") var found: String?
    @Option(help: "出生日期 YYYY-MM-DD（临时登记）/ date of birth (provisional)") var birthDate: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            if provisional { return try addProvisional() }
            let cells: [(String, String?)] = [
                ("姓名", name), ("身份证件号", id), ("全国学籍号", studentNumber), ("性别", gender), ("学校名称", school),
                ("年级", grade), ("班级", className), ("现住址", residence), ("村（居）", village), ("监护人", guardian), ("监护人电话", phone),
            ]
            let report = try ReplicaCommands.addChild(
                directory: options.directory, cells: cells.compactMap { k, v in v.map { (k, $0) } },
                scope: scope, language: options.language)
            if options.json {
                Output.json(report)
                return
            }
            let l = options.language
            print(
                l.say(
                    report.added == 1
                        ? ChildMessages.childAdded : report.updated == 1 ? ChildMessages.childUpdated : ChildMessages.childUnchanged)
                    + (report.child.map { l.say(ChildMessages.childId, $0) } ?? ""))
        }
    }
}

extension ChildAdd {
    /// `--provisional`: a child without papers, with the fields given (the record rules check each).
    func addProvisional() throws(AppError) {
        let l = options.language
        guard id == nil, studentNumber == nil else { throw .invalidArgument(option: "--provisional", value: id ?? studentNumber ?? "") }
        var fields: [(String, FieldValue)] = []
        if let gender {
            guard let g = Gender.allCases.first(where: { $0.chinese == gender || $0.rawValue == gender }) else {
                throw .invalidChoice(option: "--gender", value: gender, chinese: ["男", "女"], english: ["male", "female"])
            }
            fields.append(("gender", .text(g.rawValue)))
        }
        if let birth = try Parse.date(birthDate, option: "--birth-date") { fields.append(("birthDate", .date(birth))) }
        if let grade {
            guard let g = Int(grade) else { throw .invalidArgument(option: "--grade", value: grade) }
            fields.append(("grade", .number(g)))
        }
        let texts: [(String, String?)] = [
            ("school", school), ("className", className), ("residence", residence), ("village", village),
            ("guardianName", guardian), ("guardianPhone", phone),
        ]
        for case (let field, let value?) in texts { fields.append((field, .text(value))) }
        let child = try ReplicaCommands.addProvisional(
            directory: options.directory, name: name, found: found ?? "", fields: fields,
            scope: scope, language: l)
        if options.json {
            Output.json(["child": child.hex])
            return
        }
        print(
            l.say(ChildMessages.recordedProvisionallyChildIdOnce, child.hex, child.hex.prefix(8)))
    }
}

struct ChildMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "把临时登记并入正式记录（保留两边的全部记录）/ merge a provisional child into its registry record, keeping both histories",
        discussion: """
            合并后，列表、台账和此后的报表只显示正式记录，临时登记的记录都归入其中；合并前已结束的月份的报表不变。撤销：baoxue void 合并的编号。
            From then on lists, ledgers and reports show the registry record, with the provisional one's history in it; reports of \
            periods that ended before the merge do not change. To undo: baoxue void with the merge's id.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "临时登记的儿童 / the provisional child") var provisional: String
    @Option(help: "正式记录（有身份证号或学籍号）/ the registry child") var into: String

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let out = try ReplicaCommands.mergeChild(directory: options.directory, provisional: provisional, into: into, language: l)
            if options.json {
                Output.json(out)
                return
            }
            print(l.say(ChildMessages.mergedEntryIdBaoxueVoid, out.entry))
        }
    }
}

struct ChildTransfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "办理转学：把儿童的既往记录交给转入学校（区县管理员）/ transfer a child to another school (district admin)",
        discussion: """
            转入学校的成员同步后可查看该儿童的既往记录，且只能看到这一名儿童；已写入的记录不重新加密。转出学校记"转出"，转入学校记"转入"。
            The new school's members, once synced, read this child's earlier records and no other child's; \
            nothing written is re-encrypted. \
            The old school records "transferred out", the new one "transferred in".
            """
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: childHelp) var child: String
    @Option(help: "转入学校的范围 / the receiving school's scope") var to: String
    @Option(help: "转出学校的范围（默认：记录最初所在的学校）/ the school the child leaves (default: where the record was first written)") var from: String?
    @Option(help: "原因 / reason") var reason: String
    @Option(help: "日期 YYYY-MM-DD（默认今天）/ date (default today)") var date: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try ReplicaCommands.transfer(
                directory: options.directory, child: child, from: from, to: to, reason: reason,
                date: try Parse.date(date, option: "--date"), language: options.language)
            options.json ? Output.json(view) : print(view.text(options.language))
        }
    }
}
