import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// Which report: the school's monthly report (一月一报告) or the district's
/// quarterly review (一季度一复核).
public enum ReportKind: String, Sendable, Codable, CaseIterable {
    case monthly, quarterly

    func title(_ l: Language) -> String { self == .monthly ? l.pick("月报", "monthly-report") : l.pick("季度复核", "quarterly-review") }
}

/// A file of a report, named as it is saved.
public struct ReportFile: Sendable, Equatable {
    public let name: String
    public let bytes: [UInt8]
}

/// A report as printed and as written: its period, each school's figures, and the files made.
public struct ReportView: Codable, Equatable, Sendable {
    public let kind: ReportKind
    public let period: String
    public let from: String
    public let to: String
    public let figures: [PeriodFigures]
    public let files: [String]
    /// The files carry full ID numbers (`--full-id`); otherwise only their last four digits.
    public var fullID = false

    public func lines(_ l: Language) -> [String] {
        var out = [
            l.pick(
                "\(kind == .monthly ? "一月一报告" : "一季度一复核") \(period)（\(from) 至 \(to)）",
                "\(kind.rawValue) report \(period) (\(from) to \(to))")
        ]
        for f in figures {
            out.append(
                l.pick(
                    "【\(f.school.isEmpty ? "未填学校" : f.school)】适龄儿童 \(f.children) 人，在校 \(f.byStatus["enrolled"] ?? 0)；疑似辍学/失学在册 "
                        + "\(f.suspectedOpen)，辍学在册 \(f.dropoutOpen)；本期新进台账 \(f.ledgerOpened)，销号 \(f.closedOut)，劝返复学 \(f.returned)；家访 "
                        + "\(f.visits) 次，劝返 \(f.persuasionAttempts) 次，送教上门 \(f.homeTeachingSessions) 次 \(f.homeTeachingHours) 课时；待核实冲突 "
                        + "\(f.conflicts)",
                    "[\(f.school.isEmpty ? "no school" : f.school)] \(f.children) children, \(f.byStatus["enrolled"] ?? 0) enrolled; "
                        + "open: \(f.suspectedOpen) suspected, \(f.dropoutOpen) dropouts; in the period: \(f.ledgerOpened) entered a "
                        + "ledger, \(f.closedOut) closed out, \(f.returned) returned; \(f.visits) visits, \(f.persuasionAttempts) "
                        + "persuasion attempts, \(f.homeTeachingSessions) home-teaching sessions (\(f.homeTeachingHours) class hours); "
                        + "\(f.conflicts) conflicts to settle"
                ))
        }
        if !files.isEmpty {
            out.append(l.pick("已写入：", "written: ") + files.joined(separator: l.pick("、", ", ")))
            out.append(
                l.pick(
                    "注意：报表含未成年人个人信息，请按规定保管，勿通过微信等外传。",
                    "Note: these files hold minors' personal information; keep them as the rules require and do not forward them."))
            out.append(
                fullID
                    ? l.pick("报表含完整身份证号（--full-id），请格外小心保管。", "The files hold full ID numbers (--full-id): take extra care of them.")
                    : l.pick(
                        "身份证号只保留后四位；确需完整号码时加 --full-id。",
                        "ID numbers keep only their last four digits; add --full-id if the full number is really needed."))
        }
        return out
    }
}

extension ReplicaCommands {
    /// Builds the report for `period` (`YYYY-MM` monthly, `YYYY-Qn` quarterly; default the current one),
    /// for one school or all; with `output`, also writes an XLSX workbook and one UTF-8-BOM CSV per sheet there.
    /// Files are never overwritten; ID numbers keep their last four digits unless `fullID`.
    public static func report(
        directory: String, kind: ReportKind, period: String?, school: String?, output: String?, fullID: Bool = false, language l: Language
    ) throws(AppError) -> ReportView {
        try report(try open(directory), kind: kind, period: period, school: school, output: output, fullID: fullID, language: l)
    }

