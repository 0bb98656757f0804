import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueStore
import Foundation

/// Which registry a roster comes from: the student registry (学籍, one row per
/// enrolled pupil) or the household registry (户籍, every school-age child
/// living in the area). Each has its own column names; both identify a child
/// by ID number (学籍 may use the student number when the ID is missing).
public enum RosterSource: String, CaseIterable, Sendable, Codable {
    case xueji, huji
    /// 建档立卡/低保 poverty-household list (name and ID number): only for the registry comparison.
    case poverty
    /// One child typed in (`child add`): every field, no status implied.
    case manual

    /// Field → the column names the registries' exports use for it.
    var columns: [(field: String, names: [String])] {
        switch self {
        case .xueji:
            [
                ("name", ["姓名", "学生姓名"]), ("gender", ["性别"]), ("birthDate", ["出生日期"]),
                ("idNumber", ["身份证件号", "身份证号", "身份证号码", "公民身份号码"]), ("studentNumber", ["全国学籍号", "学籍号", "学籍辅号"]),
                ("school", ["学校名称", "学校", "就读学校"]), ("grade", ["年级"]), ("className", ["班级", "班级名称", "班号"]),
                ("hukouPlace", ["户口所在地", "户籍地", "户口性质所在地"]), ("residence", ["现住址", "家庭住址"]),
                ("guardianName", ["监护人", "监护人姓名", "家长姓名"]), ("guardianPhone", ["监护人电话", "联系电话", "家长电话"]),
            ]
        case .huji:
            [
                ("name", ["姓名"]), ("gender", ["性别"]), ("birthDate", ["出生日期"]),
                ("idNumber", ["公民身份号码", "身份证号", "身份证号码", "身份证件号"]), ("hukouPlace", ["户籍地址", "户籍地", "住址"]),
                ("residence", ["现住址", "居住地址"]), ("guardianName", ["户主姓名", "户主", "监护人"]),
                ("guardianPhone", ["联系电话", "电话"]), ("village", ["村（居）", "村/社区", "村居", "村"]),
            ]
        case .poverty:
            [("name", ["姓名", "学生姓名", "儿童姓名"]), ("idNumber", ["身份证号", "身份证号码", "公民身份号码", "身份证件号"])]
        case .manual:
            RosterSource.xueji.columns + [("village", ["村（居）"])]
        }
    }

    /// Focus-group columns a roster may carry: one list column (留守儿童、残疾儿童 …) and a yes/no
    /// column per group named as the group is (留守儿童 or 是否留守儿童: 是 / 否).
    static let focusColumns: [(field: String, names: [String])] =
        [("focus", ["重点群体", "特殊群体", "关注群体"])]
        + FocusGroup.allCases.map { ("focus.\($0.rawValue)", [$0.chinese, "是否" + $0.chinese]) }

    /// Columns a file must have to be imported at all.
    var required: [[String]] {
        switch self {
        case .xueji: [["name"], ["idNumber", "studentNumber"], ["school"], ["grade"]]
        case .manual: [["name"], ["idNumber", "studentNumber"]]
        case .huji, .poverty: [["name"], ["idNumber"]]
        }
    }
}

/// One row that will be imported: the child's identity key and its field values.
struct RosterRow: Sendable {
    /// The row's text value of `field`, if it has one.
    func text(_ field: String) -> String? {
        for (name, value) in fields where name == field {
            if case .text(let t) = value { return t }
        }
        return nil
    }

    /// The row's birth date (from the ID number or the date column).
    var birthDate: SimpleDate? {
        for (name, value) in fields where name == "birthDate" {
            if case .date(let d) = value { return d }
        }
        return nil
    }

    let line: Int
    let child: RecordID
    let fields: [(String, FieldValue)]
    /// Focus groups (重点群体) the roster marks the child as in: added, never removed, by an import.
    var focus: [FocusGroup] = []
}

/// A row left out of an import and why (one line for the user).
public struct RosterRejection: Codable, Equatable, Sendable {
    public let line: Int
    public let reason: String
}

/// Reads a roster's rows into field values, refusing rows a registry clerk
/// would have to fix (bad ID number, missing name, bad phone, grade out of
/// range, a child twice in the file). Pure: no store involved.
struct RosterPlan {
    var rows: [RosterRow] = []
    var rejected: [RosterRejection] = []

    /// The record id of a child: derived from the ID number (or, without one, the student
    /// number) under the district's registry key, so two devices of the district importing the
    /// same registry write to the same record and nobody without the key can reverse it.
    static func child(idNumber: String?, studentNumber: String?, key: RegistryKey) -> RecordID? {
        if let id = idNumber { return key.child(idNumber: id) }
        if let number = studentNumber { return key.child(studentNumber: number) }
        return nil
    }

