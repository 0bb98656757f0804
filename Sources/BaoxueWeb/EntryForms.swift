import BaoxueApp
import BaoxueRecords

/// The entries a teacher or an admin records about a child: an absence (缺课), leave and its end
/// (请假、销假), a home visit with photos (家访), a persuasion attempt under an open case (劝返), a
/// home-teaching session (送教上门) and, for a school admin, closing a ledger entry out with
/// evidence (销号). The same rules as `baoxue record …`, which `ReplicaCommands.record` runs again.
enum EntryForms {
    static let all: [EntryForm] = [absence, leave, leaveEnd, visit, persuasion, homeTeaching, closeOut]

    static func yesNo(_ l: Language) -> [(String, String)] { [("yes", l.say(EntryMessages.yes)), ("no", l.say(EntryMessages.no))] }

    static func excusedOrNot(_ l: Language) -> [(String, String)] {
        [("no", l.say(EntryMessages.unexcused)), ("yes", l.say(EntryMessages.excusedChoice))]
    }

    static let absence = EntryForm(
        path: "absence", title: { $0.say(EntryMessages.recordAbsence) }, unavailable: { _, _ in nil },
        controls: { _, l in
            [
                Control(field: "from", label: l.say(EntryMessages.firstDay), kind: .date),
                Control(field: "to", label: l.say(EntryMessages.lastDay), kind: .date),
                Control(field: "days", label: l.say(EntryMessages.schoolDays), kind: .number(min: 1, max: 60)),
                Control(
                    field: "excused", label: l.say(EntryMessages.excusedLabel),
                    kind: .choice(excusedOrNot(l))),
            ]
        },
        defaults: { _, p in ["from": p.today, "to": p.today, "days": "1", "excused": "no"] },
        parse: { v, _, _ in
            var v = v
            let from = v.date("from", EntryMessages.whatFirstDay)
            let to = v.date("to", EntryMessages.whatLastDay)
            if let from, let to, to < from { v.fail("to", v.language.say(EntryMessages.lastDayBeforeFirst)) }
            let days = v.number("days", EntryMessages.whatSchoolDays, in: 1...60)
            let excused = v.choice("excused", excusedOrNot(v.language))
            guard v.errors.isEmpty, let from, let to, let days, let excused else { return .invalid(v.errors) }
            return .entry(.absence(from: from, to: to, days: days, excused: excused == "yes"), date: nil)
        })

