import BaoxueRecords
import Foundation

/// The neutral description of an op in `Protocol/vectors/records.json` (records.md §1.8):
/// plain JSON that another implementation re-encodes from the spec. Not a wire format.
enum RecordVectorDescription {
    static func describe(_ op: RecordOp) -> [String: Any] {
        switch op {
        case .set(let kind, let record, let field, let value, let pred):
            return ["op": "set", "kind": kind.rawValue, "record": record.hex, "field": field, "value": describe(value),
                    "pred": pred.map(\.text)]
        case .registryDefault(let kind, let record, let field, let value, let pred):
            return ["op": "registryDefault", "kind": kind.rawValue, "record": record.hex, "field": field, "value": describe(value),
                    "pred": pred.map(\.text)]
        case .add(let kind, let record, let set, let element):
            return ["op": "add", "kind": kind.rawValue, "record": record.hex, "set": set, "element": element]
        case .remove(let kind, let record, let set, let element, let tags):
            return ["op": "remove", "kind": kind.rawValue, "record": record.hex, "set": set, "element": element, "tags": tags.map(\.text)]
        case .event(let e):
            return ["op": "event", "child": e.child?.hex ?? NSNull(), "subject": e.subject?.hex ?? NSNull(), "date": e.date.description,
                    "amends": e.amends?.text ?? NSNull(), "amendReason": e.amendReason ?? NSNull(), "kind": e.body.kind,
                    "body": body(e.body)]
        case .void(let target, let reason):
            return ["op": "void", "target": target.text, "reason": reason]
        case .closeOut(let child, let ledger, let closes, let evidence, let note):
            return ["op": "closeOut", "child": child.hex, "ledger": ledger.rawValue, "closes": closes.map(\.text), "evidence": evidence,
                    "note": note]
        }
    }

    static func describe(_ value: FieldValue) -> [String: Any] {
        switch value {
        case .text(let t): ["text": t]
        case .number(let n): ["number": n]
        case .date(let d): ["date": d.description]
        case .status(let f): ["status": f.status.rawValue, "date": f.date.description, "reason": f.reason]
        }
    }

    static func body(_ body: EventBody) -> [String: Any] {
        func opt(_ v: Any?) -> Any { v ?? NSNull() }
        switch body {
        case .visit(let v):
            return ["participants": v.participants, "location": opt(v.location), "householdFound": v.householdFound,
                    "childSeen": v.childSeen,
                    "spokeTo": v.spokeTo, "reasonOut": opt(v.reasonOut), "agreed": v.agreed, "nextContact": opt(v.nextContact?.description),
                    "evidence": v.evidence]
        case .absence(let a): return ["from": a.from.description, "to": a.to.description, "schoolDays": a.schoolDays, "excused": a.excused]
        case .leave(let l): return ["from": l.from.description, "to": l.to.description, "reason": l.reason, "approvedBy": l.approvedBy]
        case .persuasion(let p): return ["method": p.method, "outcome": p.outcome.rawValue, "note": p.note]
        case .homeTeaching(let h): return ["classHours": h.classHours, "teacher": h.teacher, "content": h.content]
        case .householdCheck(let h): return ["address": h.address, "childrenFound": h.childrenFound, "finding": h.finding.rawValue]
        case .verificationLetter(let v): return ["sentTo": v.sentTo, "reason": v.reason]
        case .followUp(let f): return ["months": f.months, "attending": f.attending, "note": f.note]
        }
    }
}
