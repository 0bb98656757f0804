import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// Which report: the school's monthly report (一月一报告) or the district's
/// quarterly review (一季度一复核).
public enum ReportKind: String, Sendable, Codable, CaseIterable {
    case monthly, quarterly

    func title(_ l: Language) -> String { self == .monthly ? l.say(ReportMessages.monthlyReport) : l.say(ReportMessages.quarterlyReview) }
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
            l.say(kind == .monthly ? ReportMessages.monthlyReportFor : ReportMessages.quarterlyReviewFor, period, from, to)
        ]
        for f in figures {
            out.append(
                l.say(
                    ReportMessages.schoolFigures, f.school.isEmpty ? l.say(ReportMessages.noSchool) : f.school, f.children,
                    f.byStatus["enrolled"] ?? 0, f.suspectedOpen, f.dropoutOpen, f.ledgerOpened, f.closedOut, f.returned, f.visits,
                    f.persuasionAttempts, f.homeTeachingSessions, f.homeTeachingHours, f.conflicts))
        }
        if !files.isEmpty {
            out.append(l.say(ReportMessages.written) + files.joined(separator: l.say(Punctuation.listSeparator)))
            out.append(
                l.say(ReportMessages.noteTheseFilesHoldMinors))
            out.append(
                fullID
                    ? l.say(ReportMessages.filesHoldFullIdNumbers)
                    : l.say(ReportMessages.idNumbersKeepOnlyTheir))
        }
        return out
    }
}

extension ReplicaCommands {
    /// Builds the report for `period` (`YYYY-MM` monthly, `YYYY-Qn` quarterly; default the current one),
    /// for one school or all; with `output`, also writes an XLSX workbook and one UTF-8-BOM CSV per sheet there,
    /// and the manifest of those files signed by this device (`Protocol/reports.md`).
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
            let named = try namedFiles(book, kind, label, to: to, l)
            let signed = try manifest(
                replica, kind: kind, label: label, from: from, to: to, school: school, fullID: fullID, files: named)
            let manifestName = kind.title(l) + "-" + label + ReportManifest.fileSuffix
            let targets = (named + [(manifestName, signed)]).map { (output + "/" + $0.name, $0.bytes) }
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
    static func namedFiles(
        _ book: Workbook, _ kind: ReportKind, _ label: String, to: SimpleDate, _ l: Language
    ) throws(AppError) -> [(name: String, bytes: [UInt8])] {
        let base = kind.title(l) + "-" + label
        return [(base + ".xlsx", try XLSXFile.bytes(book, created: to))] + book.sheets.map { (base + "-" + $0.name + ".csv", book.csv($0)) }
    }

    /// File `index` of the report as `reportDownloadNames` lists them (0: the workbook, then a CSV per
    /// sheet, then the manifest signed now), computing only that file; nil past the last. What the
    /// field app hands a browser.
    static func reportFile(
        _ replica: Replica, kind: ReportKind, period: String?, index: Int, language l: Language
    ) throws(AppError) -> ReportFile? {
        let names = try reportDownloadNames(kind: kind, period: period, language: l)
        guard names.indices.contains(index) else { return nil }
        let (label, from, to) = try reportPeriod(kind, period)
        let figures = try attempt { () throws(StoreError) in try replica.log.periodFigures(from: from, to: to, school: nil) }
        let book = try workbook(kind, figures: figures, log: replica.log, school: nil, asOf: to, fullID: false, l)
        if index == names.count - 1 {
            let named = try namedFiles(book, kind, label, to: to, l)
            let signed = try manifest(replica, kind: kind, label: label, from: from, to: to, school: nil, fullID: false, files: named)
            return ReportFile(name: names[index], bytes: signed)
        }
        return ReportFile(name: names[index], bytes: index == 0 ? try XLSXFile.bytes(book, created: to) : book.csv(book.sheets[index - 1]))
    }

    /// The workbook's sheets by name, in order: the one place they are named, so a page can list
    /// a report's files without computing it.
    static func sheetNames(_ kind: ReportKind, _ l: Language) -> [String] {
        let ledgers = [Ledger.suspectedDropout, .dropout].map { l.label($0).replacingOccurrences(of: "/", with: "") }
        return kind == .monthly
            ? [l.say(ReportMessages.summary), l.say(ReportMessages.allChildren)] + ledgers + [l.say(ReportMessages.focusGroups)]
            : [l.say(ReportMessages.schools)] + ledgers
    }

