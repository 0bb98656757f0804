import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// A child's file (一人一案 / 一生一表) as `baoxue child file` prints it: who the child is, every
/// status with its reason and author, the ledger entries, each case with its attempts and
/// follow-ups, and every event with its content, voided ones marked. Read back from the views,
/// never from memory of what was typed.
public struct ChildFile: Codable, Equatable, Sendable {
    public let card: ChildCard
    /// Provisional records merged into this child (records.md §3.3), whose histories are listed here too.
    public let merged: [String]
    public let statuses: [String]
    public let ledgers: [String]
    public let cases: [String]
    public let events: [String]
    /// Each evidence file the child's records cite, and whether it is here (privacy.md §3.6).
    public var attachments: [String] = []
    /// The ids of those files that are here whole, oldest first: what a screen can show.
    public var photos: [String] = []

    public func lines(_ l: Language) -> [String] {
        var out = card.lines(l)
        func section(_ zh: String, _ en: String, _ items: [String]) {
            out.append(l.pick(zh, en) + (items.isEmpty ? l.pick("：无", ": none") : ""))
            out += items.map { "  " + $0 }
        }
        if !merged.isEmpty { section("已并入的临时登记", "provisional records merged in", merged) }
        section("状态记录", "statuses", statuses)
        section("台账", "ledger entries", ledgers)
        section("劝返案卷", "cases", cases)
        section("工作记录", "records", events)
        if !attachments.isEmpty { section("附件", "attachments", attachments) }
        return out
    }
}

extension ReplicaCommands {
    /// The file of the child `child` names (`resolveChild`); `month` (YYYY-MM) keeps that month's events only.
    public static func childFile(
        directory: String, child: String, full: Bool, language l: Language
    ) throws(AppError) -> ChildFile {
        try childFile(try open(directory), child: child, full: full, language: l)
    }

    static func childFile(
        _ replica: Replica, child: String, full: Bool, language l: Language
    ) throws(AppError) -> ChildFile {
        let log = replica.log
        let id = try resolveChild(log, child)
        let card = try Self.child(replica, child: id.hex, full: full, language: l)
        var names: [PublicKey: String] = [:]
        func author(_ key: PublicKey) throws(AppError) -> String {
            if let known = names[key] { return known }
            let h = try attempt { () throws(StoreError) in try log.holder(of: key) }
            let name = h.map { "\($0.name)（\(l.pick($0.role.chinese, $0.role.english))）" } ?? key.fingerprint.text
            names[key] = name
            return name
        }
        // A provisional child merged into this one brings its whole history (records.md §3.3).
        let merged = try attempt { () throws(StoreError) in try log.mergedChildren(into: id) }
        let all = [id] + merged
        var statuses: [StatusEntry] = []
        var cases: [CaseView] = []
        var events: [EventRow] = []
        var voidedOpeners: [(ledger: Ledger, date: String, reason: String)] = []
        for c in all {
            try attempt { () throws(StoreError) in
                statuses += try log.statusHistory(child: c)
                cases += try log.cases(child: c)
                events += try log.events(child: c)
                voidedOpeners += try log.voidedOpeners(child: c)
            }
        }
        statuses.sort { ($0.fact.date, $0.op) < ($1.fact.date, $1.op) }
        if all.count > 1 { events.sort { ($0.date, $0.op) < ($1.date, $1.op) } }
        let ledgers = try attempt { () throws(StoreError) in try log.ledgerHistory(child: id) }
        var mergedLines: [String] = []
        for m in merged {
            let view = try attempt { () throws(StoreError) in try log.child(m) }
            mergedLines.append(
                l.pick(
                    "\(view?.name ?? "")（临时登记：\(view?.provisional ?? "")）　编号 \(m.hex.prefix(8))",
                    "\(view?.name ?? "") (provisional: \(view?.provisional ?? ""))  id \(m.hex.prefix(8))"))
        }
        let text = EventText(language: l)
        var statusLines: [String] = []
        for s in statuses {
            let who = s.fromRegistry ? l.pick("名册导入", "registry import") : try author(s.author)
            statusLines.append(
                text.voided(s.voided) + "\(s.fact.date) \(l.pick(s.fact.status.chinese, s.fact.status.rawValue))"
                    + l.pick("（\(s.fact.reason)）— \(who)", " (\(s.fact.reason)) — \(who)"))
        }
        let ledgerLines =
            ledgers.map { e in
                "\(l.pick(e.ledger.chinese, e.ledger.rawValue)) \(e.opened) "
                    + (e.closed.map { l.pick("至 \($0) 销号", "to \($0), closed out") }
                        ?? l.pick("起，在册", "on, open"))
            }
            + voidedOpeners.map { v in
                // An entry whose opener was voided never counted: shown as voided, not as 销号.
                l.pick(
                    "\(v.ledger.chinese) \(v.date)（已作废：\(v.reason)，不计入台账）",
                    "\(v.ledger.rawValue) \(v.date) (voided: \(v.reason); never counted)")
            }
        let caseLines = cases.flatMap { c in [text.caseLine(c)] + c.events.map { "  " + text.line($0, amendedBy: []) } }
        let amendments = Dictionary(grouping: events.filter { !$0.voided && $0.event.amends != nil }, by: { $0.event.amends! })
        let caseFiles = Set(cases.map(\.caseFile))
        let eventLines = events.filter { $0.event.amends == nil && $0.event.subject.map { !caseFiles.contains($0) } ?? true }
            .map { text.line($0, amendedBy: amendments[$0.op] ?? []) }
        var file = ChildFile(
            card: card, merged: mergedLines, statuses: statusLines, ledgers: ledgerLines, cases: caseLines, events: eventLines)
        var closeOuts: [String] = []
        for c in all { closeOuts += try attempt { () throws(StoreError) in try log.closeOutEvidence(child: c) } }
        let cited = try citedAttachments(log, events: events + cases.flatMap(\.events), closeOuts: closeOuts)
        file.attachments = attachmentLines(cited, language: l)
        file.photos = cited.filter(\.state.complete).map(\.id)
        return file
    }
}

