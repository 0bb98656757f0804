import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueSodium
import BaoxueStore
import BaoxueTrust
import Foundation

/// One thing a teacher, liaison or school admin records about a child in
/// the field, as the CLI (and later the web UI) collects it. Turning it into
/// signed ops is `FieldEntry.ops`; nothing here touches the network.
public enum FieldEntry: Sendable {
    /// 缺课: school days missed, excused or not.
    case absence(from: SimpleDate, to: SimpleDate, days: Int, excused: Bool)
    /// 请假 (a leave request) with who approved it.
    case leave(from: SimpleDate, to: SimpleDate, reason: String, approvedBy: String)
    /// 销假: the child came back; amends the leave (the amendment replaces it in every count).
    case leaveEnd(leave: OpID, returned: SimpleDate)
    /// 家访 with the attachments' files (stored by content hash).
    case visit(Visit, attachments: [String])
    /// 劝返: one attempt within a case.
    case persuasion(caseFile: RecordID, PersuasionAttempt)
    /// 送教上门: one session.
    case homeTeaching(HomeTeachingSession)
    /// 核查函 sent about a child.
    case letter(VerificationLetter)
    /// A status change, as a fact with a reason; it settles any conflicting statuses it has seen.
    case status(ChildStatus, reason: String)
    /// Any other field (settles a conflict on it the same way).
    case field(String, FieldValue)
    /// A follow-up 1, 3 or 6 months after the child returned (巩固), within the case.
    case followUp(caseFile: RecordID, FollowUp)
    /// Closes a case: the placement (随班就读, 送教上门 …) and the outcome in words.
    case closeCase(caseFile: RecordID, placement: Placement, outcome: String)
    /// Opens a persuasion-to-return case (一人一案) for the child.
    case openCase(caseFile: RecordID, reason: ReasonCategory, text: String?, responsible: [String] = [])
    /// 销号: closes the child's open entries on a ledger, with evidence files.
    case closeOut(Ledger, evidence: [String], note: String)
    /// Marks the whole child record void (entered by mistake), with the reason; an empty reason restores it.
    case voidChild(reason: String)
    /// Puts the child in focus groups (重点群体) and takes it out of others.
    case focus(add: [FocusGroup], remove: [FocusGroup])
    /// Names people responsible for a case (七长负责制), as `role:name` elements.
    case responsible(caseFile: RecordID, [String])

    /// What the audit and the confirmation line call it.
    public func label(_ l: Language) -> String {
        switch self {
        case .absence: l.say(EntryMessages.absence)
        case .leave: l.say(EntryMessages.leave)
        case .leaveEnd: l.say(EntryMessages.returnFromLeave)
        case .visit: l.say(EntryMessages.visit)
        case .persuasion: l.say(EntryMessages.persuasionAttempt)
        case .homeTeaching: l.say(EntryMessages.homeTeachingSession)
        case .letter: l.say(EntryMessages.verificationLetter)
        case .status(let s, _): l.say(EntryMessages.statusSetTo, l.label(s))
        case .field(let f, _): l.say(EntryMessages.fieldSet, f)
        case .openCase: l.say(EntryMessages.caseOpened)
        case .followUp: l.say(EntryMessages.followUp)
        case .closeCase(_, let p, _): l.say(EntryMessages.caseClosedAs, l.label(p))
        case .closeOut(let ledger, _, _): l.say(EntryMessages.closedOutOf, l.label(ledger))
        case .focus: l.say(EntryMessages.focusGroups)
        case .responsible: l.say(EntryMessages.peopleResponsibleForCase)
        case .voidChild(let reason):
            reason.isEmpty
                ? l.say(EntryMessages.childRecordRestored)
                : l.say(EntryMessages.childRecordVoided, reason)
        }
    }