    static func report(
        _ replica: Replica, kind: ReportKind, period: String?, school: String?, output: String?, fullID: Bool = false, language l: Language
    ) throws(AppError) -> ReportView {
        let (label, from, to) = try reportPeriod(kind, period)
        let log = replica.log
        let figures = try attempt { () throws(StoreError) in try log.periodFigures(from: from, to: to, school: school) }
        var files: [String] = []
        if let output {
            let book = try workbook(kind, figures: figures, log: log, school: school, asOf: to, fullID: fullID, l)
            let targets = namedFiles(book, kind, label, l).map { (output + "/" + $0.name, $0.bytes) }
            for (path, _) in targets where FileManager.default.fileExists(atPath: path) { throw .fileExists(path: path) }
            do { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) } catch {
                throw .store(.io(path: output, errno: errno))
            }
            for (path, bytes) in targets {
                guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                    throw .store(.io(path: path, errno: errno))
                }
                files.append(path)
            }
        }
        var view = ReportView(kind: kind, period: label, from: from.description, to: to.description, figures: figures, files: files)
        view.fullID = fullID
        return view
    }

    /// A report's files by name — the XLSX workbook, then one UTF-8-BOM CSV per sheet — as `report`
    /// writes them to a folder.
    static func namedFiles(_ book: Workbook, _ kind: ReportKind, _ label: String, _ l: Language) -> [(name: String, bytes: [UInt8])] {
        let base = kind.title(l) + "-" + label
        return [(base + ".xlsx", book.xlsx())] + book.sheets.map { (base + "-" + $0.name + ".csv", book.csv($0)) }
    }

    /// File `index` of the report as `reportFileNames` lists them (0: the workbook, then a CSV per
    /// sheet), computing only that file; nil past the last. What the field app hands a browser.
    static func reportFile(
        _ replica: Replica, kind: ReportKind, period: String?, index: Int, language l: Language
    ) throws(AppError) -> ReportFile? {
        let names = try reportFileNames(kind: kind, period: period, language: l)
        guard names.indices.contains(index) else { return nil }
        let (_, from, to) = try reportPeriod(kind, period)
        let figures = try attempt { () throws(StoreError) in try replica.log.periodFigures(from: from, to: to, school: nil) }
        let book = try workbook(kind, figures: figures, log: replica.log, school: nil, asOf: to, fullID: false, l)
        return ReportFile(name: names[index], bytes: index == 0 ? book.xlsx() : book.csv(book.sheets[index - 1]))
    }

    /// The workbook's sheets by name, in order: the one place they are named, so a page can list
    /// a report's files without computing it.
    static func sheetNames(_ kind: ReportKind, _ l: Language) -> [String] {
        let ledgers = [Ledger.suspectedDropout, .dropout].map { l.pick($0.chinese.replacingOccurrences(of: "/", with: ""), $0.rawValue) }
        return kind == .monthly
            ? [l.pick("汇总", "summary"), l.pick("适龄儿童台账", "all children")] + ledgers + [l.pick("重点群体台账", "focus groups")]
            : [l.pick("各校复核", "schools")] + ledgers
    }

    /// The names `reportFiles` gives its files, without computing the report (the period is checked).
    public static func reportFileNames(kind: ReportKind, period: String?, language l: Language) throws(AppError) -> [String] {
        let (label, _, _) = try reportPeriod(kind, period)
        let base = kind.title(l) + "-" + label
        return [base + ".xlsx"] + sheetNames(kind, l).map { base + "-" + $0 + ".csv" }
    }

    /// The period `day` falls in: `2026-12` monthly, `2026-Q4` quarterly.
    public static func period(_ kind: ReportKind, of day: SimpleDate) -> String {
        kind == .monthly ? String(format: "%04d-%02d", day.year, day.month) : "\(day.year)-Q\((day.month - 1) / 3 + 1)"
    }

    static func reportPeriod(_ kind: ReportKind, _ text: String?) throws(AppError) -> (String, SimpleDate, SimpleDate) {
        let now = try day()
        let label = text ?? period(kind, of: now)
        let parts = label.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), (2000...2100).contains(year) else {
            throw .invalidArgument(option: "--period", value: label)
        }
        let firstMonth: Int
        let months: Int
        if kind == .monthly, let m = Int(parts[1]), (1...12).contains(m) {
            (firstMonth, months) = (m, 1)
        } else if kind == .quarterly, parts[1].count == 2, parts[1].first == "Q", let q = Int(parts[1].dropFirst()), (1...4).contains(q) {
            (firstMonth, months) = (3 * q - 2, 3)
        } else {
            throw .invalidArgument(option: "--period", value: label)
        }
        return try attemptRecords { () throws(RecordsError) in
            let from = try SimpleDate(year: year, month: firstMonth, day: 1)
            let next =
                firstMonth + months > 12
                ? try SimpleDate(year: year + 1, month: 1, day: 1) : try SimpleDate(year: year, month: firstMonth + months, day: 1)
            return (label, from, try next.adding(days: -1))
        }
    }

    /// The workbook of a report whose period ends on `asOf`: its ledger sheets are the entries open then.
    static func workbook(
        _ kind: ReportKind, figures: [PeriodFigures], log: ChangeLog, school: String?, asOf: SimpleDate, fullID: Bool, _ l: Language
    ) throws(AppError) -> Workbook {
        typealias C = Workbook.Cell
        var book = Workbook()
        let columns: [(String, String, (PeriodFigures) -> Int)] = [
            ("适龄儿童", "children", \.children), ("在校", "enrolled", { $0.byStatus["enrolled"] ?? 0 }),
            ("疑似辍学/失学在册", "suspected open", \.suspectedOpen), ("辍学在册", "dropouts open", \.dropoutOpen),
            ("本期新进台账", "entered a ledger", \.ledgerOpened), ("本期销号", "closed out", \.closedOut), ("劝返复学", "returned", \.returned),
            ("家访", "visits", \.visits), ("劝返次数", "persuasion attempts", \.persuasionAttempts),
            ("送教上门次数", "home-teaching sessions", \.homeTeachingSessions),
            ("送教课时", "home-teaching hours", \.homeTeachingHours), ("缺课记录", "absences", \.absences), ("核查函", "letters", \.letters),
            ("待核实冲突", "conflicts", \.conflicts),
        ]
        let names = sheetNames(kind, l)
        book.add(
            names[0],
            header: [l.pick("学校", "school")] + columns.map { l.pick($0.0, $0.1) },
            rows: figures.map { f in [C.text(f.school)] + columns.map { C.number($0.2(f)) } })
        let children = try attempt { () throws(StoreError) in try log.children(school: school, limit: 1_000_000) }
        func status(_ s: ChildStatus?) -> String { s.map { l.pick($0.chinese, $0.rawValue) } ?? "" }
        if kind == .monthly {
            let ids = try attempt { () throws(StoreError) in try log.idNumbers(school: school) }
            book.add(
                names[1],
                header: [
                    l.pick("姓名", "name"), fullID ? l.pick("身份证号", "ID number") : l.pick("身份证号（后四位）", "ID number (last 4)"),
                    l.pick("学校", "school"), l.pick("年级", "grade"), l.pick("状态", "status"), l.pick("状态日期", "since"),
                    l.pick("重点群体", "focus groups"),
                ],
                rows: children.map { c in
                    [
                        .text(c.name ?? ""), .text(ids[c.child].map { fullID ? $0 : RosterPlan.mask($0) } ?? ""), .text(c.school ?? ""),
                        c.grade.map(C.number) ?? .text(""), .text(status(c.status)), .text(c.statusDate ?? ""),
                        .text(
                            c.focus.compactMap { FocusGroup(rawValue: $0).map { l.pick($0.chinese, $0.rawValue) } }.joined(
                                separator: l.pick("、", ", "))),
                    ]
                })
        }
        for (i, ledger) in [Ledger.suspectedDropout, .dropout].enumerated() {
            let rows = try attempt { () throws(StoreError) in try log.ledgerRegister(ledger, school: school, asOf: asOf) }
            let register = LedgerRegisterSheet(fullID: fullID, language: l)
            book.add(
                names[kind == .monthly ? 2 + i : 1 + i],
                header: register.header, rows: rows.enumerated().map { register.cells($0.offset + 1, $0.element) })
        }
        if kind == .monthly {
            let members = children.flatMap { c in
                c.focus.compactMap(FocusGroup.init(rawValue:)).map { (group: l.pick($0.chinese, $0.rawValue), child: c) }
            }
            .sorted { ($0.group, $0.child.name ?? "", $0.child.child.hex) < ($1.group, $1.child.name ?? "", $1.child.child.hex) }
            book.add(
                names[4],
                header: [l.pick("群体", "group"), l.pick("姓名", "name"), l.pick("学校", "school"), l.pick("状态", "status")],
                rows: members.map {
                    [.text($0.group), .text($0.child.name ?? ""), .text($0.child.school ?? ""), .text(status($0.child.status))]
                })
        }
        return book
    }
}
