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
        for scope in due.keys.sorted() {
            let ids = due[scope]!
            for start in stride(from: 0, to: ids.count, by: WitnessReceipt.maxIDs) {
                let receipt = try WitnessReceipt(ids: Array(ids[start..<min(ids.count, start + WitnessReceipt.maxIDs)]))
                // After `flush`, the clock includes this batch, so the receipt's time follows it. No deps: a
                // receipt applies wherever it arrives, whatever later becomes of what it names (trust.md §6).
                try append(try ChangeLog.signNext(db, by: witness, scope: scope, now: now, payload: receipt.encoded, deps: []))
                try flush()
                report.inserted -= 1  // counted as a receipt, not as a change received
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
