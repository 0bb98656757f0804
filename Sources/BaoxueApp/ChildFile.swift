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
        func section(_ title: ChildMessages, _ items: [String]) {
            out.append(l.say(title) + (items.isEmpty ? l.say(ChildMessages.none) : ""))
            out += items.map { "  " + $0 }
        }
        if !merged.isEmpty { section(.mergedSection, merged) }
        section(.statusesSection, statuses)
        section(.ledgersSection, ledgers)
        section(.casesSection, cases)
        section(.recordsSection, events)
        if !attachments.isEmpty { section(.attachmentsSection, attachments) }
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
            let name = h.map { "\($0.name)（\(l.label($0.role))）" } ?? key.fingerprint.text
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
                l.say(ChildMessages.provisionalId, view?.name ?? "", view?.provisional ?? "", m.hex.prefix(8)))
        }
        let text = EventText(language: l)
        var statusLines: [String] = []
        for s in statuses {
            let who = s.fromRegistry ? l.say(ChildMessages.registryImport) : try author(s.author)
            statusLines.append(
                text.voided(s.voided) + "\(s.fact.date) \(l.label(s.fact.status))"
                    + l.say(ChildMessages.statusReasonBy, s.fact.reason, who))
        }
        let ledgerLines =
            ledgers.map { e in
                "\(l.label(e.ledger)) \(e.opened) "
                    + (e.closed.map { l.say(ChildMessages.toClosedOut, $0) }
                        ?? l.say(ChildMessages.onOpen))
            }
            + voidedOpeners.map { v in
                // An entry whose opener was voided never counted: shown as voided, not as 销号.
                l.say(ChildMessages.voidedLedgerEntry, l.label(v.ledger), v.date, v.reason)
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
                return l.say(ChildMessages.herePartsExportBaoxueAttachment, short, state.count)
            }
            if state.count > 0 {
                return l.say(ChildMessages.syncingOfPartsHere, short, state.held, state.count)
            }
            return l.say(ChildMessages.notOnThisDeviceArrives, short)
        }
    }
}

/// Events in a teacher's words: what was recorded, every field of it.
struct EventText {
    let language: Language

    func voided(_ v: Bool) -> String { v ? language.say(ChildMessages.void) : "" }

    func line(_ row: EventRow, amendedBy: [EventRow]) -> String {
        var out = voided(row.voided) + "\(row.date) " + body(row.event.body)
        for a in amendedBy {
            if case .leave(let end) = a.event.body {
                out += language.say(ChildMessages.backOnLeaveUntil, a.date, end.to)
            }
        }
        return out + language.say(ChildMessages.id, row.op.text)
    }

    func body(_ b: EventBody) -> String {
        let l = language
        switch b {
        case .absence(let a):
            return l.say(
                ChildMessages.absenceFromTo, a.from, a.to, a.schoolDays,
                l.say(a.excused ? ChildMessages.excused : ChildMessages.unexcused))
        case .leave(let v):
            return l.say(ChildMessages.leaveToApprovedBy, v.from, v.to, v.reason, v.approvedBy)
        case .visit(let v):
            var parts = [
                l.say(ChildMessages.visit, l.list(v.participants)),
                v.householdFound ? l.say(ChildMessages.familyFound) : l.say(ChildMessages.nobodyHome),
                v.childSeen ? l.say(ChildMessages.childSeen) : l.say(ChildMessages.childNotSeen),
            ]
            if !v.spokeTo.isEmpty { parts.append(l.say(ChildMessages.spokeTo, v.spokeTo)) }
            if let r = v.reasonOut { parts.append(l.say(ChildMessages.whyOutOfSchool, r)) }
            if !v.agreed.isEmpty { parts.append(l.say(ChildMessages.agreed, v.agreed)) }
            if let n = v.nextContact { parts.append(l.say(ChildMessages.nextContact, n)) }
            if !v.evidence.isEmpty {
                let hashes = v.evidence.map { String($0.prefix(12)) }.joined(separator: " ")
                parts.append(l.say(ChildMessages.attachments, v.evidence.count) + hashes)
            }
            return parts.joined(separator: l.say(Punctuation.clauseSeparator))
        case .persuasion(let p):
            return l.say(ChildMessages.persuasionOutcome, p.method, l.label(p.outcome))
                + (p.note.isEmpty ? "" : l.say(Punctuation.thenClause, p.note))
        case .homeTeaching(let h):
            return l.say(ChildMessages.homeTeachingClassHours, h.classHours, h.teacher)
                + (h.content.isEmpty ? "" : l.say(Punctuation.colonThen, h.content))
        case .householdCheck(let h):
            return l.say(ChildMessages.householdCheck, h.address, l.label(h.finding), h.childrenFound)
        case .verificationLetter(let v):
            return l.say(ChildMessages.verificationLetterTo, v.sentTo, v.reason)
        case .followUp(let f):
            return l.say(
                ChildMessages.followUpAfterMonths, f.months, l.say(f.attending ? ChildMessages.attending : ChildMessages.notAttending))
                + (f.note.isEmpty ? "" : l.say(Punctuation.thenClause, f.note))
        }
    }

    func caseLine(_ c: CaseView) -> String {
        let l = language
        var parts = [
            l.say(ChildMessages.caseText, c.caseFile.hex.prefix(8)) + (c.opened.map { l.say(ChildMessages.opened, $0) } ?? "")
        ]
        if let r = c.reason {
            parts.append(
                l.say(ChildMessages.reasonIs, l.label(r)) + (c.reasonText.map { l.say(Punctuation.commaThen, $0) } ?? ""))
        }
        if !c.responsible.isEmpty {
            parts.append(
                l.say(ChildMessages.responsible)
                    + c.responsible.map { e in
                        let p = e.split(separator: ":", maxSplits: 1).map(String.init)
                        guard p.count == 2, let role = ResponsibleRole(rawValue: p[0]) else { return e }
                        return "\(l.label(role)) \(p[1])"
                    }.joined(separator: l.say(Punctuation.listSeparator)))
        }
        if let p = c.placement {
            parts.append(l.say(ChildMessages.closedAs, l.label(p)) + (c.outcome.map { l.say(Punctuation.commaThen, $0) } ?? ""))
        } else {
            parts.append(l.say(ChildMessages.open))
        }
        return parts.joined(separator: l.say(Punctuation.clauseSeparator))
    }
}
