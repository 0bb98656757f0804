import BaoxueCore
import Foundation
import GRDB

/// The slow, rare paths that recompute log state from the stored changes
/// themselves: un-applying descendants of a disputed change, and rebuilding
/// heads and author positions. Each scans the applied changes, so it is
/// only used when an equivocation touches something already applied.
enum LogRepair {
    /// Moves every applied change that (transitively) depends on one of
    /// `removed` back to pending, with `waiting` rows for its now-missing deps.
    /// Returns `removed` and those changes.
    @discardableResult
    static func unapplyDescendants(of removed: Set<Data>, db: Database) throws -> Set<ChangeID> {
        var gone = Set(try removed.map { try ChangeID(bytes: Array($0)) })
        var changed = true
        while changed {
            changed = false
            let rows = try Row.fetchAll(db, sql: "SELECT position, bytes FROM change WHERE state = \(ChangeState.applied.sql)")
            for row in rows {
                let c = try Change.decodeVerified(Array(row[1] as Data))
                let missing = c.deps.filter { gone.contains($0) }
                guard !missing.isEmpty else { continue }
                let position: Int64 = row[0]
                try db.execute(sql: "UPDATE change SET state = \(ChangeState.pending.sql) WHERE position = ?", arguments: [position])
                for dep in missing {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO waiting (dep, position) VALUES (?, ?)",
                        arguments: [Data(dep.bytes), position]
                    )
                }
                gone.insert(c.id)
                changed = true
            }
        }
        try rebuildHeads(db: db)
        return gone
    }

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
