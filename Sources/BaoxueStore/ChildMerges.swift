import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

/// Provisional children merged into registry children (records.md §3.3): which child a merged
/// one's history now counts under. A merge is a write of the provisional child's `mergedInto`
/// field, dated by its change's clock like a school write, so a report for a period that ended
/// before the merge still counts the two apart, and re-running it later gives the same figures.
extension ChangeLog {
    /// Each merged child and the child its history counts under (chains followed, a cycle ignored):
    /// as written by the end of a report's day when `cutoff` is given, else as shown now.
    static func merges(_ db: Database, before cutoff: PeriodCutoff? = nil) throws -> [RecordID: RecordID] {
        var direct: [RecordID: RecordID] = [:]
        if let cutoff {
            // The latest write by the cutoff (the register's order), not voided; "" undid a merge.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT record, value FROM rec_write w WHERE kind = 'child' AND field = 'mergedInto' AND hlc < ?
                  AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = w.op)
                ORDER BY record, hlc, author, op
                """, arguments: [cutoff.packedHLC])
            while let row = try rows.next() {
                let child = try RecordID(hex: row[0])
                if case .text(let t) = try FieldValue(storageText: row[1]), let into = try? RecordID(hex: t) {
                    direct[child] = into
                } else {
                    direct[child] = nil
                }
            }
        } else {
            for row in try Row.fetchAll(db, sql: "SELECT child, merged_into FROM child_view WHERE merged_into IS NOT NULL") {
                direct[try RecordID(hex: row[0])] = try RecordID(hex: row[1])
            }
        }
        var out: [RecordID: RecordID] = [:]
        for child in direct.keys {
            var target = direct[child]!, seen: Set<RecordID> = [child]
            while let next = direct[target], !seen.contains(target) {
                seen.insert(target)
                target = next
            }
            if target != child { out[child] = target }
        }
        return out
    }

    /// The child `child`'s history counts under now (itself unless merged).
    public func canonicalChild(_ child: RecordID) throws(StoreError) -> RecordID {
        try storeCall { try readDB { db in try Self.merges(db)[child] ?? child } }
    }

    /// The provisional children merged into `child` (directly or through another), by id.
    public func mergedChildren(into child: RecordID) throws(StoreError) -> [RecordID] {
        try storeCall { try readDB { db in try Self.merges(db).filter { $0.value == child }.map(\.key).sorted() } }
    }
}

extension LedgerSpan {
    /// The same span counted under the child its history now belongs to.
    func counted(under merges: [RecordID: RecordID]) -> LedgerSpan {
        guard let into = merges[child] else { return self }
        return LedgerSpan(ledger: ledger, child: into, opened: opened, closed: closed)
    }
}