    /// The ops for `child` dated `date`, built against what this replica shows (preds, openers).
    /// `evidence` maps each attachment file to its content hash (already stored).
    func ops(child: RecordID, date: SimpleDate, evidence: [String: String], snapshot s: RecordSnapshot) throws(StoreError) -> [RecordOp] {
        func event(_ body: EventBody, subject: RecordID? = nil) -> RecordOp {
            .event(Event(child: child, subject: subject, date: date, body: body))
        }
        switch self {
        case .absence(let from, let to, let days, let excused):
            return [event(.absence(Absence(from: from, to: to, schoolDays: days, excused: excused)))]
        case .leave(let from, let to, let reason, let approvedBy):
            return [event(.leave(Leave(from: from, to: to, reason: reason, approvedBy: approvedBy)))]
        case .leaveEnd(let op, let returned):
            guard let original = try s.event(op), case .leave(let leave) = original.body, original.child == child else {
                throw .invalidRecord(.invalidField("leave", reason: "not a leave of this child"))
            }
            guard returned >= leave.from else { throw .invalidRecord(.invalidField("returned", reason: "before the leave began")) }
            if let ended = try s.amendments(of: op).first {
                throw .invalidRecord(.invalidField("leave", reason: "already ended on \(ended.date)"))
            }
            let end = min(leave.to, (try? returned.adding(days: -1)) ?? returned)
            return [
                .event(
                    Event(
                        child: child, date: returned,
                        body: .leave(
                            Leave(
                                from: leave.from, to: max(end, leave.from), reason: leave.reason,
                                approvedBy: leave.approvedBy)),
                        amends: op, amendReason: "销假"))
            ]
        case .visit(var visit, let files):
            visit.evidence = files.compactMap { evidence[$0] }
            return [event(.visit(visit))]
        case .persuasion(let caseFile, let attempt):
            try Self.checkCase(caseFile, of: child, open: true, in: s)
            return [event(.persuasion(attempt), subject: caseFile)]
        case .homeTeaching(let session):
            return [event(.homeTeaching(session))]
        case .letter(let letter):
            return [event(.verificationLetter(letter))]
        case .status(let status, let reason):
            return [
                .set(
                    kind: .child, record: child, field: "status", value: .status(StatusFact(status: status, date: date, reason: reason)),
                    pred: try s.liveOps(kind: .child, record: child, field: "status"))
            ]
        case .field(let field, let value):
            return [
                .set(
                    kind: .child, record: child, field: field, value: value, pred: try s.liveOps(kind: .child, record: child, field: field))
            ]
        case .voidChild(let reason):
            return [
                .set(
                    kind: .child, record: child, field: "voided", value: .text(reason),
                    pred: try s.liveOps(kind: .child, record: child, field: "voided"))
            ]
        case .focus(let add, let remove):
            var ops: [RecordOp] = add.map { .add(kind: .child, record: child, set: "focus", element: $0.rawValue) }
            for group in remove {
                let tags = try s.liveTags(kind: .child, record: child, set: "focus", element: group.rawValue)
                if !tags.isEmpty { ops.append(.remove(kind: .child, record: child, set: "focus", element: group.rawValue, tags: tags)) }
            }
            return ops
        case .responsible(let caseFile, let people):
            try Self.checkCase(caseFile, of: child, open: true, in: s)
            return people.map { .add(kind: .caseFile, record: caseFile, set: "responsible", element: $0) }
        case .followUp(let caseFile, let followUp):
            try Self.checkCase(caseFile, of: child, open: false, in: s)
            return [event(.followUp(followUp), subject: caseFile)]
        case .closeCase(let caseFile, let placement, let outcome):
            try Self.checkCase(caseFile, of: child, open: true, in: s)
            return [
                .set(
                    kind: .caseFile, record: caseFile, field: "placement", value: .text(placement.rawValue),
                    pred: try s.liveOps(kind: .caseFile, record: caseFile, field: "placement")),
                .set(
                    kind: .caseFile, record: caseFile, field: "outcome", value: .text(outcome),
                    pred: try s.liveOps(kind: .caseFile, record: caseFile, field: "outcome")),
            ]
        case .openCase(let caseFile, let reason, let text, let responsible):
            return [
                .set(kind: .caseFile, record: caseFile, field: "child", value: .text(child.hex), pred: []),
                .set(kind: .caseFile, record: caseFile, field: "reason", value: .text(reason.rawValue), pred: []),
            ]
                + (text.map { [.set(kind: .caseFile, record: caseFile, field: "reasonText", value: .text($0), pred: [])] } ?? [])
                + responsible.map { .add(kind: .caseFile, record: caseFile, set: "responsible", element: $0) }
        case .closeOut(let ledger, let files, let note):
            return [
                .closeOut(
                    child: child, ledger: ledger, closes: try s.openOpeners(child: child, ledger: ledger),
                    evidence: files.compactMap { evidence[$0] }, note: note)
            ]
        }
    }

