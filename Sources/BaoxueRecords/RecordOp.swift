import Foundation

/// One CRDT operation inside a change's payload.
///
/// - `set`: write a register field; `pred` lists the values of that field
///   the writer saw (they are superseded). Concurrent writes stay side by side.
/// - `registryDefault`: the same, from a registry import (学籍, 户籍): any live
///   `set` of the field wins over it without a conflict.
/// - `add` / `remove`: an add-wins observed-remove set; an add's tag is its
///   own op id, a remove lists the tags it saw.
/// - `event`: an immutable event; `void`: marks an earlier op entered by
///   mistake, with a reason (nothing is deleted).
/// - `closeOut` (销号): closes the ledger entries (`closes`: the ops that put
///   the child on the ledger, as the writer saw them); needs evidence.
public enum RecordOp: Sendable, Equatable {
    case set(kind: RecordKind, record: RecordID, field: String, value: FieldValue, pred: [OpID])
    case registryDefault(kind: RecordKind, record: RecordID, field: String, value: FieldValue, pred: [OpID])
    case add(kind: RecordKind, record: RecordID, set: String, element: String)
    case remove(kind: RecordKind, record: RecordID, set: String, element: String, tags: [OpID])
    case event(Event)
    case void(target: OpID, reason: String)
    case closeOut(child: RecordID, ledger: Ledger, closes: [OpID], evidence: [String], note: String)
}

extension RecordOp {
    public static let maxListLength = 64

    /// The child whose displayed row this op refreshes when it applies: the record of a
    /// `set`, `add` or `remove` on a child (`RecordMerge`; `ViewRepair` when it takes ops out).
    public var refreshedChild: RecordID? {
        switch self {
        case .set(.child, let record, _, _, _), .registryDefault(.child, let record, _, _, _), .add(.child, let record, _, _),
            .remove(.child, let record, _, _, _):
            record
        default: nil
        }
    }

    /// The rules that depend on the day the op was signed: an event's dates (`Event.validate(signedOn:)`)
    /// and a status's date, which may not lie in the future nor more than `Event.maxBackdateDays` back.
    public func validate(signedOn today: SimpleDate, toleranceDays: Int) throws(RecordsError) {
        switch self {
        case .event(let e):
            try e.validate(signedOn: today, toleranceDays: toleranceDays)
        case .set(_, _, let field, .status(let fact), _), .registryDefault(_, _, let field, .status(let fact), _):
            guard fact.date.dayNumber <= today.dayNumber + toleranceDays else { throw .invalidField(field, reason: "dated in the future") }
            guard fact.date.dayNumber >= today.dayNumber - Event.maxBackdateDays else {
                throw .invalidField(field, reason: "dated more than \(Event.maxBackdateDays) days before it was signed")
            }
        default:
            break
        }
    }

    /// The rules that do not depend on time: fields, sets, evidence, list
    /// lengths. Replicas check them again when applying, so a signed but
    /// invalid op from a peer is rejected on every replica alike.
    public func validate() throws(RecordsError) {
        switch self {
        case .set(let kind, let record, let field, let value, let pred):
            try Schema.validate(kind: kind, field: field, value: value)
            guard pred.count <= Self.maxListLength else { throw .payloadTooLarge }
            guard field != "mergedInto" || value != .text(record.hex) else {
                throw .invalidField(field, reason: "a child merged into itself")
            }
        case .registryDefault(let kind, _, let field, let value, let pred):
            try Schema.validate(kind: kind, field: field, value: value)
            guard pred.count <= Self.maxListLength else { throw .payloadTooLarge }
            // A registry says who a child is and that it is enrolled; marking a record void or
            // putting a child on a ledger is a person's decision.
            guard !["voided", "provisional", "mergedInto"].contains(field) else {
                throw .invalidField(field, reason: "not set by a registry")
            }
            if case .status(let fact) = value, fact.status.ledger != nil {
                throw .invalidField(field, reason: "a ledger status is not set by a registry")
            }
        case .add(let kind, _, let set, let element), .remove(let kind, _, let set, let element, _):
            guard Schema.sets(of: kind).contains(set) else { throw .invalidField(set, reason: "unknown set of \(kind.rawValue)") }
            try Schema.text(set, element, required: true)
            if kind == .child && set == "focus" && FocusGroup(rawValue: element) == nil {
                throw .invalidField("focus", reason: "unknown focus group")
            }
            if case .remove(_, _, _, _, let tags) = self, tags.isEmpty || tags.count > Self.maxListLength {
                throw .invalidField("tags", reason: "a remove names 1–64 observed tags")
            }
        case .event(let e):
            try e.validate()
        case .void(_, let reason):
            try Schema.text("reason", reason, required: true)
        case .closeOut(_, _, let closes, let evidence, let note):
            guard !evidence.isEmpty, !Schema.isBlank(note) else { throw .closeOutWithoutEvidence }
            try Evidence.validate(evidence)
            try Schema.text("note", note, required: true)
            guard !closes.isEmpty, closes.count <= Self.maxListLength else {
                throw .invalidField("closes", reason: "a close-out names 1–64 ledger entries")
            }
        }
    }
}

/// Evidence attachments are named by their BLAKE2b-256 content hash (64 hex digits).
public enum Evidence {
    public static func validate(_ hashes: [String]) throws(RecordsError) {
        guard hashes.count <= RecordOp.maxListLength else { throw .payloadTooLarge }
        for h in hashes where h.utf8.count != 64 || !h.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) {
            throw .invalidField("evidence", reason: "attachments are 64-hex-digit content hashes")
        }
    }
}

extension RecordOp {
    /// A short, language-neutral description for logs and audit lists (no personal data).
    public var summary: String {
        switch self {
        case .set(let kind, _, let field, _, let pred): "set \(kind.rawValue).\(field)" + (pred.count > 1 ? " (settles \(pred.count))" : "")
        case .registryDefault(let kind, _, let field, _, _): "default \(kind.rawValue).\(field)"
        case .add(let kind, _, let set, let element):
            "add \(kind.rawValue).\(set) \(set == "focus" ? element : "")".trimmingCharacters(in: .whitespaces)
        case .remove(let kind, _, let set, _, _): "remove \(kind.rawValue).\(set)"
        case .event(let e): "event \(e.body.kind)" + (e.amends == nil ? "" : " (amends)")
        case .void: "void"
        case .closeOut(_, let ledger, _, let evidence, _): "closeOut \(ledger.rawValue) (\(evidence.count) evidence)"
        }
    }
}
