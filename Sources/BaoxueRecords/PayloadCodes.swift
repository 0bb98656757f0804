/// The numbers record payload format 2 writes for kinds, fields and enum values
/// (`Protocol/records.md` §1). A code is the 0-based position of the value in the table the
/// spec lists, which is the order of the Swift declarations below; reordering them changes
/// the format (the vectors would catch it).
enum PayloadCodes {
    static let magic: [UInt8] = [0x00, 0x52]
    static let version: UInt8 = 2

    enum Op: UInt8 { case set = 0, add, remove, event, void, closeOut, registryDefault }
    enum Value: UInt8 { case text = 0, number, date, status }

    static func code<T: CaseIterable & Equatable>(_ value: T) -> UInt8 {
        UInt8(T.allCases.firstIndex(of: value).map { T.allCases.distance(from: T.allCases.startIndex, to: $0) }!)
    }

    static func value<T: CaseIterable>(_ code: UInt8, _: T.Type) -> T? {
        let all = Array(T.allCases)
        return Int(code) < all.count ? all[Int(code)] : nil
    }
}

/// The type a register field holds; a `set` whose value has another type is unreadable.
public enum FieldType: Sendable, Equatable {
    case text, number, date, status
}

extension Schema {
    /// The type of `field` of `kind` (nil for a field the kind does not have).
    public static func type(of field: String, in kind: RecordKind) -> FieldType? {
        guard fields(of: kind).contains(field) else { return nil }
        switch (kind, field) {
        case (.child, "birthDate"), (.survey, "date"): return .date
        case (.child, "grade"): return .number
        case (.child, "status"): return .status
        default: return .text
        }
    }
}

extension FieldValue {
    var type: FieldType {
        switch self {
        case .text: .text
        case .number: .number
        case .date: .date
        case .status: .status
        }
    }
}

/// The kinds of event, in the order of their codes.
public enum EventKind: String, CaseIterable, Sendable {
    case visit, absence, leave, persuasion, homeTeaching, householdCheck, verificationLetter, followUp

    /// Whether an event of this kind names a child: every kind but a household check must.
    public var requiresChild: Bool { self != .householdCheck }

    /// Whether it names a subject: a persuasion or follow-up its case, a household check its survey.
    public var requiresSubject: Bool { self == .persuasion || self == .followUp || self == .householdCheck }
}
