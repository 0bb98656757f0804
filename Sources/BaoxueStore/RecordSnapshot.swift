import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import Foundation
import GRDB

/// A read view of the record tables inside one transaction: what an author
/// needs to write well-formed ops (the values it saw, the tags it saw, the
/// ledger entries it closes).
public struct RecordSnapshot {
    let db: Database

    /// A child's shown field values and conflicts as this replica has them (empty if unknown).
    public func childRow(_ child: RecordID) throws(StoreError) -> ChildRow {
        try storeCall {
            var views = SQLRecordViews(db: db)
            return try ChildRow.resolve(child, from: &views)
        }
    }

    /// Every live (concurrent) value of a field with its author, shown value first: what a
    /// person compares to settle a conflict.
    public func liveValues(kind: RecordKind, record: RecordID, field: String) throws(StoreError) -> [(value: FieldValue, author: PublicKey)]
    {
        try storeCall {
            var views = SQLRecordViews(db: db)
            let live = try views.liveWrites(kind: kind, record: record).filter { $0.field == field }.sorted(by: RegisterWrite.shownFirst)
            // Registry defaults are in the comparison only while no person wrote the field.
            return live.filter { $0.isDefault == live.first?.isDefault }.map { ($0.value, $0.stamp.author) }
        }
    }

    /// The scope a record was first written in: where entries about it belong, so everyone
    /// holding the record receives them. Nil for an unknown record.
    public func scope(of record: RecordID) throws(StoreError) -> ScopeID? {
        try storeCall {
            guard
                let op = try Data.fetchOne(
                    db, sql: "SELECT op FROM rec_write WHERE record = ? ORDER BY hlc, op LIMIT 1", arguments: [record.hex]),
                op.count == 34
            else { return nil }
            let change = Data(op.prefix(32))
            return try String.fetchOne(db, sql: "SELECT scope FROM change WHERE id = ?", arguments: [change]).flatMap { try? ScopeID($0) }
        }
    }

    /// A stored event by its op id, as written (nil if not here).
    public func event(_ op: OpID) throws(StoreError) -> Event? {
        try storeCall {
            try Data.fetchOne(db, sql: "SELECT body FROM rec_event WHERE op = ?", arguments: [Data(op.bytes)])
                .flatMap { try? Event.decode(Array($0)) }
        }
    }

    /// The amendments of an event that are in force (not voided), oldest first.
    public func amendments(of op: OpID) throws(StoreError) -> [Event] {
        try storeCall {
            try Data.fetchAll(
                db,
                sql: """
                    SELECT body FROM rec_event e WHERE amends = ? AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = e.op)
                    ORDER BY date, op
                    """, arguments: [Data(op.bytes)]
            ).compactMap { try? Event.decode(Array($0)) }
        }
    }

    /// A persuasion-to-return case as this replica shows it: its child (nil when no case has this
    /// id here) and whether it was closed (a placement written).
    public func caseFile(_ id: RecordID) throws(StoreError) -> (child: RecordID?, closed: Bool) {
        let child = try liveValues(kind: .caseFile, record: id, field: "child").compactMap { v -> RecordID? in
            if case .text(let hex) = v.value { return try? RecordID(hex: hex) }
            return nil
        }.first
        return (child, try !liveOps(kind: .caseFile, record: id, field: "placement").isEmpty)
    }

    /// Op ids of the live values of a field: the `pred` of a new write.
    public func liveOps(kind: RecordKind, record: RecordID, field: String) throws(StoreError) -> [OpID] {
        try storeCall {
            try Data.fetchAll(
                db, sql: "SELECT op FROM rec_write WHERE record = ? AND field = ? AND live = 1 AND kind = ? ORDER BY op",
                arguments: [record.hex, field, kind.rawValue]
            ).map { try OpID(bytes: Array($0)) }
        }
    }

