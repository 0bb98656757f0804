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
        var fields: [String: FieldValue] = [:]
        var conflicts: [String] = []
        var statusAuthor: String?
        let byField = Dictionary(grouping: try storage.liveWrites(kind: .child, record: child), by: \.field)
        for field in Schema.fields(of: .child) {
            let live = (byField[field] ?? []).sorted(by: RegisterWrite.shownFirst)
            guard let shown = live.first else { continue }
            fields[field] = shown.value
            if field == "status" { statusAuthor = shown.stamp.author.fingerprint.text }
            if Set(live.map(\.value)).count > 1 { conflicts.append(field) }
        }
        let focus = try storage.elements(kind: .child, record: child, set: "focus").compactMap(FocusGroup.init(rawValue:))
        return ChildRow(child: child, fields: fields, statusAuthor: statusAuthor, conflicts: conflicts, focus: focus)
    }
}
