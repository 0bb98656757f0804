import BaoxueCore
import BaoxueLog
import BaoxueTrust
import Foundation
import GRDB

extension BatchAppender {
    /// A district admin upheld `target`, one change of an equivocating pair (trust.md §8):
    /// the other stays held as proof; the author's hold is lifted up to its next unresolved
    /// equivocation, and its held changes (but the rejected ones) are admitted again.
    /// Returns those that apply now.
    mutating func uphold(_ target: ChangeID) throws -> [Change] {
        try flush()
        let t = Data(target.bytes)
        guard let author = try Data.fetchOne(db, sql: "SELECT author FROM equivocation WHERE first = ? OR second = ?", arguments: [t, t])
        else {
            return []
        }
        let resolved = "r.kind = \(Ruling.Kind.uphold.rawValue) AND (r.target = e.first OR r.target = e.second)"
        let heldFrom = try Int64.fetchOne(
            db,
            sql: """
                SELECT MIN(e.seq) FROM equivocation e WHERE e.author = ? AND NOT EXISTS (SELECT 1 FROM ruling r WHERE \(resolved))
                """, arguments: [author])
        try storeHold(author, from: heldFrom)
        resetCaches()
        let rejected = Set(
            try Data.fetchAll(
                db,
                sql: """
                    SELECT CASE WHEN r.target = e.first THEN e.second ELSE e.first END
                    FROM equivocation e JOIN ruling r ON \(resolved) WHERE e.author = ?
                    """, arguments: [author]))
        var ready: [Change] = []
        for row in try Row.fetchAll(
            db, sql: "SELECT position, bytes, id FROM change WHERE author = ? AND state = \(ChangeState.held.sql) ORDER BY seq",
            arguments: [author])
        where !rejected.contains(row[2] as Data) {
            let position: Int64 = row[0]
            let candidate = try Change.decodeVerified(Array(row[1] as Data))
            let (state, missing) = try admission(candidate, author: try authorState(candidate.author))
            guard state != .held else { continue }
            try log.setState(state, at: LogPosition(position))
            if state == .applied {
                appliedHere.insert(candidate.id)
                ready.append(candidate)
            } else {
                try wait(position, on: missing)
            }
        }
        return ready
    }
}