    init(
        _ file: RosterFile, source: RosterSource, path: String, today: SimpleDate, registryKey: RegistryKey,
        language l: Language
    ) throws(AppError) {
        guard let header = file.records.first else {
            throw .rosterMalformed(path: path, line: 1, reason: l.say(RegistryMessages.fileIsEmpty))
        }
        var index: [String: Int] = [:]
        for (field, names) in source.columns + (source == .poverty ? [] : RosterSource.focusColumns) {
            if let i = header.firstIndex(where: { names.contains($0) }) { index[field] = i }
        }
        let missing = source.required.filter { alternatives in !alternatives.contains { index[$0] != nil } }
        guard missing.isEmpty else {
            let names = missing.map { alts in
                alts.compactMap { f in source.columns.first { $0.field == f }?.names.first }.joined(separator: l.say(RegistryMessages.or))
            }
            throw .rosterColumns(path: path, missing: names)
        }
        var seen: [RecordID: Int] = [:]
        for (offset, cells) in file.records.enumerated().dropFirst() {
            let line = file.lines[offset]
            // An unquoted comma in a cell shifts every later column: refuse the row rather than read it wrong.
            guard cells.count == header.count else {
                rejected.append(
                    RosterRejection(
                        line: line,
                        reason: l.say(RegistryMessages.columnsWhereHeaderHasQuote, cells.count, header.count)))
                continue
            }
            func cell(_ field: String) -> String? {
                guard let i = index[field], i < cells.count, !cells[i].isEmpty else { return nil }
                return cells[i]
            }
            switch Self.row(cell, line: line, source: source, today: today, key: registryKey, language: l) {
            case .failure(let reason):
                rejected.append(RosterRejection(line: line, reason: reason.text))
            case .success(let row):
                if let first = seen[row.child] {
                    rejected.append(
                        RosterRejection(
                            line: line, reason: l.say(RegistryMessages.sameChildAsLineDuplicate, first)))
                } else {
                    seen[row.child] = line
                    rows.append(row)
                }
            }
        }
    }

    /// The rows of people of compulsory-education age on `reference`, and the rest of the list
    /// (a household export names whole households). A row without a birth date counts as of age.
    func bySchoolAge(_ policy: Policy, on reference: SimpleDate) -> (ofAge: [RosterRow], others: [RosterRow]) {
        var ofAge: [RosterRow] = []
        var others: [RosterRow] = []
        for row in rows {
            let of = row.birthDate.map { policy.isOfCompulsoryAge(born: $0, on: reference) } ?? true
            if of { ofAge.append(row) } else { others.append(row) }
        }
        return (ofAge, others)
    }

