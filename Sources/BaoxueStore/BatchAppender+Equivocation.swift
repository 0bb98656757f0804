import BaoxueCore
import Foundation
import GRDB

extension BatchAppender {
    /// Keeps both changes as proof, flags the author from that seq on, and
    /// un-applies whatever depended on the disputed change.
    mutating func recordEquivocation(_ change: Change, first: ChangeID) throws {
        try flush()
        let author = Data(change.author.bytes)
        try db.execute(
            sql: "INSERT OR IGNORE INTO equivocation (author, seq, first, second) VALUES (?, ?, ?, ?)",
            arguments: [author, Int64(change.seq), Data(first.bytes), Data(change.id.bytes)]
        )
        report.equivocations.append(Equivocation(author: change.author, seq: change.seq, first: first, second: change.id))
        var state = try authorState(change.author)
        state.heldFrom = min(state.heldFrom ?? change.seq, change.seq)
        let wasApplied = try Data.fetchAll(
            db, sql: "SELECT id FROM change WHERE author = ? AND seq >= ? AND state = \(ChangeState.applied.sql)",
            arguments: [author, Int64(state.heldFrom!)]
        )
        try db.execute(
            sql: "UPDATE change SET state = \(ChangeState.held.sql) WHERE author = ? AND seq >= ?",
            arguments: [author, Int64(state.heldFrom!)]
        )
        try db.execute(
            sql:
                "DELETE FROM waiting WHERE position IN (SELECT position FROM change WHERE state <> \(ChangeState.applied.sql) AND state = \(ChangeState.held.sql))"
        )
        try storeHold(author, from: Int64(state.heldFrom!))
        if !wasApplied.isEmpty {
            let gone = try LogRepair.unapplyDescendants(of: Set(wasApplied), db: db)
            try repairViews(removing: gone)
            pendingExists = true
        }
        resetCaches()
    }

    /// Takes changes no longer applied out of the record views (`ViewRepair`), or rebuilds
    /// them when that cannot be done exactly.
    mutating func repairViews(removing ids: Set<ChangeID>) throws {
        guard merge != nil else { return try RecordViewsRebuild.rebuild(db: db, merge: merge, keys: &keys) }
        let statement = try db.cachedStatement(sql: "SELECT bytes FROM change WHERE id = ?")
        let changes = try ids.sorted().compactMap { id in
            try Data.fetchOne(statement, arguments: [Data(id.bytes)]).map { try Change.decodeVerified(Array($0)) }
        }
        if let merge, try !ViewRepair.unapply(changes, db: db, keys: &keys, views: &views, merge: merge) {
            try RecordViewsRebuild.rebuild(db: db, merge: merge, keys: &keys)
            report.viewsRebuilt = true
        }
    }
}