    /// For a registry import of one field: the live registry defaults (what a new default supersedes),
    /// or nil when a person's write is live (a person's value stands; the import leaves the field alone).
    public func registryPred(kind: RecordKind, record: RecordID, field: String) throws(StoreError) -> [OpID]? {
        try storeCall {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT op, rank FROM rec_write WHERE record = ? AND field = ? AND live = 1 AND kind = ? ORDER BY op
                    """, arguments: [record.hex, field, kind.rawValue])
            if rows.contains(where: { ($0[1] as Int) != 0 }) { return nil }
            return try rows.map { try OpID(bytes: Array($0[0] as Data)) }
        }
    }

    /// Tags under which `element` is in the set: what a remove must name.
    public func liveTags(kind: RecordKind, record: RecordID, set: String, element: String) throws(StoreError) -> [OpID] {
        try storeCall {
            try Data.fetchAll(
                db,
                sql: """
                    SELECT tag FROM rec_element WHERE record = ? AND set_name = ? AND element = ? AND live = 1 AND kind = ? ORDER BY tag
                    """, arguments: [record.hex, set, element, kind.rawValue]
            ).map { try OpID(bytes: Array($0)) }
        }
    }

    public func elements(kind: RecordKind, record: RecordID, set: String) throws(StoreError) -> [String] {
        try storeCall {
            var views = SQLRecordViews(db: db)
            return try views.elements(kind: kind, record: record, set: set)
        }
    }

    /// The ops that keep `child` on `ledger` and are not closed yet: what a close-out closes.
    public func openOpeners(child: RecordID, ledger: Ledger) throws(StoreError) -> [OpID] {
        try storeCall {
            try Data.fetchAll(
                db,
                sql: """
                    SELECT op FROM rec_opener o WHERE child = ? AND ledger = ?
                    AND NOT EXISTS (SELECT 1 FROM rec_closed c WHERE c.opener = o.op) ORDER BY op
                    """, arguments: [child.hex, ledger.rawValue]
            ).map { try OpID(bytes: Array($0)) }
        }
    }

    /// Event op ids about a child, oldest first (for amendments and voids).
    public func eventOps(child: RecordID) throws(StoreError) -> [OpID] {
        try storeCall {
            try Data.fetchAll(db, sql: "SELECT op FROM rec_event WHERE child = ? ORDER BY date, op", arguments: [child.hex])
                .map { try OpID(bytes: Array($0)) }
        }
    }
}

extension ChangeLog {
    /// Reads the record views.
    public func read<T>(_ body: (RecordSnapshot) throws(StoreError) -> T) throws(StoreError) -> T {
        try storeCall { try readDB { db in try body(RecordSnapshot(db: db)) } }
    }

    /// Builds ops from the current views and appends them as this device's
    /// next change, all in one write transaction (so the `pred`s and tags
    /// an op names are exactly what this replica showed when it was written).
    /// The parts of the attachments the ops cite go first, in the same transaction (privacy.md §3.6).
    public func appendOperations(
        by key: DeviceKey, scope: ScopeID, now: UInt64, attachments parts: [AttachmentPart] = [],
        _ build: (RecordSnapshot) throws(StoreError) -> [RecordOp]
    ) throws(StoreError) -> Change {
        try appendAuthored(
            by: key, scope: scope, now: now, parts: parts,
            payload: { db throws(StoreError) in
                let ops = try build(RecordSnapshot(db: db))
                guard !ops.isEmpty else { throw .nothingToWrite }
                do throws(RecordsError) {
                    for op in ops {
                        try op.validate()
                        try op.validateDate(now: now, policy: merge?.policy ?? .fengnan)
                    }
                    return try RecordPayload(ops: ops).encoded()
                } catch { throw .invalidRecord(error) }
            })
    }
}

extension RecordOp {
    /// The edge check of dates against the writing device's clock (the same check every replica makes).
    func validateDate(now: UInt64, policy: Policy) throws(RecordsError) {
        try validate(signedOn: try SimpleDate(unixMilliseconds: now), toleranceDays: policy.clockToleranceDays)
    }
}