    /// Refuses a case this replica does not know, another child's case, and (when `open`) a closed one:
    /// persuasion attempts and closing need an open case; a follow-up comes after closing too.
    static func checkCase(_ id: RecordID, of child: RecordID, open: Bool, in s: RecordSnapshot) throws(StoreError) {
        let file = try s.caseFile(id)
        guard let owner = file.child else { throw .invalidRecord(.invalidField("case", reason: "no such case")) }
        guard owner == child else { throw .invalidRecord(.invalidField("case", reason: "the case of another child")) }
        if open, file.closed { throw .invalidRecord(.invalidField("case", reason: "the case is closed")) }
    }

    /// The earliest day this entry speaks of when recorded on `date`: none may precede the child's birth.
    func earliestDay(on date: SimpleDate) -> SimpleDate {
        switch self {
        case .absence(let from, _, _, _), .leave(let from, _, _, _): min(from, date)
        default: date
        }
    }

    /// The operation the role table (trust.md §4) must allow for this entry.
    var operation: BaoxueTrust.Operation {
        switch self {
        case .absence: Permissions.operation(of: .absence)
        case .leave, .leaveEnd: Permissions.operation(of: .leave)
        case .homeTeaching: Permissions.operation(of: .homeTeaching)
        case .visit: Permissions.operation(of: .visit)
        case .persuasion: Permissions.operation(of: .persuasion)
        case .followUp: Permissions.operation(of: .followUp)
        case .letter: Permissions.operation(of: .verificationLetter)
        case .status, .field, .openCase, .closeCase, .focus, .responsible: .editRecord
        case .closeOut: .closeOut
        case .voidChild: .voidRecord
        }
    }

    /// The attachment files this entry carries.
    var files: [String] {
        switch self {
        case .visit(_, let files), .closeOut(_, let files, _): files
        default: []
        }
    }
}

/// Attachments (photos, signed statements) kept by content: `<replica>/attachments/<BLAKE2b-256 hex>`.
/// The record carries only the hash, so the file can travel separately and be checked on arrival.
enum AttachmentStore {
    /// A phone photo or a scanned statement; the most one attachment may be (privacy.md §3.6).
    static let maxBytes = AttachmentPart.maxBytes

    /// Reads and hashes a file without storing anything (so a refused record leaves no trace).
    static func read(_ path: String) throws(AppError) -> (hash: String, data: Data) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .fileMissing(path: path) }
        guard data.count <= maxBytes else { throw .invalidArgument(option: "--attach", value: path) }
        return (Hex.encode(Blake2b.hash(Array(data), length: 32)), data)
    }

    static func save(_ data: Data, hash: String, in directory: String) throws(AppError) {
        let folder = directory + "/attachments"
        let target = folder + "/" + hash
        guard !FileManager.default.fileExists(atPath: target) else { return }
        // Photos and signed statements about a child: this user's only (0700 folder, 0600 files),
        // written under a temporary name and renamed, so a cut write leaves no half file.
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { throw .store(.io(path: folder, errno: errno)) }
        guard chmod(folder, 0o700) == 0 else { throw .store(.io(path: folder, errno: errno)) }
        let partial = target + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: data, attributes: [.posixPermissions: 0o600]),
            rename(partial, target) == 0
        else { throw .store(.io(path: target, errno: errno)) }
    }
}
