import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueSync
import Foundation

/// What a malicious certified device sends, beside its honest log: changes
/// no honest replica may apply. Each attack goes out in its own session
/// (a forged change makes the receiver refuse the whole batch and end the session).
enum Attack: CaseIterable {
    /// A colleague's change with its payload altered: the signature no longer matches.
    case forge
    /// Two different changes with the same seq, both validly signed.
    case equivocate
    /// A 销号 (close-out), which a teacher's role forbids: stored, quarantined everywhere.
    case forbidden
    /// Many changes in another school's scope, outside its certificate.
    case flood

    /// Builds the attack's changes. `honest` holds what the device's own log holds; the
    /// forged, equivocating and flooding changes are signed here, never stored locally.
    static func changes(
        _ attack: Attack, key: DeviceKey, log: ChangeLog, scope: ScopeID, elsewhere: ScopeID,
        child: RecordID, now: UInt64, rng: inout SeededGenerator
    ) throws -> (extra: [[UInt8]], ids: [ChangeID]) {
        switch attack {
        case .forge:
            // Any colleague's change it holds, with one payload byte flipped.
            let colleague = try log.members(of: scope).map(\.id).first { id in
                (try? log.encodedChanges([id]).first.map { try Change.decodeStructure($0).author }) != key.publicKey
            }
            guard let id = colleague, var bytes = try log.encodedChanges([id]).first else { return ([], []) }
            let at = bytes.count - Signature.length - 2
            bytes[at] ^= 0x01
            return ([bytes], [try Change.decodeStructure(bytes).id])
        case .equivocate:
            let seq = try log.appliedSeq(of: key.publicKey) + 1
            let stamp = try HLCTimestamp(milliseconds: now, counter: 0)
            let pair = try ["甲", "乙"].map { name in
                try Change.sign(
                    by: key, seq: seq, timestamp: stamp, scope: scope, deps: try log.heads().suffix(4),
                    payload: try RecordPayload(ops: [.set(kind: .child, record: child, field: "name", value: .text(name), pred: [])])
                        .encoded())
            }
            return (pair.map(\.encoded), pair.map(\.id))
        case .forbidden:
            guard let some = try log.members(of: scope).first?.id else { return ([], []) }
            let written = Result { () throws(StoreError) in
                try log.appendOperations(by: key, scope: scope, now: now) { _ throws(StoreError) in
                    [
                        .closeOut(
                            child: child, ledger: .suspectedDropout, closes: [OpID(change: some, index: 0)],
                            evidence: [String(repeating: "ab", count: 32)], note: "伪造销号")
                    ]
                }
            }
            if case .failure(.noScopeKey) = written { return ([], []) }
            return ([], [try written.get().id])
        case .flood:
            var out: [Change] = []
            for n in 0..<50 {
                let change = try Change.sign(
                    by: key, seq: 1_000_000 + UInt64(n) + rng.next() % 1_000,
                    timestamp: try HLCTimestamp(milliseconds: now, counter: UInt16(n)),
                    scope: elsewhere, deps: [],
                    payload: try RecordPayload(ops: [
                        .event(
                            Event(
                                child: child, date: try SimpleDate(unixMilliseconds: now),
                                body: .absence(
                                    Absence(
                                        from: try SimpleDate(unixMilliseconds: now), to: try SimpleDate(unixMilliseconds: now),
                                        schoolDays: 1, excused: false))))
                    ]).encoded())
                out.append(change)
            }
            return (out.map(\.encoded), out.map(\.id))
        }
    }
}

/// A replica's changes as it offers them in a sync, plus extra encoded changes it
/// pretends to hold (the malicious device's forgeries, which its own store would refuse).
struct PretendingSource: SyncDataSource {
    let base: any SyncDataSource
    let extra: [ChangeID: (scope: ScopeID, item: SyncItem, bytes: [UInt8])]

    init(base: any SyncDataSource, extra: [[UInt8]]) {
        self.base = base
        var map: [ChangeID: (ScopeID, SyncItem, [UInt8])] = [:]
        for bytes in extra {
            guard let c = try? Change.decodeStructure(bytes) else { continue }
            map[c.id] = (c.scope, SyncItem(change: c), bytes)
        }
        self.extra = map
    }

    func items(in scope: ScopeID) throws(SyncError) -> ReconciliationSet {
        try base.items(in: scope).merging(extra.values.filter { $0.scope == scope }.map(\.item).sorted())
    }

    func encodedChanges(_ ids: [ChangeID]) throws(SyncError) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for id in ids {
            if let e = extra[id] { out.append(e.bytes) } else { out += try base.encodedChanges([id]) }
        }
        return out
    }
}

/// A faulty relay's view of its store: it withholds about one change in five
/// (chosen by id, so the same ones every time) and serves each batch in reverse order.
struct FaultyRelaySource: SyncDataSource {
    let base: any SyncDataSource
    let salt: UInt8

    func items(in scope: ScopeID) throws(SyncError) -> ReconciliationSet {
        ReconciliationSet(sortedUnique: try base.items(in: scope).filter { ($0.id.bytes[0] ^ salt) % 5 != 0 })
    }

    func encodedChanges(_ ids: [ChangeID]) throws(SyncError) -> [[UInt8]] {
        try base.encodedChanges(ids).reversed()
    }
}
