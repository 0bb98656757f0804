import BaoxueRecords
import BaoxueStore

/// A ledger sheet in the columns of the notices' 登记表 (e.g. 济南市义务教育阶段辍学学生登记表):
/// number, the child and its family, since when and why it is on the ledger, the measures taken
/// and the responsible people. The ID number keeps its last 4 digits unless `fullID`.
struct LedgerRegisterSheet {
    let fullID: Bool
    let language: Language

    var header: [String] {
        let l = language
        return [
            l.say(ReportMessages.no), l.say(ReportMessages.name), l.say(ReportMessages.gender), l.say(ReportMessages.dateOfBirth),
            fullID ? l.say(ReportMessages.idNumber) : l.say(ReportMessages.idNumberLast),
            l.say(ReportMessages.school), l.say(ReportMessages.grade), l.say(ReportMessages.classText),
            l.say(ReportMessages.householdRegistration),
            l.say(ReportMessages.residence), l.say(ReportMessages.guardian), l.say(ReportMessages.phone),
            l.say(ReportMessages.onLedgerSince),
            l.say(ReportMessages.status), l.say(ReportMessages.reason), l.say(ReportMessages.measuresTaken),
            l.say(ReportMessages.responsible),
        ]
    }

    func cells(_ number: Int, _ r: LedgerRegisterRow) -> [Workbook.Cell] {
        let l = language
        let id = r.idNumber.map { fullID ? $0 : RosterPlan.mask($0) } ?? ""
        let birth = fullID ? Workbook.Cell.date(r.birthDate) : .text(r.birthDate.map(RosterPlan.maskBirthDate) ?? "")
        return [
            .number(number), .text(r.name ?? ""), .text(r.gender.map { l.label($0) } ?? ""),
            birth, .text(id), .text(r.school ?? ""), r.grade.map(Workbook.Cell.number) ?? .text(""),
            .text(r.className ?? ""), .text(r.hukouPlace ?? ""), .text(r.residence ?? ""), .text(r.guardianName ?? ""),
            .text(r.guardianPhone ?? ""), .date(r.since), .text(r.status.map { l.label($0) } ?? ""),
            .text(reason(r)), .text(measures(r)), .text(responsible(r)),
        ]
    }

    /// The case's reason category and words when a case was opened, else the status's reason.
    func reason(_ r: LedgerRegisterRow) -> String {
        let l = language
        guard let category = r.caseReason else { return r.statusReason ?? "" }
        let label = l.label(category)
        return r.caseReasonText.map { "\(label)：\($0)" } ?? label
    }

    /// 家访 N 次；劝返 M 次（最近：方式，结果）；约定：…
    func measures(_ r: LedgerRegisterRow) -> String {
        let l = language
        var parts = [l.say(ReportMessages.visits, r.visits)]
        var attempts = l.say(ReportMessages.persuasionAttempts, r.attempts)
        if let outcome = r.lastAttempt {
            let method = r.lastAttemptMethod ?? ""
            attempts += l.say(ReportMessages.latestAttempt, method, l.label(outcome))
        }
        parts.append(attempts)
        if let agreed = r.lastAgreed { parts.append(l.say(ReportMessages.agreed, agreed)) }
        return parts.joined(separator: l.say(Punctuation.clauseSeparator))
    }

    /// `role:name` elements as 村长：李村长、教师：王老师.
    func responsible(_ r: LedgerRegisterRow) -> String {
        let l = language
        return r.responsible.map { element in
            let parts = element.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let role = ResponsibleRole(rawValue: parts[0]) else { return element }
            return l.label(role) + l.say(Punctuation.colon) + parts[1]
        }.joined(separator: l.say(Punctuation.listSeparator))
    }
}