extension ReplicaCommands {
    /// The evidence files the child's records cite, and whether each is here (privacy.md §3.6), for `child show`.
    public static func childAttachments(directory: String, child: String, language l: Language) throws(AppError) -> [String] {
        let log = try open(directory).log
        let id = try resolveChild(log, child)
        let events = try attempt { () throws(StoreError) in try log.events(child: id) + log.cases(child: id).flatMap(\.events) }
        let closeOuts = try attempt { () throws(StoreError) in try log.closeOutEvidence(child: id) }
        return attachmentLines(try citedAttachments(log, events: events, closeOuts: closeOuts), language: l)
    }

    /// The evidence files `events` (visits) and `closeOuts` cite, each once in order of first citation,
    /// with how much of each is here.
    static func citedAttachments(
        _ log: ChangeLog, events: [EventRow], closeOuts: [String]
    ) throws(AppError) -> [(id: String, state: AttachmentState)] {
        var cited: [String] = []
        for row in events where !row.voided {
            if case .visit(let v) = row.event.body { cited += v.evidence.filter { !cited.contains($0) } }
        }
        cited += closeOuts.filter { !cited.contains($0) }
        return try cited.map { hex throws(AppError) in
            (hex, try attempt { () throws(StoreError) in try log.attachmentState((try? Hex.decode(hex)) ?? []) })
        }
    }

    static func attachmentLines(_ cited: [(id: String, state: AttachmentState)], language l: Language) -> [String] {
        cited.map { hex, state in
            let short = String(hex.prefix(16))
            if state.complete {
                return l.pick(
                    "\(short)… 已在本机（\(state.count) 段）；导出：baoxue attachment export \(short)",
                    "\(short)… here (\(state.count) part(s)); export: baoxue attachment export \(short)")
            }
            if state.count > 0 {
                return l.pick(
                    "\(short)… 正在同步：已到 \(state.held)/\(state.count) 段", "\(short)… syncing: \(state.held) of \(state.count) part(s) here")
            }
            return l.pick(
                "\(short)… 不在本机（同步后到达，或只在拍摄的设备上）", "\(short)… not on this device (arrives with a sync, or only on the device that took it)")
        }
    }
}

/// Events in a teacher's words: what was recorded, every field of it.
struct EventText {
    let language: Language

    func voided(_ v: Bool) -> String { v ? language.pick("[已作废] ", "[void] ") : "" }

    func line(_ row: EventRow, amendedBy: [EventRow]) -> String {
        var out = voided(row.voided) + "\(row.date) " + body(row.event.body)
        for a in amendedBy {
            if case .leave(let end) = a.event.body {
                out += language.pick("（\(a.date) 销假，请假至 \(end.to)）", " (back on \(a.date); leave until \(end.to))")
            }
        }
        return out + language.pick("　编号 \(row.op.text)", "  id \(row.op.text)")
    }

