import BaoxueCore
import Foundation
import GRDB

extension ChangeLog {
    /// Creates, signs and appends this device's next change in one write
    /// transaction, so two writers can never take the same sequence number.
    ///
    /// The change gets `seq` = the highest stored seq of `key` + 1, deps = the
    /// current heads (the 64 most recent if there are more), and an HLC
    /// timestamp after everything this log has seen.
    public func appendAuthored(
        by key: DeviceKey, scope: ScopeID, payload: [UInt8], now: UInt64
    ) throws(StoreError) -> Change {
        try appendAuthored(by: key, scope: scope, now: now, payload: { _ throws(StoreError) in payload })
    }

    /// Same, with the payload built inside the write transaction.
    func appendAuthored(
        by key: DeviceKey, scope: ScopeID, now: UInt64, payload makePayload: (Database) throws(StoreError) -> [UInt8]
    ) throws(StoreError) -> Change {
        try storeCall {
            try writer.write { db in
                let author = Data(key.publicKey.bytes)
                let lastSeq = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM change WHERE author = ?", arguments: [author]) ?? 0
                guard lastSeq < Int64.max else { throw StoreError.sequenceExhausted }
                var clock = HybridLogicalClock(
                    last: try Int64.fetchOne(db, sql: "SELECT latest FROM clock WHERE latest >= 0").map { try HLCTimestamp(packed: $0) }
                )
                let deps = try Data.fetchAll(db, sql: """
                    SELECT head.id FROM head JOIN change ON change.id = head.id
                    ORDER BY change.hlc DESC, head.id LIMIT \(ChangeFormat.maxDeps)
                    """).map { try ChangeID(bytes: Array($0)) }
                let change = try Change.sign(
                    by: key, seq: UInt64(lastSeq + 1), timestamp: try clock.tick(now: now),
                    scope: scope, deps: deps, payload: try makePayload(db)
                )
                var appender = try BatchAppender(db: db, merge: merge, authority: authority, now: self.clock())
                try appender.append([change])
                return change
            }
        }
    }
}