    static let visit = EntryForm(
        path: "visit", title: { $0.say(EntryMessages.recordVisit) }, unavailable: { _, _ in nil },
        controls: { _, l in
            let yes = yesNo(l)
            return [
                Control(field: "date", label: l.say(EntryMessages.date), kind: .date),
                Control(field: "with", label: l.say(EntryMessages.whoWentCommaSeparated), kind: .text),
                Control(field: "found", label: l.say(EntryMessages.householdFound), kind: .choice(yes)),
                Control(field: "seen", label: l.say(EntryMessages.childSeen), kind: .choice(yes)),
                Control(field: "spokeTo", label: l.say(EntryMessages.spokeToEGMother), kind: .text),
                Control(field: "agreed", label: l.say(EntryMessages.whatWasAgreed), kind: .text),
                Control(field: "next", label: l.say(EntryMessages.nextContactOptional), kind: .date),
                Control(
                    field: "photo", label: l.say(EntryMessages.photosOptionalAtMostMb),
                    kind: .photo),
            ]
        },
        defaults: { _, p in ["date": p.today, "with": p.who, "found": "yes", "seen": "yes"] },
        parse: { v, _, _ in
            var v = v
            let date = v.date("date", EntryMessages.whatVisitDate)
            let with = v.text("with", EntryMessages.whatWhoWent)
            let next = v.date("next", EntryMessages.whatNextContact, optional: true)
            let found = v.choice("found", yesNo(v.language))
            let seen = v.choice("seen", yesNo(v.language))
            guard v.errors.isEmpty, let date, let found, let seen else { return .invalid(v.errors) }
            let participants = with.split(whereSeparator: { ",，、".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
            let visit = Visit(
                participants: participants, householdFound: found == "yes", childSeen: seen == "yes", spokeTo: v["spokeTo"],
                agreed: v["agreed"], nextContact: next)
            return .entry(.visit(visit, attachments: v.files["photo"] ?? []), date: date)
        })

    static func outcomes(_ l: Language) -> [(String, String)] {
        PersuasionAttempt.Outcome.allCases.map { ($0.rawValue, l.phrase($0)) }
    }

    static let leave = EntryForm(
        path: "leave", title: { $0.say(EntryMessages.recordLeave) }, unavailable: { _, _ in nil },
        controls: { _, l in
            [
                Control(field: "from", label: l.say(EntryMessages.leaveFirstDay), kind: .date),
                Control(field: "to", label: l.say(EntryMessages.leaveLastDay), kind: .date),
                Control(field: "reason", label: l.say(EntryMessages.reasonEGIllness), kind: .text),
                Control(field: "approvedBy", label: l.say(EntryMessages.approvedBy), kind: .text),
            ]
        },
        defaults: { _, p in ["from": p.today, "to": p.today] },
        parse: { v, _, _ in
            var v = v
            let from = v.date("from", EntryMessages.whatLeaveFrom)
            let to = v.date("to", EntryMessages.whatLeaveTo)
            if let from, let to, to < from { v.fail("to", v.language.say(EntryMessages.lastDayBeforeFirst)) }
            let reason = v.text("reason", EntryMessages.whatReason)
            let approvedBy = v.text("approvedBy", EntryMessages.whatApprovedBy)
            guard v.errors.isEmpty, let from, let to else { return .invalid(v.errors) }
            return .entry(.leave(from: from, to: to, reason: reason, approvedBy: approvedBy), date: nil)
        })

    static let leaveEnd = EntryForm(
        path: "leave-end", title: { $0.say(EntryMessages.returnFromLeaveTitle) },
        unavailable: { a, l in a.leaves.isEmpty ? l.say(EntryMessages.thisChildHasNoLeave) : nil },
        controls: { a, l in
            [
                Control(
                    field: "leave", label: l.say(EntryMessages.whichLeave),
                    kind: .choice(a.leaves.map { ($0.op, "\($0.from) – \($0.to) \($0.reason)") })),
                Control(field: "returned", label: l.say(EntryMessages.backAtSchoolOn), kind: .date),
            ]
        },
        defaults: { a, p in ["returned": p.today, "leave": a.leaves.count == 1 ? a.leaves[0].op : ""] },
        parse: { v, a, _ in
            var v = v
            let leave = v.choice("leave", a.leaves.map { ($0.op, "\($0.from) – \($0.to)") })
            let returned = v.date("returned", EntryMessages.whatReturnDate)
            guard v.errors.isEmpty, let leave, let returned, let op = try? OpID(text: leave) else { return .invalid(v.errors) }
            return .entry(.leaveEnd(leave: op, returned: returned), date: returned)
        })

    static let persuasion = EntryForm(
        path: "persuasion", title: { $0.say(EntryMessages.recordPersuasionAttempt) },
        unavailable: { a, l in
            a.cases.isEmpty
                ? l.say(EntryMessages.thisChildHasNoOpen) : nil
        },
        controls: { a, l in
            [
                Control(field: "case", label: l.say(EntryMessages.caseText), kind: .choice(a.cases.map { ($0.caseFile, $0.line) })),
                Control(field: "date", label: l.say(EntryMessages.dateOfContact), kind: .date),
                Control(field: "method", label: l.say(EntryMessages.howEGAtHome), kind: .text),
                Control(field: "outcome", label: l.say(EntryMessages.outcome), kind: .choice(outcomes(l))),
                Control(field: "note", label: l.say(EntryMessages.note), kind: .text),
            ]
        },
        defaults: { a, p in ["date": p.today, "case": a.cases.count == 1 ? a.cases[0].caseFile : ""] },
        parse: { v, a, _ in
            var v = v
            let caseFile = v.choice("case", a.cases.map { ($0.caseFile, $0.line) })
            let date = v.date("date", EntryMessages.whatAttemptDate)
            let method = v.text("method", EntryMessages.whatMethod)
            let outcome = v.choice("outcome", outcomes(v.language)).flatMap(PersuasionAttempt.Outcome.init(rawValue:))
            guard v.errors.isEmpty, let caseFile, let id = try? RecordID(hex: caseFile), let date, let outcome else {
                return .invalid(v.errors)
            }
            return .entry(.persuasion(caseFile: id, PersuasionAttempt(method: method, outcome: outcome, note: v["note"])), date: date)
        })

    static let homeTeaching = EntryForm(
        path: "home-teaching", title: { $0.say(EntryMessages.recordHomeTeachingSession) }, unavailable: { _, _ in nil },
        controls: { _, l in
            [
                Control(field: "date", label: l.say(EntryMessages.dateOfContact), kind: .date),
                Control(field: "classHours", label: l.say(EntryMessages.classHours), kind: .number(min: 1, max: 8)),
                Control(field: "teacher", label: l.say(EntryMessages.teacher), kind: .text),
                Control(field: "content", label: l.say(EntryMessages.whatWasTaught), kind: .text),
            ]
        },
        defaults: { _, p in ["date": p.today, "classHours": "2", "teacher": p.who] },
        parse: { v, _, _ in
            var v = v
            let date = v.date("date", EntryMessages.whatSessionDate)
            let hours = v.number("classHours", EntryMessages.whatClassHours, in: 1...8)
            let teacher = v.text("teacher", EntryMessages.whatTeacher)
            let content = v.text("content", EntryMessages.whatTaught)
            guard v.errors.isEmpty, let date, let hours else { return .invalid(v.errors) }
            return .entry(.homeTeaching(HomeTeachingSession(classHours: hours, teacher: teacher, content: content)), date: date)
        })

    static let closeOut = EntryForm(
        path: "close-out", title: { $0.say(EntryMessages.closeOutLedgerEntry) },
        unavailable: { a, l in a.ledgers.isEmpty ? l.say(EntryMessages.thisChildIsOnNo) : nil },
        controls: { a, l in
            [
                Control(
                    field: "ledger", label: l.say(EntryMessages.ledger),
                    kind: .choice(a.ledgers.map { ($0.rawValue, l.label($0)) })),
                Control(field: "note", label: l.say(EntryMessages.noteEGBackAnd), kind: .text),
                Control(
                    field: "evidence", label: l.say(EntryMessages.evidencePhotosRequiredAtMost),
                    kind: .photo),
            ]
        },
        defaults: { a, _ in ["ledger": a.ledgers.count == 1 ? a.ledgers[0].rawValue : ""] },
        parse: { v, a, _ in
            var v = v
            let ledger = v.choice("ledger", a.ledgers.map { ($0.rawValue, v.language.label($0)) }).flatMap(Ledger.init(rawValue:))
            let note = v.text("note", EntryMessages.whatCloseOutNote)
            if v.files["evidence"] == nil { v.fail("evidence", v.language.say(EntryMessages.closeOutNeedsEvidence)) }
            guard v.errors.isEmpty, let ledger, let files = v.files["evidence"] else { return .invalid(v.errors) }
            return .entry(.closeOut(ledger, evidence: files, note: note), date: nil)
        })
}
