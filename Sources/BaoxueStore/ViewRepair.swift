import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import Foundation
import GRDB

/// Takes changes that are no longer applied (an equivocation's, a revoked
/// device's) out of the record views, leaving exactly the rows a rebuild from
/// the remaining applied changes would give.
///
/// Every view row carries the op it came from, and an op id begins with its
/// change id, so a change's rows are found by range. The rules are functions
/// of the set of applied changes (`RecordMerge`), so deleting a change's rows,
/// making live again what only it superseded or removed, and resolving again
/// the children it touched gives the set's state without it.
///
/// Why: a full rebuild re-applies every change on the device (a school's
/// roster alone is thousands of writes); an equivocation or a revocation
/// reaches every device of a school and made each of them rebuild.
enum ViewRepair {
    /// Removes `removed` from the views; false (and nothing changed) when a grant is among them:
    /// the caller then rebuilds.
    static func unapply(
        _ removed: [Change], db: Database, keys: inout KeyRing, views: inout SQLRecordViews,
        merge: RecordMerge = RecordMerge()
    ) throws -> Bool {
        let ids = Set(removed.map(\.id))
        var touched = Set<RecordID>()
        // Children whose absence openers follow from the absences and leaves taken out (AbsenceRuns).
        var attendance = Set<RecordID>()
        for change in removed {
            if MemberGrant.isGrant(change.payload) { return false }
            for op in try readable(change, keys: &keys)?.ops ?? [] {
                if let child = op.refreshedChild { touched.insert(child) }
                switch op {
                case .event(let e) where [EventKind.absence, .leave].contains(e.body.eventKind):
                    if let child = e.child { attendance.insert(child) }
                case .void(let target, _):
                    if case (let child?, let kind)? = try views.eventKind(of: target), [EventKind.absence, .leave].contains(kind) {
                        attendance.insert(child)
                    }
                default: break
                }
            }
        }
        try deleteRows(of: ids, db: db, touched: &touched)
        for child in attendance.sorted() { try merge.refreshAbsenceOpeners(child, in: &views) }
        var bare: Set<RecordID> = []
        for child in touched.sorted() {
            let hasRows =
                try Bool.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT EXISTS(SELECT 1 FROM rec_write WHERE record = ?1 AND kind = 'child')
                                OR EXISTS(SELECT 1 FROM rec_element WHERE record = ?1 AND kind = 'child')
                            """), arguments: [child.hex]) ?? false
            if hasRows {
                try views.writeChildRow(try ChildRow.resolve(child, from: &views))
            } else {
                bare.insert(child)
            }
        }
        guard !bare.isEmpty else { return true }
        // A child with no write or element left keeps its row only if a remaining remove op names
        // it (a rebuild writes a row for every child an applied set, add or remove op touched).
        // Every applied remove op left rows in `rec_removed`, so those changes are read again.
        var named = Set<RecordID>()
        let removers = try Data.fetchAll(db, sql: "SELECT DISTINCT substr(by_op, 1, 32) FROM rec_removed")
        let statement = try db.cachedStatement(sql: "SELECT bytes FROM change WHERE id = ? AND state = \(ChangeState.applied.sql)")
        for id in removers {
            guard let bytes = try Data.fetchOne(statement, arguments: [id]) else { continue }
            for op in try readable(try Change.decodeVerified(Array(bytes)), keys: &keys)?.ops ?? [] {
                if case .remove = op, let child = op.refreshedChild, bare.contains(child), (try? op.validate()) != nil {
                    named.insert(child)
                }
            }
        }
        for child in bare.sorted() {
            if named.contains(child) {
                try views.writeChildRow(try ChildRow.resolve(child, from: &views))
            } else {
                try db.cachedStatement(sql: "DELETE FROM child_view WHERE child = ?").execute(arguments: [child.hex])
            }
        }
        return true
    }

    /// The record payload of an applied record change as the merge saw it; nil when it carried none
    /// (a receipt, `_admin`, a payload it could not read or decode: such a change wrote no view row but a rejection).
    private static func readable(_ change: Change, keys: inout KeyRing) throws -> RecordPayload? {
        guard change.scope != .admin, !change.isWitnessReceipt else { return nil }
        switch try keys.route(change) {
        case .plain: return try? RecordPayload.decode(change.payload)
        case .opened(let opened): return try? opened.get()
        case .waiting, .grant, .transfer, .departure, .attachmentPart: return nil
        }
    }

    /// Deletes the rows `ids`' ops wrote, makes live again the writes and tags only they
    /// superseded or removed, and adds the children of those to `touched`.
    private static func deleteRows(of ids: Set<ChangeID>, db: Database, touched: inout Set<RecordID>) throws {
        func children(_ sql: String, _ arguments: StatementArguments) throws {
            for hex in try String.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) {
                if let id = try? RecordID(hex: hex) { touched.insert(id) }
            }
        }
        for id in ids {
            let range: StatementArguments = [Data(id.bytes + [0, 0]), Data(id.bytes + [0xFF, 0xFF])]
            try children("SELECT record FROM rec_write WHERE op BETWEEN ? AND ? AND kind = 'child'", range)
            try children("SELECT record FROM rec_element WHERE tag BETWEEN ? AND ? AND kind = 'child'", range)
            for table in [
                "rec_write WHERE op", "rec_element WHERE tag", "rec_event WHERE op", "rec_opener WHERE op",
                "rec_closeout WHERE op", "rec_rejected WHERE op",
            ] {
                try db.cachedStatement(sql: "DELETE FROM \(table) BETWEEN ? AND ?").execute(arguments: range)
            }
            try db.cachedStatement(sql: "DELETE FROM sealed_wait WHERE change = ?").execute(arguments: [Data(id.bytes)])
        }
        // Relations keyed by what they point at: scanned once for rows written by a removed op.
        func byRemoved(_ blob: Data) -> Bool {
            blob.count == 34 && (try? ChangeID(bytes: Array(blob.prefix(32)))).map(ids.contains) == true
        }
        var reliveWrites: [Data] = []
        var reliveTags: [Data] = []
        for row in try Row.fetchAll(db, sql: "SELECT op, by_op FROM rec_superseded") where byRemoved(row[1]) {
            try db.execute(sql: "DELETE FROM rec_superseded WHERE op = ? AND by_op = ?", arguments: [row[0] as Data, row[1] as Data])
            reliveWrites.append(row[0])
        }
        for row in try Row.fetchAll(db, sql: "SELECT tag, by_op FROM rec_removed") where byRemoved(row[1]) {
            try db.execute(sql: "DELETE FROM rec_removed WHERE tag = ? AND by_op = ?", arguments: [row[0] as Data, row[1] as Data])
            reliveTags.append(row[0])
        }
        for row in try Row.fetchAll(db, sql: "SELECT opener, by_op FROM rec_closed") where byRemoved(row[1]) {
            try db.execute(sql: "DELETE FROM rec_closed WHERE opener = ? AND by_op = ?", arguments: [row[0] as Data, row[1] as Data])
        }
        for row in try Row.fetchAll(db, sql: "SELECT target, op FROM rec_void") where byRemoved(row[1]) {
            try db.execute(sql: "DELETE FROM rec_void WHERE target = ? AND op = ?", arguments: [row[0] as Data, row[1] as Data])
            reliveWrites.append(row[0])
            reliveTags.append(row[0])
        }
        // The same rule as when ops arrive (`Liveness`), now that the removed ops no longer count.
        var views = SQLRecordViews(db: db)
        var changed = Set<Liveness.Change>()
        for op in reliveWrites { changed.formUnion(try Liveness.refreshWrite(try OpID(bytes: Array(op)), in: &views)) }
        for tag in reliveTags {
            if let change = try Liveness.refreshTag(try OpID(bytes: Array(tag)), in: &views) { changed.insert(change) }
        }
        for change in changed where change.kind == .child { touched.insert(change.record) }
    }
}
