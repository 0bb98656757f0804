import BaoxueApp
import BaoxueRecords

/// The entries a teacher or an admin records about a child beyond absences and visits: leave and
/// its end (请假、销假), a persuasion attempt under an open case (劝返), a home-teaching session
/// (送教上门) and, for a school admin, closing a ledger entry out with evidence (销号).
enum EntryForms {
    static let all: [EntryForm] = [leave, leaveEnd, persuasion, homeTeaching, closeOut]

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
        defaults: { _, today in ["from": today, "to": today] },
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
        defaults: { a, today in ["returned": today, "leave": a.leaves.count == 1 ? a.leaves[0].op : ""] },
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
        defaults: { a, today in ["date": today, "case": a.cases.count == 1 ? a.cases[0].caseFile : ""] },
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
        defaults: { _, today in ["date": today, "classHours": "2"] },
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
