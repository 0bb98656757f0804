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
        return [l.pick("序号", "no."), l.pick("姓名", "name"), l.pick("性别", "gender"), l.pick("出生日期", "date of birth"),
                fullID ? l.pick("身份证号", "ID number") : l.pick("身份证号（后四位）", "ID number (last 4)"),
                l.pick("学校", "school"), l.pick("年级", "grade"), l.pick("班级", "class"), l.pick("户籍地", "household registration"),
                l.pick("现住址", "residence"), l.pick("监护人", "guardian"), l.pick("联系电话", "phone"), l.pick("在册起始日", "on the ledger since"),
                l.pick("当前状态", "status"), l.pick("辍学（失学）原因", "reason"), l.pick("已采取措施", "measures taken"),
                l.pick("责任人", "responsible")]
    }

    func cells(_ number: Int, _ r: LedgerRegisterRow) -> [Workbook.Cell] {
        let l = language
        let id = r.idNumber.map { fullID ? $0 : RosterPlan.mask($0) } ?? ""
        let birth = r.birthDate.map { fullID ? $0 : RosterPlan.maskBirthDate($0) } ?? ""
        return [.number(number), .text(r.name ?? ""), .text(r.gender.map { l.pick($0.chinese, $0.rawValue) } ?? ""),
                .text(birth), .text(id), .text(r.school ?? ""), r.grade.map(Workbook.Cell.number) ?? .text(""),
                .text(r.className ?? ""), .text(r.hukouPlace ?? ""), .text(r.residence ?? ""), .text(r.guardianName ?? ""),
                .text(r.guardianPhone ?? ""), .text(r.since), .text(r.status.map { l.pick($0.chinese, $0.rawValue) } ?? ""),
                .text(reason(r)), .text(measures(r)), .text(responsible(r))]
    }

    /// The case's reason category and words when a case was opened, else the status's reason.
    func reason(_ r: LedgerRegisterRow) -> String {
        let l = language
        guard let category = r.caseReason else { return r.statusReason ?? "" }
        let label = l.pick(category.chinese, category.rawValue)
        return r.caseReasonText.map { "\(label)：\($0)" } ?? label
    }

    /// 家访 N 次；劝返 M 次（最近：方式，结果）；约定：…
    func measures(_ r: LedgerRegisterRow) -> String {
        let l = language
        var parts = [l.pick("家访 \(r.visits) 次", "\(r.visits) visit(s)")]
        var attempts = l.pick("劝返 \(r.attempts) 次", "\(r.attempts) persuasion attempt(s)")
        if let outcome = r.lastAttempt {
            let method = r.lastAttemptMethod ?? ""
            attempts += l.pick("（最近：\(method)，\(outcome.chinese)）", " (latest: \(method), \(outcome.rawValue))")
        }
        parts.append(attempts)
        if let agreed = r.lastAgreed { parts.append(l.pick("约定：\(agreed)", "agreed: \(agreed)")) }
        return parts.joined(separator: l.pick("；", "; "))
    }

    /// `role:name` elements as 村长：李村长、教师：王老师.
    func responsible(_ r: LedgerRegisterRow) -> String {
        let l = language
        return r.responsible.map { element in
            let parts = element.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let role = ResponsibleRole(rawValue: parts[0]) else { return element }
            return l.pick("\(role.chinese)：\(parts[1])", "\(role.rawValue): \(parts[1])")
        }.joined(separator: l.pick("、", ", "))
    }
}