    func body(_ b: EventBody) -> String {
        let l = language
        switch b {
        case .absence(let a):
            return l.pick(
                "缺课 \(a.from) 至 \(a.to)，\(a.schoolDays) 个上学日，\(a.excused ? "已请假" : "未请假")",
                "absence \(a.from) to \(a.to), \(a.schoolDays) school day(s), \(a.excused ? "excused" : "unexcused")")
        case .leave(let v):
            return l.pick(
                "请假 \(v.from) 至 \(v.to)：\(v.reason)（批准人 \(v.approvedBy)）",
                "leave \(v.from) to \(v.to): \(v.reason) (approved by \(v.approvedBy))")
        case .visit(let v):
            var parts = [
                l.pick("家访（\(v.participants.joined(separator: "、"))）", "visit (\(v.participants.joined(separator: ", ")))"),
                v.householdFound ? l.pick("见到家人", "family found") : l.pick("家中无人", "nobody home"),
                v.childSeen ? l.pick("见到儿童", "child seen") : l.pick("未见到儿童", "child not seen"),
            ]
            if !v.spokeTo.isEmpty { parts.append(l.pick("交谈对象：\(v.spokeTo)", "spoke to: \(v.spokeTo)")) }
            if let r = v.reasonOut { parts.append(l.pick("不在校原因：\(r)", "why out of school: \(r)")) }
            if !v.agreed.isEmpty { parts.append(l.pick("约定：\(v.agreed)", "agreed: \(v.agreed)")) }
            if let n = v.nextContact { parts.append(l.pick("下次联系 \(n)", "next contact \(n)")) }
            if !v.evidence.isEmpty {
                let hashes = v.evidence.map { String($0.prefix(12)) }.joined(separator: " ")
                parts.append(l.pick("附件 \(v.evidence.count) 个：", "\(v.evidence.count) attachment(s): ") + hashes)
            }
            return parts.joined(separator: l.pick("；", "; "))
        case .persuasion(let p):
            return l.pick(
                "劝返（\(p.method)）：\(p.outcome.chinese)",
                "persuasion (\(p.method)): \(p.outcome.rawValue)") + (p.note.isEmpty ? "" : l.pick("；\(p.note)", "; \(p.note)"))
        case .homeTeaching(let h):
            return l.pick("送教上门 \(h.classHours) 课时（\(h.teacher)）", "home teaching, \(h.classHours) class hour(s) (\(h.teacher))")
                + (h.content.isEmpty ? "" : l.pick("：\(h.content)", ": \(h.content)"))
        case .householdCheck(let h):
            return l.pick(
                "入户摸排 \(h.address)：\(h.finding.chinese)，儿童 \(h.childrenFound) 人",
                "household check \(h.address): \(h.finding.rawValue), \(h.childrenFound) child(ren)")
        case .verificationLetter(let v):
            return l.pick("核查函 发往 \(v.sentTo)：\(v.reason)", "verification letter to \(v.sentTo): \(v.reason)")
        case .followUp(let f):
            return l.pick(
                "返校后 \(f.months) 个月跟踪：\(f.attending ? "在校" : "未在校")",
                "follow-up after \(f.months) month(s): \(f.attending ? "attending" : "not attending")")
                + (f.note.isEmpty ? "" : l.pick("；\(f.note)", "; \(f.note)"))
        }
    }

    func caseLine(_ c: CaseView) -> String {
        let l = language
        var parts = [
            l.pick(
                "案卷 \(c.caseFile.hex.prefix(8))",
                "case \(c.caseFile.hex.prefix(8))") + (c.opened.map { l.pick("（\($0) 立案）", " (opened \($0))") } ?? "")
        ]
        if let r = c.reason {
            parts.append(
                l.pick(
                    "原因：\(r.chinese)",
                    "reason: \(r.rawValue)") + (c.reasonText.map { l.pick("，\($0)", ", \($0)") } ?? ""))
        }
        if !c.responsible.isEmpty {
            parts.append(
                l.pick("责任人：", "responsible: ")
                    + c.responsible.map { e in
                        let p = e.split(separator: ":", maxSplits: 1).map(String.init)
                        guard p.count == 2, let role = ResponsibleRole(rawValue: p[0]) else { return e }
                        return l.pick("\(role.chinese) \(p[1])", "\(role.rawValue) \(p[1])")
                    }.joined(separator: l.pick("、", ", ")))
        }
        if let p = c.placement {
            parts.append(l.pick("已结案：\(p.chinese)", "closed: \(p.rawValue)") + (c.outcome.map { l.pick("，\($0)", ", \($0)") } ?? ""))
        } else {
            parts.append(l.pick("未结案", "open"))
        }
        return parts.joined(separator: l.pick("；", "; "))
    }
}
