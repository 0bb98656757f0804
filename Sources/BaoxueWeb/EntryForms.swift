import BaoxueApp
import BaoxueRecords

/// The entries a teacher or an admin records about a child: an absence (缺课), leave and its end
/// (请假、销假), a home visit with photos (家访), a persuasion attempt under an open case (劝返), a
/// home-teaching session (送教上门) and, for a school admin, closing a ledger entry out with
/// evidence (销号). The same rules as `baoxue record …`, which `ReplicaCommands.record` runs again.
enum EntryForms {
    static let all: [EntryForm] = [absence, leave, leaveEnd, visit, persuasion, homeTeaching, closeOut]

    static let yesNo: [(String, String, String)] = [("yes", "是", "yes"), ("no", "否", "no")]

    static let absence = EntryForm(
        path: "absence", title: { $0.pick("记录缺课", "Record an absence") }, unavailable: { _, _ in nil },
        controls: { _, l in
            [
                Control(field: "from", label: l.pick("第一天", "First day"), kind: .date),
                Control(field: "to", label: l.pick("最后一天", "Last day"), kind: .date),
                Control(field: "days", label: l.pick("上学日天数", "School days"), kind: .number(min: 1, max: 60)),
                Control(
                    field: "excused", label: l.pick("是否请假", "Excused?"),
                    kind: .choice([("no", l.pick("未请假", "Unexcused")), ("yes", l.pick("已请假", "Excused"))])),
            ]
        },
        defaults: { _, p in ["from": p.today, "to": p.today, "days": "1", "excused": "no"] },
        parse: { v, _, _ in
            var v = v
            let from = v.date("from", "开始日期")
            let to = v.date("to", "结束日期")
            if let from, let to, to < from { v.fail("to", "结束日期不能早于开始日期。", "the last day cannot be before the first.") }
            let days = v.number("days", "上学日天数", "school days", in: 1...60)
            let excused = v.choice("excused", [("no", "未请假", "unexcused"), ("yes", "已请假", "excused")])
            guard v.errors.isEmpty, let from, let to, let days, let excused else { return .invalid(v.errors) }
            return .entry(.absence(from: from, to: to, days: days, excused: excused == "yes"), date: nil)
        })

