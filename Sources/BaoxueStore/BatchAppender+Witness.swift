import BaoxueCore
import Foundation
import GRDB

extension BatchAppender {
    /// On a relay: signs one receipt per scope for the changes this batch stored
    /// first, and appends it in the same transaction, so a change is never
    /// stored without its receipt (`Protocol/trust.md` §6).
    mutating func writeReceipts() throws {
        guard let witness, !unwitnessed.isEmpty else { return }
        let due = unwitnessed
        unwitnessed = [:]
        var seq = (try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM change WHERE author = ?", arguments: [Data(witness.publicKey.bytes)])).map { UInt64($0) } ?? 0
        var clock = HybridLogicalClock(
            last: try Int64.fetchOne(db, sql: "SELECT latest FROM clock WHERE latest >= 0").map { try HLCTimestamp(packed: $0) }
        )
        for scope in due.keys.sorted() {
            let ids = due[scope]!
            for start in stride(from: 0, to: ids.count, by: WitnessReceipt.maxIDs) {
                let receipt = try WitnessReceipt(ids: Array(ids[start..<min(ids.count, start + WitnessReceipt.maxIDs)]))
                seq += 1
                let change = try Change.sign(
                    by: witness, seq: seq, timestamp: try clock.tick(now: now), scope: scope,
                    deps: try ChangeLog.deps(db, author: witness.publicKey, scope: scope), payload: receipt.encoded
                )
                try append(change)
                try flush()
                report.inserted -= 1
                report.receipts += 1
            }
        }
    }
}

/// The `witness` table: which relay countersigned which change, and when
/// (the receipt change's HLC milliseconds). Derived from applied receipts.
enum WitnessTable {
    static func record(_ receiptChange: Change, db: Database) throws {
        guard let receipt = try? WitnessReceipt.decode(receiptChange.payload) else { return }
        let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO witness (change, relay, at) VALUES (?, ?, ?)")
        let relay = Data(receiptChange.author.bytes)
        let at = Int64(receiptChange.timestamp.milliseconds)
        for id in receipt.ids { try statement.execute(arguments: [Data(id.bytes), relay, at]) }
    }
}
