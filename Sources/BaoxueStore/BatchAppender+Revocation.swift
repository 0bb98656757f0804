import BaoxueCore
import BaoxueLog
import Foundation
import GRDB

extension BatchAppender {
    /// Applies a revocation of `subject` dated `at` through the log's rule (`LogRules.revoke`), then
    /// what only a replica keeps: each revoked change also waits on the subject's key (a ruling can
    /// release it), what the revoked ones released is applied, and the heads and views are repaired
    /// (or, for this device's own revocation, its keys forgotten and the views re-derived).
    mutating func revoke(_ subject: PublicKey, from at: UInt64) throws {
        try flush()
        // Its own revocation: a remote wipe. The views are re-derived once, below, without the keys.
        let wiped = subject == keys.reader?.publicKey
        if wiped { try keys.forgetAll() }
        let revocation = try LogRules.revoke(subject, from: at, in: &log)
        guard !revocation.quarantined.isEmpty else {
            if wiped { try rebuildViews() }
            return
        }
        // Each revoked change waits on its author's key like any refused one.
        report.quarantined += revocation.quarantined.count
        for row in revocation.quarantined { try log.wait(row.position, on: [.certificate(subject)]) }
        for ready in revocation.released { try didApply(ready) }
        try flush()
        if !revocation.unapplied.isEmpty { try LogRepair.rebuildHeads(db: db) }
        if wiped {
            try rebuildViews()
        } else if !revocation.unapplied.isEmpty {
            try repairViews(removing: Set(revocation.unapplied))
        }
        resetCaches()
    }
}
