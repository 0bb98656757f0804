import BaoxueCore
import Foundation
import GRDB

extension BatchAppender {
    /// Quarantines every stored record change of `subject` dated at or after `at` (admin changes
    /// carry self-authenticating payloads and stay). Changes that depend on them stay applied
    /// and those waiting on them go on (see `missingDeps`); if some were applied, the heads
    /// and views are rebuilt without them.
    mutating func revoke(_ subject: PublicKey, from at: UInt64) throws {
        try flush()
        // Its own revocation: a remote wipe. The views are re-derived once, below, without the keys.
        let wiped = subject == keys.reader?.publicKey
        if wiped { try keys.forgetAll() }
        let author = Data(subject.bytes)
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT position, id, state FROM change "
                + "WHERE author = ? AND hlc >= ? AND state <> \(ChangeState.quarantined.sql) AND scope <> ?",
            arguments: [author, Int64(at << 16), ScopeID.admin.value])
        guard !rows.isEmpty else {
            if wiped {
                try rebuildViews()
            }
            return
        }
        var applied = Set<Data>()
        var revoked: [ChangeID] = []
        for row in rows {
            let position: Int64 = row[0]
            if (row[2] as Int) == ChangeState.applied.rawValue { applied.insert(row[1] as Data) }
            revoked.append(try ChangeID(bytes: Array(row[1] as Data)))
            try db.execute(sql: "UPDATE change SET state = \(ChangeState.quarantined.sql) WHERE position = ?", arguments: [position])
            try db.execute(sql: "DELETE FROM waiting WHERE position = ?", arguments: [position])
            try quarantine(position, waitsOn: TrustGate.waitingKey(subject), reason: .revoked)
        }
        if pendingExists {
            for id in revoked {
                for ready in try unblocked(by: id) { try didApply(ready) }
            }
            try flush()
        }
        if !applied.isEmpty { try LogRepair.rebuildHeads(db: db) }
        if wiped {
            try rebuildViews()
        } else if !applied.isEmpty {
            try repairViews(removing: Set(applied.map { try ChangeID(bytes: Array($0)) }))
        }
        resetCaches()
    }
}