    /// The names `reportFiles` gives its files, without computing the report (the period is checked).
    public static func reportFileNames(kind: ReportKind, period: String?, language l: Language) throws(AppError) -> [String] {
        let (label, _, _) = try reportPeriod(kind, period)
        let base = kind.title(l) + "-" + label
        return [base + ".xlsx"] + sheetNames(kind, l).map { base + "-" + $0 + ".csv" }
    }

    /// The files a report is downloaded as: `reportFileNames`, then its signed manifest.
    public static func reportDownloadNames(kind: ReportKind, period: String?, language l: Language) throws(AppError) -> [String] {
        let (label, _, _) = try reportPeriod(kind, period)
        return try reportFileNames(kind: kind, period: period, language: l) + [kind.title(l) + "-" + label + ReportManifest.fileSuffix]
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
        let columns: [(ReportMessages, (PeriodFigures) -> Int)] = [
            (.childrenColumn, \.children), (.enrolledColumn, { $0.byStatus["enrolled"] ?? 0 }),
            (.suspectedOpenColumn, \.suspectedOpen), (.dropoutsOpenColumn, \.dropoutOpen),
            (.enteredLedgerColumn, \.ledgerOpened), (.closedOutColumn, \.closedOut), (.returnedColumn, \.returned),
            (.visitsColumn, \.visits), (.persuasionAttemptsColumn, \.persuasionAttempts),
            (.homeTeachingSessionsColumn, \.homeTeachingSessions),
            (.homeTeachingHoursColumn, \.homeTeachingHours), (.absencesColumn, \.absences), (.lettersColumn, \.letters),
            (.conflictsColumn, \.conflicts),
        ]
        let names = sheetNames(kind, l)
        book.add(
            names[0],
            header: [l.say(ReportMessages.school)] + columns.map { l.say($0.0) },
            rows: figures.map { f in [C.text(f.school)] + columns.map { C.number($0.1(f)) } })
        // The chart: per school, the ledgers' figures (in the summary's columns 3–7: suspected and dropouts open,
        // entered, closed out, returned).
        book.addChart(
            l.say(ReportMessages.chart), title: l.say(kind == .monthly ? ReportMessages.monthChartTitle : ReportMessages.quarterChartTitle),
            series: Array(3...7))
        let children = try attempt { () throws(StoreError) in try log.children(school: school, limit: 1_000_000) }
        func status(_ s: ChildStatus?) -> String { s.map { l.label($0) } ?? "" }
        if kind == .monthly {
            let ids = try attempt { () throws(StoreError) in try log.idNumbers(school: school) }
            book.add(
                names[1],
                header: [
                    l.say(ReportMessages.name), fullID ? l.say(ReportMessages.idNumber) : l.say(ReportMessages.idNumberLast),
                    l.say(ReportMessages.school), l.say(ReportMessages.grade), l.say(ReportMessages.statusHeading),
                    l.say(ReportMessages.since),
                    l.say(ReportMessages.focusGroupsHeading),
                ],
                rows: children.map { c in
                    [
                        .text(c.name ?? ""), .text(ids[c.child].map { fullID ? $0 : RosterPlan.mask($0) } ?? ""), .text(c.school ?? ""),
                        c.grade.map(C.number) ?? .text(""), .text(status(c.status)), .date(c.statusDate),
                        .text(
                            c.focus.compactMap { FocusGroup(rawValue: $0).map { l.label($0) } }.joined(
                                separator: l.say(Punctuation.listSeparator))),
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
                c.focus.compactMap(FocusGroup.init(rawValue:)).map { (group: l.label($0), child: c) }
            }
            .sorted { ($0.group, $0.child.name ?? "", $0.child.child.hex) < ($1.group, $1.child.name ?? "", $1.child.child.hex) }
            book.add(
                names[4],
                header: [
                    l.say(ReportMessages.group), l.say(ReportMessages.name), l.say(ReportMessages.school),
                    l.say(ReportMessages.statusHeading),
                ],
                rows: members.map {
                    [.text($0.group), .text($0.child.name ?? ""), .text($0.child.school ?? ""), .text(status($0.child.status))]
                })
        }
        return book
    }
}
