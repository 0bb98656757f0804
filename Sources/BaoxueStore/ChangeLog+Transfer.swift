import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import Foundation
import GRDB

extension ChangeLog {
    /// The most embedded change bytes one transfer change holds; a longer history is split.
    static let transferChunkBytes = 900_000

    /// Hands a transferring child's history to the receiving school (转学, privacy.md §2(b)):
    /// writes, into `scope`, a transfer holding every applied change of `source` about the child
    /// (byte for byte, signatures intact) and the child's content key of every epoch of `source`
    /// this device holds, sealed under the receiving school's key like any record. Nothing already
    /// written is re-encrypted, and no relay learns which changes, or which child, it concerns.
    /// A history over `transferChunkBytes` is split over several changes, each with all the keys.
    ///
    /// The author must grant keys in both scopes (a district admin); otherwise every reader
    /// records the transfer as rejected and applies none of it.
    @discardableResult
    public func transferChild(
        _ child: RecordID, from source: ScopeID, to scope: ScopeID, by key: DeviceKey, now: UInt64
    ) throws(StoreError) -> [Change] {
        guard source != scope, source != .admin, scope != .admin else { throw .transfer("the old and the new school must be two schools") }
        let random = self.random
        return try storeCall {
            try writer.write { db in
                let epochs = self.secrets.scopeKeys(of: source)
                guard !epochs.isEmpty else { throw StoreError.noScopeKey(source) }
                guard let receiving = self.secrets.current(scope) else { throw StoreError.noScopeKey(scope) }
                let keys = epochs.map { $0.contentKey(child: child) }
                let history = try Self.history(
                    of: child, in: source, keys: Dictionary(zip(epochs.map { Data($0.id) }, keys)) { a, _ in a }, db)
                var written: [Change] = []
                for part in Self.chunks(history) {
                    let bundle = try TransferBundle(source: source, child: child, keys: keys, changes: part)
                    let change = try Self.signNext(db, by: key, scope: scope, now: now) { seq in
                        try SealedPayload.seal(bundle, key: receiving, author: key.publicKey, seq: seq, random: random)
                    }
                    var appender = try BatchAppender(
                        db: db, merge: merge, authority: authority, now: self.clock(), witness: witness, reader: reader,
                        memo: signatureMemo,
                        certificates: decodedCertificates, secrets: secrets)
                    try appender.append([change])
                    written.append(change)
                }
                return written
            }
        }
    }

    /// The applied changes of `source` about `child`, in log order: sealed ones its content key
    /// (by epoch) opens, and ones written in clear before the school was encrypted whose ops are all about it.
    private static func history(of child: RecordID, in source: ScopeID, keys: [Data: ContentKey], _ db: Database) throws -> [Change] {
        var out: [Change] = []
        let rows = try Data.fetchCursor(
            db, sql: "SELECT bytes FROM change WHERE scope = ? AND state = \(ChangeState.applied.sql) ORDER BY position",
            arguments: [source.value])
        while let bytes = try rows.next() {
            let change = try Change.decodeStructure(Array(bytes))
            if let id = SealedPayload.scopeKeyID(of: change.payload) {
                guard let key = keys[Data(id)], let sealed = try? SealedPayload(bytes: change.payload),
                    (try? sealed.open(with: key, author: change.author, seq: change.seq, scope: source)) != nil
                else { continue }
                out.append(change)
            } else if !change.isWitnessReceipt, !MemberGrant.isGrant(change.payload),
                (try? RecordPayload.decode(change.payload))?.soleChild == child
            {
                out.append(change)
            }
        }
        return out
    }

    /// `history` in parts of at most `transferChunkBytes` of change bytes (at least one change each,
    /// and one empty part for a child with no history yet, so the keys still travel).
    static func chunks(_ history: [Change]) -> [[Change]] {
        var parts: [[Change]] = [[]]
        var size = 0
        for c in history {
            if size + c.encoded.count > transferChunkBytes, !parts[parts.count - 1].isEmpty {
                parts.append([])
                size = 0
            }
            parts[parts.count - 1].append(c)
            size += c.encoded.count
        }
        return parts
    }

    /// The transfers into `scope` this device has opened: each source scope and how many of its
    /// changes they handed over.
    public func carried(into scope: ScopeID) throws(StoreError) -> [ScopeID: Int] {
        try storeCall {
            try readDB { db in
                var out: [ScopeID: Int] = [:]
                for row in try Row.fetchAll(
                    db, sql: "SELECT c.scope, COUNT(*) FROM carried_change k JOIN change c ON c.id = k.change GROUP BY c.scope")
                where (row[0] as String) != scope.value {
                    out[try ScopeID(row[0] as String)] = row[1]
                }
                return out
            }
        }
    }
}
