import Foundation

/// The value of one register field.
public enum FieldValue: Sendable, Equatable, Hashable {
    case text(String)
    case number(Int)
    case date(SimpleDate)
    case status(StatusFact)
}

/// A status as a fact: what, since when, and why. The author and time come
/// from the signed change that carries it.
public struct StatusFact: Sendable, Equatable, Hashable {
    public let status: ChildStatus
    public let date: SimpleDate
    public let reason: String

    public init(status: ChildStatus, date: SimpleDate, reason: String) {
        self.status = status
        self.date = date
        self.reason = reason
    }
}

/// Which fields each record kind has, and the rule each value must follow.
public enum Schema {
    public static let maxTextBytes = 512

    public static func fields(of kind: RecordKind) -> [String] {
        switch kind {
        case .child:
            [
                "name", "gender", "birthDate", "idNumber", "studentNumber", "hukouPlace", "residence",
                "guardianName", "guardianPhone", "school", "grade", "className", "village", "status", "voided",
                "provisional", "mergedInto",
            ]
        case .household: ["address", "head", "phone", "village"]
        case .caseFile: ["child", "reason", "reasonText", "placement", "outcome", "school"]
        case .survey: ["village", "date", "team"]
        }
    }

    /// Sets (add-wins observed-remove) each kind has.
    public static func sets(of kind: RecordKind) -> [String] {
        switch kind {
        case .child: ["focus", "evidence"]
        case .caseFile: ["responsible", "evidence"]
        case .household: ["members"]
        case .survey: ["team"]
        }
    }

    /// Checks that `value` is acceptable for `field` of `kind`.
    public static func validate(kind: RecordKind, field: String, value: FieldValue) throws(RecordsError) {
        guard fields(of: kind).contains(field) else { throw .invalidField(field, reason: "unknown field of \(kind.rawValue)") }
        switch (kind, field, value) {
        case (.child, "status", .status(let fact)):
            try text("reason", fact.reason, required: true)
        case (_, "status", _):
            throw .invalidField(field, reason: "must be a status")
        case (.child, "birthDate", .date), (.survey, "date", .date):
            return
        case (.child, "grade", .number(let g)):
            guard (1...9).contains(g) else { throw .invalidField(field, reason: "grade 1–9") }
        case (.child, "idNumber", .text(let t)):
            _ = try ResidentID(t)
        case (.child, "guardianPhone", .text(let t)), (.household, "phone", .text(let t)):
            try PhoneNumber.validate(t)
        case (.child, "gender", .text(let t)):
            guard Gender(rawValue: t) != nil else { throw .invalidField(field, reason: "male or female") }
        case (.caseFile, "reason", .text(let t)):
            guard ReasonCategory(rawValue: t) != nil else { throw .invalidField(field, reason: "unknown reason category") }
        case (.caseFile, "placement", .text(let t)):
            guard Placement(rawValue: t) != nil else { throw .invalidField(field, reason: "unknown placement") }
        case (.caseFile, "child", .text(let t)):
            _ = try RecordID(hex: t)
        case (.child, "mergedInto", .text(let t)):
            // The registry child a provisional one was merged into; "" undoes the merge.
            if !t.isEmpty { _ = try RecordID(hex: t) }
        case (_, _, .text(let t)):
            // "voided" holds the reason a record entered by mistake is void; "" restores it. "provisional" says
            // how a child without papers was found (non-blank: a provisional record, records.md §3.3).
            try text(field, t, required: field == "name")
        default:
            throw .invalidField(field, reason: "wrong type of value")
        }
    }

    /// Nothing but spaces and tabs (`CharacterSet.whitespaces`): what trimming them would leave
    /// empty, without bridging the text to NSString (every op of every change is checked).
    static func isBlank(_ t: String) -> Bool {
        t.unicodeScalars.allSatisfy { CharacterSet.whitespaces.contains($0) }
    }

    static func text(_ field: String, _ t: String, required: Bool) throws(RecordsError) {
        if required && isBlank(t) { throw .missingField(field) }
        guard t.utf8.count <= maxTextBytes else { throw .invalidField(field, reason: "longer than \(maxTextBytes) bytes") }
        guard !t.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) else {
            throw .invalidField(field, reason: "control characters")
        }
    }
}

extension FieldValue {
    private static let separator: Character = "\u{1F}"

    /// A compact, deterministic text form for the views (no JSON on the hot
    /// path): a type letter, then the parts separated by U+001F, which field
    /// text can never contain (control characters are refused).
    public var storageText: String {
        let s = String(Self.separator)
        switch self {
        case .text(let t): return "t" + s + t
        case .number(let n): return "n" + s + String(n)
        case .date(let d): return "d" + s + d.description
        case .status(let f): return "s" + s + f.status.rawValue + s + f.date.description + s + f.reason
        }
    }

    public init(storageText: String) throws(RecordsError) {
        // Split on the separator's byte, not on Characters (U+001F is one byte that no other character's UTF-8 contains).
        let parts = storageText.utf8.split(separator: 0x1F, omittingEmptySubsequences: false).map { String(Substring($0)) }
        switch (parts.first, parts.count) {
        case ("t", 2): self = .text(parts[1])
        case ("n", 2):
            guard let n = Int(parts[1]) else { throw .malformedPayload("stored number") }
            self = .number(n)
        case ("d", 2): self = .date(try SimpleDate(parts[1]))
        case ("s", 4):
            guard let status = ChildStatus(rawValue: parts[1]) else { throw .malformedPayload("stored status") }
            self = .status(StatusFact(status: status, date: try SimpleDate(parts[2]), reason: parts[3]))
        default: throw .malformedPayload("stored value")
        }
    }
}
