import BaoxueCore
import BaoxueLog
import Foundation
import GRDB

extension BatchAppender {
    /// Keeps both changes as proof, flags the author from that seq on, and (`LogRules.equivocation`)
    /// un-applies whatever depended on the disputed change; takes those out of the views and heads.
    mutating func recordEquivocation(_ change: Change, first: ChangeID) throws {
        try flush()
        let author = Data(change.author.bytes)
        try db.execute(
            sql: "INSERT OR IGNORE INTO equivocation (author, seq, first, second) VALUES (?, ?, ?, ?)",
            arguments: [author, Int64(change.seq), Data(first.bytes), Data(change.id.bytes)]
        )
        report.equivocations.append(Equivocation(author: change.author, seq: change.seq, first: first, second: change.id))
        let (_, unapplied) = try LogRules.equivocation(change, author: try authorState(change.author), in: &log)
        if !unapplied.isEmpty {
            try LogRepair.rebuildHeads(db: db)
            try repairViews(removing: Set(unapplied))
        }
        resetCaches()
    }

    /// Derives the record views again from the log, and forgets what this appender had read of
    /// them (whether a void is stored).
    mutating func rebuildViews() throws {
        try RecordViewsRebuild.rebuild(db: db, merge: merge, keys: &keys)
        views.rereadVoids()
        report.viewsRebuilt = true
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
            try rebuildViews()
        }
    }
}
