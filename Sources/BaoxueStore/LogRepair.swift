import BaoxueCore
import Foundation
import GRDB

/// The slow, rare path that recomputes the heads from the stored changes themselves: it scans
/// the applied changes, so it is only used when an equivocation took back something applied
/// (`LogRules.equivocation` says what).
enum LogRepair {
    /// Heads = applied changes that no applied change lists as a dep.
    static func rebuildHeads(db: Database) throws {
        var ids: [ChangeID: String] = [:]
        var cited = Set<ChangeID>()
        let cursor = try Data.fetchCursor(db, sql: "SELECT bytes FROM change WHERE state = \(ChangeState.applied.sql)")
        while let bytes = try cursor.next() {
            let c = try Change.decodeVerified(Array(bytes))
            ids[c.id] = c.scope.value
            cited.formUnion(c.deps)
        }
        try db.execute(sql: "DELETE FROM head")
        for (id, scope) in ids where !cited.contains(id) {
            try db.execute(sql: "INSERT INTO head (id, scope) VALUES (?, ?)", arguments: [Data(id.bytes), scope])
        }
    }
}