    static let visit = EntryForm(
        path: "visit", title: { $0.pick("记录家访", "Record a visit") }, unavailable: { _, _ in nil },
        controls: { _, l in
            let yes = yesNo.map { ($0.0, l.pick($0.1, $0.2.capitalized)) }
            return [
                Control(field: "date", label: l.pick("家访日期", "Date"), kind: .date),
                Control(field: "with", label: l.pick("参加人员（逗号分隔）", "Who went (comma-separated)"), kind: .text),
                Control(field: "found", label: l.pick("找到住户", "Household found"), kind: .choice(yes)),
                Control(field: "seen", label: l.pick("见到儿童", "Child seen"), kind: .choice(yes)),
                Control(field: "spokeTo", label: l.pick("谈话对象（如 母亲）", "Spoke to (e.g. mother)"), kind: .text),
                Control(field: "agreed", label: l.pick("商定事项", "What was agreed"), kind: .text),
                Control(field: "next", label: l.pick("下次联系日期（可不填）", "Next contact (optional)"), kind: .date),
                Control(
                    field: "photo", label: l.pick("照片（可不填，最多 3 张，每张最多 8 MB）", "Photos (optional, 3 at most, 8 MB each)"),
                    kind: .photo),
            ]
        },
        defaults: { _, p in ["date": p.today, "with": p.who, "found": "yes", "seen": "yes"] },
        parse: { v, _, _ in
            var v = v
            let date = v.date("date", "家访日期")
            let with = v.text("with", "参加家访的人", "who went")
            let next = v.date("next", "下次联系日期", optional: true)
            let found = v.choice("found", yesNo)
            let seen = v.choice("seen", yesNo)
            guard v.errors.isEmpty, let date, let found, let seen else { return .invalid(v.errors) }
            let participants = with.split(whereSeparator: { ",，、".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
            let visit = Visit(
                participants: participants, householdFound: found == "yes", childSeen: seen == "yes", spokeTo: v["spokeTo"],
                agreed: v["agreed"], nextContact: next)
            return .entry(.visit(visit, attachments: v.files["photo"] ?? []), date: date)
        })

    static func outcomes() -> [(String, String, String)] {
        PersuasionAttempt.Outcome.allCases.map { ($0.rawValue, $0.chinese, english($0.rawValue)) }
    }

    /// `agreedToReturn` → "agreed to return".
    static func english(_ raw: String) -> String {
        raw.reduce(into: "") { out, c in out += c.isUppercase ? " " + c.lowercased() : String(c) }
    }

    static let leave = EntryForm(
        path: "leave", title: { $0.pick("记录请假", "Record a leave") }, unavailable: { _, _ in nil },
        controls: { _, l in
            [
                Control(field: "from", label: l.pick("请假开始", "First day"), kind: .date),
                Control(field: "to", label: l.pick("请假结束", "Last day"), kind: .date),
                Control(field: "reason", label: l.pick("事由（如 病假）", "Reason (e.g. illness)"), kind: .text),
                Control(field: "approvedBy", label: l.pick("批准人", "Approved by"), kind: .text),
            ]
        },
        defaults: { _, p in ["from": p.today, "to": p.today] },
        parse: { v, _, _ in
            var v = v
            let from = v.date("from", "请假开始日期")
            let to = v.date("to", "请假结束日期")
            if let from, let to, to < from { v.fail("to", "结束日期不能早于开始日期。", "the last day cannot be before the first.") }
            let reason = v.text("reason", "事由", "the reason")
            let approvedBy = v.text("approvedBy", "批准人", "who approved it")
            guard v.errors.isEmpty, let from, let to else { return .invalid(v.errors) }
            return .entry(.leave(from: from, to: to, reason: reason, approvedBy: approvedBy), date: nil)
        })

    static let leaveEnd = EntryForm(
        path: "leave-end", title: { $0.pick("销假", "Return from leave") },
        unavailable: { a, l in a.leaves.isEmpty ? l.pick("这个儿童没有未销的假。", "This child has no leave to end.") : nil },
        controls: { a, l in
            [
                Control(
                    field: "leave", label: l.pick("哪一次请假", "Which leave"),
                    kind: .choice(a.leaves.map { ($0.op, "\($0.from) – \($0.to) \($0.reason)") })),
                Control(field: "returned", label: l.pick("返校日期", "Back at school on"), kind: .date),
            ]
        },
        defaults: { a, p in ["returned": p.today, "leave": a.leaves.count == 1 ? a.leaves[0].op : ""] },
        parse: { v, a, _ in
            var v = v
            let leave = v.choice("leave", a.leaves.map { ($0.op, "\($0.from) – \($0.to)", "\($0.from) – \($0.to)") })
            let returned = v.date("returned", "返校日期")
            guard v.errors.isEmpty, let leave, let returned, let op = try? OpID(text: leave) else { return .invalid(v.errors) }
            return .entry(.leaveEnd(leave: op, returned: returned), date: returned)
        })

    static let persuasion = EntryForm(
        path: "persuasion", title: { $0.pick("记录劝返", "Record a persuasion attempt") },
        unavailable: { a, l in
            a.cases.isEmpty
                ? l.pick("这个儿童还没有劝返案卷。请学校管理员先立案（一人一案）。", "This child has no open case: a school admin opens one first.") : nil
        },
        controls: { a, l in
            [
                Control(field: "case", label: l.pick("劝返案卷", "Case"), kind: .choice(a.cases.map { ($0.caseFile, $0.line) })),
                Control(field: "date", label: l.pick("日期", "Date"), kind: .date),
                Control(field: "method", label: l.pick("方式（如 入户、电话）", "How (e.g. at home, by phone)"), kind: .text),
                Control(field: "outcome", label: l.pick("结果", "Outcome"), kind: .choice(outcomes().map { ($0.0, l.pick($0.1, $0.2)) })),
                Control(field: "note", label: l.pick("情况说明", "Note"), kind: .text),
            ]
        },
        defaults: { a, p in ["date": p.today, "case": a.cases.count == 1 ? a.cases[0].caseFile : ""] },
        parse: { v, a, _ in
            var v = v
            let caseFile = v.choice("case", a.cases.map { ($0.caseFile, $0.line, $0.line) })
            let date = v.date("date", "劝返日期")
            let method = v.text("method", "方式", "how it was done")
            let outcome = v.choice("outcome", outcomes()).flatMap(PersuasionAttempt.Outcome.init(rawValue:))
            guard v.errors.isEmpty, let caseFile, let id = try? RecordID(hex: caseFile), let date, let outcome else {
                return .invalid(v.errors)
            }
            return .entry(.persuasion(caseFile: id, PersuasionAttempt(method: method, outcome: outcome, note: v["note"])), date: date)
        })

    static let homeTeaching = EntryForm(
        path: "home-teaching", title: { $0.pick("记录送教上门", "Record a home-teaching session") }, unavailable: { _, _ in nil },
        controls: { _, l in
            [
                Control(field: "date", label: l.pick("日期", "Date"), kind: .date),
                Control(field: "classHours", label: l.pick("课时", "Class hours"), kind: .number(min: 1, max: 8)),
                Control(field: "teacher", label: l.pick("送教教师", "Teacher"), kind: .text),
                Control(field: "content", label: l.pick("教学内容", "What was taught"), kind: .text),
            ]
        },
        defaults: { _, p in ["date": p.today, "classHours": "2", "teacher": p.who] },
        parse: { v, _, _ in
            var v = v
            let date = v.date("date", "送教日期")
            let hours = v.number("classHours", "课时", "class hours", in: 1...8)
            let teacher = v.text("teacher", "送教教师", "the teacher")
            let content = v.text("content", "教学内容", "what was taught")
            guard v.errors.isEmpty, let date, let hours else { return .invalid(v.errors) }
            return .entry(.homeTeaching(HomeTeachingSession(classHours: hours, teacher: teacher, content: content)), date: date)
        })

    static let closeOut = EntryForm(
        path: "close-out", title: { $0.pick("销号", "Close out a ledger entry") },
        unavailable: { a, l in a.ledgers.isEmpty ? l.pick("这个儿童不在任何台账上。", "This child is on no ledger.") : nil },
        controls: { a, l in
            [
                Control(
                    field: "ledger", label: l.pick("台账", "Ledger"),
                    kind: .choice(a.ledgers.map { ($0.rawValue, l.pick($0.chinese, $0.rawValue)) })),
                Control(field: "note", label: l.pick("销号说明（如 已返校并连续在校）", "Note (e.g. back and attending)"), kind: .text),
                Control(
                    field: "evidence", label: l.pick("佐证材料照片（必填，最多 3 张，每张最多 8 MB）", "Evidence photos (required, 3 at most, 8 MB each)"),
                    kind: .photo),
            ]
        },
        defaults: { a, _ in ["ledger": a.ledgers.count == 1 ? a.ledgers[0].rawValue : ""] },
        parse: { v, a, _ in
            var v = v
            let ledger = v.choice("ledger", a.ledgers.map { ($0.rawValue, $0.chinese, $0.rawValue) }).flatMap(Ledger.init(rawValue:))
            let note = v.text("note", "销号说明", "a note")
            if v.files["evidence"] == nil { v.fail("evidence", "销号必须附佐证材料照片。", "a close-out needs an evidence photo.") }
            guard v.errors.isEmpty, let ledger, let files = v.files["evidence"] else { return .invalid(v.errors) }
            return .entry(.closeOut(ledger, evidence: files, note: note), date: nil)
        })
}
