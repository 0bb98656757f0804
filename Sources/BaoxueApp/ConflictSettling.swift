import BaoxueCore
import BaoxueRecords
import BaoxueStore

extension ReplicaCommands {
    /// Settles a child's field in conflict on the value a person chose: writes that value again as
    /// this device's change, naming every live write as seen (records.md §2), so the conflict ends
    /// on every replica that receives it. `choice` is the value's position in the list
    /// `conflicts(directory:language:)` shows, and `shown` its text there: if the values changed
    /// meanwhile (a sync brought another), nothing is written and the person is asked to look again.
    public static func settle(
        directory: String, child: String, field: String, choice: Int, shown: String, language l: Language
    ) throws(AppError) -> RecordedView {
        try settle(try open(directory), child: child, field: field, choice: choice, shown: shown, language: l)
    }

    static func settle(
        _ replica: Replica, child: String, field: String, choice: Int, shown: String, language l: Language
    ) throws(AppError) -> RecordedView {
        let id = try resolveChild(replica.log, child)
        try checkRole(replica, .editRecord, l.say(ChildMessages.settleConflict), l)
        let target = try attempt { () throws(StoreError) in try replica.log.read { s throws(StoreError) in try s.scope(of: id) } }
        guard let target else { throw .childUnknown(child) }
        let change = try attempt { () throws(StoreError) in
            try replica.log.appendOperations(by: replica.key, scope: target, now: Replica.nowMilliseconds()) { s throws(StoreError) in
                let values = try s.liveValues(kind: .child, record: id, field: field)
                guard values.count > 1, values.indices.contains(choice), text(field, values[choice].value, full: false, l) == shown else {
                    throw .invalidRecord(.invalidField(field, reason: "the values changed meanwhile: look again"))
                }
                return [
                    .set(
                        kind: .child, record: id, field: field, value: values[choice].value,
                        pred: try s.liveOps(kind: .child, record: id, field: field))
                ]
            }
        }
        return RecordedView(
            change: change.id.hex, entry: OpID(change: change.id, index: 0).text, child: id.hex,
            what: l.say(ChildMessages.settledConflictOf, l.fieldName(field)), caseFile: nil, attachments: [])
    }
}
