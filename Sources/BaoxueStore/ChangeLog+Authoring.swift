import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueSodium
import Foundation
import GRDB

extension ChangeLog {
    /// Creates, signs and appends this device's next change in one write
    /// transaction, so two writers can never take the same sequence number.
    ///
    /// The change gets `seq` = the highest stored seq of `key` + 1; deps = the
    /// current heads *of the same scope* (the 63 most recent if there are more)
    /// plus this device's previous change in that scope, so a replica that holds
    /// only some scopes has every dep it needs and a withheld change shows as a
    /// missing dep (changes.md §5); and an HLC timestamp after everything this log has seen.
    public func appendAuthored(
        by key: DeviceKey, scope: ScopeID, payload: [UInt8], now: UInt64
    ) throws(StoreError) -> Change {
        try appendAuthored(by: key, scope: scope, now: now, payload: { _ throws(StoreError) in payload })
    }

    /// Same, with the payload built inside the write transaction, after the parts of the
    /// attachments it cites (each its own sealed change, privacy.md §3.6): all or nothing.
    func appendAuthored(
        by key: DeviceKey, scope: ScopeID, now: UInt64, parts: [AttachmentPart] = [],
        payload makePayload: (Database) throws(StoreError) -> [UInt8]
    ) throws(StoreError) -> Change {
        try storeCall {
            try writer.write { db in
                let plain = try makePayload(db)
                if !parts.isEmpty {
                    guard let sealKey = self.secrets.current(scope) else { throw StoreError.noScopeKey(scope) }
                    let declared = try self.declaredClass(db, author: key.publicKey, scope: scope, now: now) ?? .field
                    for part in parts {
                        let c = try Self.signNext(db, by: key, scope: scope, now: now) { seq in
                            try SealedPayload.seal(
                                part, key: sealKey, author: key.publicKey, seq: seq, declaring: declared, random: self.random)
                        }
                        var appender = try BatchAppender(
                            db: db, merge: merge, authority: authority, now: self.clock(), witness: witness, reader: reader,
                            memo: signatureMemo, certificates: decodedCertificates, secrets: secrets)
                        try appender.append([c])
                    }
                }
                let change = try Self.signNext(db, by: key, scope: scope, now: now) { seq in
                    try self.sealIfEncrypted(db, plain, scope: scope, author: key.publicKey, seq: seq, now: now)
                }
                var appender = try BatchAppender(
                    db: db, merge: merge, authority: authority, now: self.clock(), witness: witness, reader: reader, memo: signatureMemo,
                    certificates: decodedCertificates, secrets: secrets)
                try appender.append([change])
                return change
            }
        }
    }

    /// Signs `key`'s next change inside an open write transaction: seq after the highest
    /// stored, deps per `deps(_:author:scope:)`, an HLC timestamp after everything stored.
    /// Used for a device's own changes and a relay's receipts alike.
    /// `deps`, when given, replaces the scope's heads (a receipt has none: trust.md §6).
    static func signNext(
        _ db: Database, by key: DeviceKey, scope: ScopeID, now: UInt64, payload: [UInt8], deps: [ChangeID]? = nil
    ) throws -> Change {
        try signNext(db, by: key, scope: scope, now: now, deps: deps) { _ in payload }
    }

    /// Same, with the payload made once the seq is known (a sealed payload binds it).
    static func signNext(
        _ db: Database, by key: DeviceKey, scope: ScopeID, now: UInt64, deps: [ChangeID]? = nil, payload: (UInt64) throws -> [UInt8]
    ) throws -> Change {
        let lastSeq =
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(seq) FROM change WHERE author = ?"),
                arguments: [Data(key.publicKey.bytes)]) ?? 0
        guard lastSeq < Int64.max else { throw StoreError.sequenceExhausted }
        var clock = HybridLogicalClock(
            last: try Int64.fetchOne(db.cachedStatement(sql: "SELECT latest FROM clock WHERE latest >= 0")).map {
                try HLCTimestamp(packed: $0)
            }
        )
        return try Change.sign(
            by: key, seq: UInt64(lastSeq + 1), timestamp: try clock.tick(now: now), scope: scope,
            deps: try deps ?? Self.deps(db, author: key.publicKey, scope: scope), payload: try payload(UInt64(lastSeq + 1)))
    }

    /// A record payload sealed under the scope's newest key this device holds (privacy.md §2);
    /// `_admin` changes, receipts and grants as they are. In an encrypted scope a device without
    /// a key may not write a record in clear: it gets `noScopeKey` and writes nothing.
    /// It declares the highest class the author's certificates allow in the scope, so the one
    /// clear byte about the content repeats what the certificate says (privacy.md §3.1).
    func sealIfEncrypted(_ db: Database, _ payload: [UInt8], scope: ScopeID, author: PublicKey, seq: UInt64, now: UInt64) throws -> [UInt8]
    {
        guard scope != .admin, !WitnessReceipt.isReceipt(payload), !MemberGrant.isGrant(payload), !MemberDeparture.isDeparture(payload),
            !SealedPayload.isSealed(payload)
        else {
            return payload
        }
        guard let key = secrets.current(scope) else {
            if try sealRequired || KeyRing.isEncrypted(db, scope: scope) { throw StoreError.noScopeKey(scope) }
            return payload
        }
        return try SealedPayload.seal(
            try RecordPayload.decode(payload), encoded: payload, key: key, author: author, seq: seq,
            declaring: try declaredClass(db, author: author, scope: scope, now: now), random: random)
    }

    /// The highest class `author`'s certificates for `scope` allow at `now` (privacy.md §3.1); nil with none.
    func declaredClass(_ db: Database, author: PublicKey, scope: ScopeID, now: UInt64) throws -> DeclaredClass? {
        try SQLTrustStorage.certificates(db, where: "subject = ?", arguments: [Data(author.bytes)], decoded: decodedCertificates)
            .filter { $0.covers(scope) && $0.isValid(at: now) }.compactMap { DeclaredClass.highest(for: $0.role) }.max()
    }

    /// The deps of a new change by `author` in `scope` (changes.md §5): the scope's
    /// heads (the 63 most recent) plus the author's previous applied change in the scope.
    /// That change is found by walking the author's changes newest first (`change_author_seq`; the
    /// log keeps one author index, which every stored change pays for): a device writes in a few
    /// scopes, so the walk stops after a handful of rows; a relay's receipts don't come here.
    static func deps(_ db: Database, author: PublicKey, scope: ScopeID) throws -> [ChangeID] {
        var deps = try Data.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT head.id FROM head JOIN change ON change.id = head.id WHERE head.scope = ?
                    ORDER BY change.hlc DESC, head.id LIMIT \(ChangeFormat.maxDeps - 1)
                    """), arguments: [scope.value]
        ).map { try ChangeID(bytes: Array($0)) }
        if let previous = try Data.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT id FROM change INDEXED BY change_author_seq
                    WHERE author = ? AND scope = ? AND state = \(ChangeState.applied.sql) ORDER BY seq DESC LIMIT 1
                    """), arguments: [Data(author.bytes), scope.value]
        ).map({ try ChangeID(bytes: Array($0)) }), !deps.contains(previous) {
            deps.append(previous)
        }
        return deps
    }
}
