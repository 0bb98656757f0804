import BaoxueCore
import BaoxueLog

/// A relay process's witness: one receipt per scope, signed with the process's own key, for the
/// changes a batch stored first (trust.md §6), stored in the batch's own transaction. It witnesses
/// what a relay on SQLite witnesses (the receipts' conformance suite compares them).
///
/// Each relay process of a cluster witnesses with its own key: the key's next seq is read in the
/// SERIALIZABLE transaction, so two processes configured with one key conflict and one reruns —
/// they never sign two receipts with one seq (an equivocation) — but every batch of both would
/// contend on that key's row. A receipt has no deps (trust.md §6), as on SQLite.
public struct PostgresWitness: Sendable {
    public let key: DeviceKey
    /// Changes dated further ahead than this do not move the receipt's clock (as on every replica).
    public static var futureTolerance: UInt64 { LogRules.futureTolerance }

    public init(key: DeviceKey) { self.key = key }

    /// The receipts for `batch` given its verdicts, inserted through the rules into `storage`.
    func receipts<S: LogStorage>(
        for batch: [Change], verdicts: [LogRules.Verdict], now: UInt64, in storage: inout S
    ) throws -> [Change] {
        var witnessed: [ScopeID: [ChangeID]] = [:]
        var clock = HybridLogicalClock()
        // Every change stored here first (trust.md §6): the second half of an equivocation too, held as proof.
        for (change, verdict) in zip(batch, verdicts) where verdict != .duplicate {
            guard change.scope != .admin, change.author != key.publicKey, !change.isWitnessReceipt else { continue }
            witnessed[change.scope, default: []].append(change.id)
            if change.timestamp.milliseconds <= now &+ Self.futureTolerance { try clock.receive(change.timestamp, now: now) }
        }
        var receipts: [Change] = []
        var seq = try storage.author(key.publicKey).storedSeq
        for scope in witnessed.keys.sorted() {
            let ids = witnessed[scope]!
            for start in stride(from: 0, to: ids.count, by: WitnessReceipt.maxIDs) {
                let receipt = try WitnessReceipt(ids: Array(ids[start..<min(ids.count, start + WitnessReceipt.maxIDs)]))
                seq += 1
                let change = try Change.sign(
                    by: key, seq: seq, timestamp: try clock.tick(now: now), scope: scope, deps: [], payload: receipt.encoded)
                receipts.append(change)
            }
        }
        let verdicts = try LogRules.append(receipts, to: &storage)
        guard verdicts.allSatisfy({ if case .stored = $0 { true } else { false } }) else {
            throw PostgresLogError.witnessSeqTaken(seq: seq)
        }
        return receipts
    }
}
