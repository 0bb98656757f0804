/// A child as people see it: each field's shown value, the fields in
/// conflict (concurrent values not yet settled), and focus-group flags.
public struct ChildRow: Sendable, Equatable {
    public let child: RecordID
    /// Field name → shown value.
    public let fields: [String: FieldValue]
    /// Fingerprint of the author of the shown status write.
    public let statusAuthor: String?
    public let conflicts: [String]
    public let focus: [FocusGroup]

    /// Resolves every child field from its live writes.
    public static func resolve<S: RecordViewStorage>(_ child: RecordID, from storage: inout S) throws -> ChildRow {
        try resolve([child], from: &storage)[0]
    }

    /// Resolves several children at once, in the order given: their live writes and focus
    /// sets are read in one query each (a roster change names 16 children).
    public static func resolve<S: RecordViewStorage>(_ children: [RecordID], from storage: inout S) throws -> [ChildRow] {
        let states = try storage.fieldStates(kind: .child, records: children)
        let focusSets = try storage.elements(kind: .child, records: children, set: "focus")
        return children.map { make($0, states: states[$0] ?? [:], focus: focusSets[$0] ?? []) }
    }

    /// The row of `child` from its fields' states and its focus set's elements (ascending).
    public static func make(_ child: RecordID, states: [String: FieldState], focus: [String]) -> ChildRow {
        var fields: [String: FieldValue] = [:]
        var conflicts: [String] = []
        var statusAuthor: String?
        for field in Schema.fields(of: .child) {
            guard let state = states[field] else { continue }
            fields[field] = state.shown.value
            if field == "status" { statusAuthor = state.shown.stamp.author.fingerprint.text }
            if state.conflicted { conflicts.append(field) }
        }
        return ChildRow(
            child: child, fields: fields, statusAuthor: statusAuthor, conflicts: conflicts,
            focus: focus.compactMap(FocusGroup.init(rawValue:)))
    }
}