    /// A name as registries mean it: full-width spaces (padding "王　芳" to three characters) and
    /// runs of spaces folded; a name of Chinese characters only loses its spaces ("王　芳" is 王芳).
    static func normalizedName(_ raw: String) -> String {
        let folded = raw.replacingOccurrences(of: "\u{3000}", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let chineseOnly = folded.unicodeScalars.allSatisfy { $0 == " " || (0x4E00...0x9FFF).contains($0.value) || $0 == "·" }
        return chineseOnly ? folded.replacingOccurrences(of: " ", with: "") : folded
    }

    private static func row(
        _ cell: (String) -> String?, line: Int, source: RosterSource, today: SimpleDate, key: RegistryKey,
        language l: Language
    ) -> Result<RosterRow, RosterRejectionReason> {
        guard let name = cell("name").map(Self.normalizedName), !name.isEmpty else {
            return .failure(RosterRejectionReason(text: l.say(RegistryMessages.noName)))
        }
        var resident: ResidentID?
        if let text = cell("idNumber") {
            guard let parsed = try? ResidentID(text.uppercased()) else {
                return .failure(
                    RosterRejectionReason(
                        text: l.say(RegistryMessages.idNumberIsInvalidLength, Self.mask(text))))
            }
            resident = parsed
        }
        let studentNumber = cell("studentNumber")
        guard let child = child(idNumber: resident?.value, studentNumber: studentNumber, key: key) else {
            return .failure(
                RosterRejectionReason(
                    text: l.say(RegistryMessages.noIdNumberAndNo)))
        }
        var fields: [(String, FieldValue)] = [("name", .text(name))]
        if let resident { fields.append(("idNumber", .text(resident.value))) }
        if let studentNumber { fields.append(("studentNumber", .text(studentNumber))) }
        if let g = cell("gender") {
            guard let gender = Gender.allCases.first(where: { $0.chinese == g || $0.rawValue == g.lowercased() }) else {
                return .failure(RosterRejectionReason(text: l.say(RegistryMessages.genderMustBeOr, g)))
            }
            if let resident, resident.gender != gender {
                return .failure(RosterRejectionReason(text: l.say(RegistryMessages.genderDoesNotMatchId)))
            }
            fields.append(("gender", .text(gender.rawValue)))
        } else if let resident {
            fields.append(("gender", .text(resident.gender.rawValue)))
        }
        if let resident {
            fields.append(("birthDate", .date(resident.birthDate)))
        } else if let text = cell("birthDate") {
            guard let date = Self.date(text), date <= today else {
                return .failure(RosterRejectionReason(text: l.say(RegistryMessages.birthDateIsInvalid, text)))
            }
            fields.append(("birthDate", .date(date)))
        }
        if let text = cell("grade") {
            guard let grade = Self.grade(text) else {
                return .failure(RosterRejectionReason(text: l.say(RegistryMessages.gradeMustBe, text)))
            }
            fields.append(("grade", .number(grade)))
        }
        if let phone = cell("guardianPhone") {
            guard (try? PhoneNumber.validate(phone)) != nil else {
                return .failure(RosterRejectionReason(text: l.say(RegistryMessages.phoneIsInvalid, phone)))
            }
            fields.append(("guardianPhone", .text(phone)))
        }
        for field in ["school", "className", "hukouPlace", "residence", "guardianName", "village"] {
            if let text = cell(field) { fields.append((field, .text(text))) }
        }
        for (field, value) in fields {
            do throws(RecordsError) { try Schema.validate(kind: .child, field: field, value: value) } catch {
                return .failure(RosterRejectionReason(text: l.say(RegistryMessages.fieldIsInvalid, field, error)))
            }
        }
        var focus: [FocusGroup] = []
        let listed = (cell("focus") ?? "").split(whereSeparator: { "，,、;；/ ".contains($0) }).map(String.init)
        for text in listed {
            guard let group = FocusGroup.allCases.first(where: { $0.chinese == text || $0.rawValue == text }) else {
                return .failure(
                    RosterRejectionReason(
                        text: l.say(RegistryMessages.unknownFocusGroup, text, l.list(FocusGroup.allCases.map { l.label($0) }))))
            }
            if !focus.contains(group) { focus.append(group) }
        }
        for group in FocusGroup.allCases where !focus.contains(group) {
            guard let mark = cell("focus.\(group.rawValue)") else { continue }
            switch mark.uppercased() {
            case "是", "Y", "YES", "1", "√", "✓", "TRUE": focus.append(group)
            case "否", "N", "NO", "0", "×", "FALSE": break
            default:
                return .failure(
                    RosterRejectionReason(
                        text: l.say(RegistryMessages.focusColumnTakesYesNo, l.label(group), mark)))
            }
        }
        if source == .xueji, let date = try? Policy.fengnan.ageReference(today: today).adding(days: 1) {
            // On the student registry means enrolled this school year (from 1 September), whoever imports
            // it and on whatever day: two imports of one roster write the same value and never conflict.
            fields.append(("status", .status(StatusFact(status: .enrolled, date: date, reason: "学籍导入"))))
        }
        return .success(RosterRow(line: line, child: child, fields: fields, focus: focus))
    }

    /// Masks all but the last 4 characters (ID numbers in messages and logs).
    static func mask(_ text: String) -> String {
        text.count <= 4 ? text : String(repeating: "*", count: text.count - 4) + text.suffix(4)
    }

    /// A birth date shown beside a masked ID number: the year only (2015-**-**). With the full date,
    /// the county code (from the school's path) and the last four digits rebuild the whole number.
    static func maskBirthDate(_ text: String) -> String {
        guard text.count == 10, text.dropFirst(4).first == "-" else { return text.isEmpty ? text : "****-**-**" }
        return text.prefix(4) + "-**-**"
    }

    /// 2012-03-05, 2012/3/5, 2012.3.5 or 20120305.
    static func date(_ text: String) -> SimpleDate? {
        let parts = text.split(whereSeparator: { "-/.年月日".contains($0) }).compactMap { Int($0) }
        if parts.count == 3 { return try? SimpleDate(year: parts[0], month: parts[1], day: parts[2]) }
        if parts.count == 1, text.count == 8, let n = Int(text) {
            return try? SimpleDate(year: n / 10_000, month: n / 100 % 100, day: n % 100)
        }
        return nil
    }

    /// "3", "三年级", "七年级", "初一" … "初三" (7–9).
    static func grade(_ text: String) -> Int? {
        let numerals: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
        let t = text.replacingOccurrences(of: "年级", with: "").trimmingCharacters(in: .whitespaces)
        var grade: Int?
        if let n = Int(t) {
            grade = n
        } else if t.count == 1, let n = numerals[t.first!] {
            grade = n
        } else if t.hasPrefix("初"), t.count == 2, let n = numerals[t.last!], n <= 3 {
            grade = 6 + n
        }
        guard let grade, (1...9).contains(grade) else { return nil }
        return grade
    }
}

/// Why one row cannot be imported, in the user's language.
struct RosterRejectionReason: Error {
    let text: String
}
