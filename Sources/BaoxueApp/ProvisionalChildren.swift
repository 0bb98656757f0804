import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTrust
import Foundation

/// Children without papers (records.md §3.3): the survey exists to find children with neither an ID
/// number nor a 学籍号, so such a child is recorded provisionally (a random record id, the field
/// `provisional` saying how it was found) and merged later into the registry record once its ID
/// number is known. A merge writes the provisional record's `mergedInto`; both histories are kept,
/// lists and ledgers show the registry child from then on, and reports for periods that ended
/// before the merge count the two as they stood.
extension ReplicaCommands {
    /// Records a child found without papers; returns its new id. `fields` are checked by the record rules.
    public static func addProvisional(
        directory: String, name: String, found: String, fields: [(String, FieldValue)], scope: String?, language l: Language
    ) throws(AppError) -> RecordID {
        try addProvisional(try open(directory), name: name, found: found, fields: fields, scope: scope, language: l)
    }

    static func addProvisional(
        _ replica: Replica, name: String, found: String, fields: [(String, FieldValue)], scope: String?, language l: Language
    ) throws(AppError) -> RecordID {
        try checkRole(replica, .editRecord, l.say(ChildMessages.recordChildProvisionally), l)
        let now = Replica.nowMilliseconds()
        let target = try importScope(replica, scope, at: now)
        let child = RecordID.random()
        let values: [(String, FieldValue)] =
            [
                ("name", .text(name.trimmingCharacters(in: .whitespaces))),
                ("provisional", .text(found.isEmpty ? l.say(ChildMessages.provisional) : found)),
            ] + fields
        for (field, value) in values {
            do { try Schema.validate(kind: .child, field: field, value: value) } catch { throw .store(.invalidRecord(error)) }
        }
        _ = try attempt { () throws(StoreError) in
            try replica.log.appendOperations(by: replica.key, scope: target, now: now) { _ throws(StoreError) in
                values.map { .set(kind: .child, record: child, field: $0.0, value: $0.1, pred: []) }
            }
        }
        return child
    }

    /// Merges the provisional child `provisional` names into the registry child `into` names.
    /// Refuses, writing nothing: a child that is not provisional, one already merged or voided, a
    /// target that is itself provisional, merged or voided, or the same child.
    public static func mergeChild(
        directory: String, provisional: String, into: String, language l: Language
    ) throws(AppError) -> RecordedView {
        let log = try open(directory).log
        let from = try resolveChild(log, provisional, option: "PROVISIONAL")
        let to = try resolveChild(log, into, option: "--into")
        let (a, b) = try attempt { () throws(StoreError) in (try log.child(from), try log.child(to)) }
        guard let a else { throw .childUnknown(provisional) }
        guard let b else { throw .childUnknown(into) }
        guard from != to else { throw .mergeRefused(l.say(ChildMessages.childCannotBeMergedInto)) }
        guard a.provisional != nil, a.mergedInto == nil, a.voided == nil else {
            throw .mergeRefused(l.say(ChildMessages.isNotProvisionalRecordAwaiting, a.name ?? provisional))
        }
        guard b.provisional == nil, b.voided == nil else {
            throw .mergeRefused(l.say(ChildMessages.isNotRegistryRecordMerge, b.name ?? into))
        }
        return try record(
            directory: directory, child: from.hex, entry: .field("mergedInto", .text(to.hex)), date: nil, scope: nil,
            language: l)
    }
}
