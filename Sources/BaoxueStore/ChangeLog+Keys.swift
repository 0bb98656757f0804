import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueSodium
import BaoxueTrust
import Foundation
import GRDB

/// Where one scope stands with encryption, as this device sees it (`baoxue keys`).
public struct ScopeKeyStatus: Sendable, Equatable {
    public let scope: ScopeID
    /// Some member grant exists: record changes in the scope are sealed.
    public let encrypted: Bool
    /// The newest epoch this device holds the key of; nil when it holds none.
    public let heldEpoch: UInt32?
    /// The newest epoch any grant in the scope names.
    public let newestEpoch: UInt32?
    /// Applied changes this device cannot read yet (their key was not sealed to it, or has not arrived).
    public let unreadable: Int
    /// Current members (certified for the scope, not revoked) the held epoch was not sealed to.
    public let lacking: [PublicKey]
    /// Revoked devices the held epoch was sealed to: a rotation is due.
    public let revokedRecipients: [PublicKey]
    /// Devices the held epoch was sealed to that are no longer members (they left the school, or their
    /// certificate for it expired or was replaced), not revoked: a rotation is due too.
    public var formerRecipients: [PublicKey] = []
    /// Content keys of transferred children this device holds for the scope (their history only).
    public var transferredKeys = 0
}

extension ChangeLog {
    /// Writes a member grant for `scope` (privacy.md §2): the scope's current key sealed to every
    /// current member and the district authority, or a fresh key in a new epoch when `rotate` is
    /// set or no key exists yet. Rotation after a revocation is what keeps a revoked device from
    /// reading what is written next.
    @discardableResult
    public func grantKeys(by key: DeviceKey, scope: ScopeID, rotate: Bool = false, now: UInt64) throws(StoreError) -> Change {
        guard scope != .admin else { throw .noScopeKey(scope) }
        let authority = self.authority
        let random = self.random
        return try appendAuthored(by: key, scope: scope, now: now) { db throws(StoreError) in
            try storeCall {
                let held = self.secrets.current(scope)
                let scopeKey: ScopeKey
                let epoch: UInt32
                if let held, !rotate {
                    scopeKey = held
                    epoch = UInt32(clamping: self.secrets.epoch(of: held.id) ?? 1)
                } else {
                    if !rotate, try KeyRing.isEncrypted(db, scope: scope) { throw StoreError.noScopeKey(scope) }
                    let newest =
                        try Int64.fetchOne(db, sql: "SELECT MAX(epoch) FROM key_grant WHERE scope = ?", arguments: [scope.value]) ?? 0
                    scopeKey = ScopeKey.generate(scope: scope, random: random)
                    epoch = UInt32(clamping: newest + 1)
                }
                var recipients = Set(try self.currentMembers(db, scope: scope, at: now))
                recipients.insert(key.publicKey)
                if let authority { recipients.insert(authority) }
                return try MemberGrant.make(scopeKey, epoch: epoch, to: recipients, random: random).encoded
            }
        }
    }

    /// True when some member grant exists for `scope`: its record changes are sealed.
    public func isEncrypted(_ scope: ScopeID) throws(StoreError) -> Bool {
        try storeCall { try readDB { db in try KeyRing.isEncrypted(db, scope: scope) } }
    }

    /// The record payload of `change` as this device reads it: opened with the scope key it holds
    /// when sealed, decoded when in clear; nil when it holds no key for it or it is not a record payload.
    public func readablePayload(of change: Change) throws(StoreError) -> RecordPayload? {
        guard !MemberGrant.isGrant(change.payload) else { return nil }
        return try storeCall {
            try readDB { db in
                var keys = KeyRing(db: db, secrets: secrets, reader: reader, learns: false)
                switch try keys.route(change) {
                case .plain: return try? RecordPayload.decode(change.payload)
                case .opened(let payload): return try? payload.get()
                case .waiting, .grant, .transfer, .departure, .attachmentPart: return nil
                }
            }
        }
    }

    /// The transfer `change` holds, as this device opens it; nil for any other change or one it cannot open.
    public func transferBundle(in change: Change) throws(StoreError) -> TransferBundle? {
        try storeCall {
            try readDB { db in
                var keys = KeyRing(db: db, secrets: secrets, reader: reader, learns: false)
                guard case .transfer(let bundle) = try keys.route(change) else { return nil }
                return bundle
            }
        }
    }

    /// Devices certified for `scope` at `ms` (relays excepted: they carry, never read), not revoked,
    /// and not departed from the scope since the certificate was issued (`MemberDeparture`).
    func currentMembers(_ db: Database, scope: ScopeID, at ms: UInt64) throws -> [PublicKey] {
        let revoked = Set(try Data.fetchAll(db, sql: "SELECT DISTINCT subject FROM revocation"))
        var left: [Data: UInt64] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT member, MAX(left_at) FROM departure WHERE scope = ? AND left_at <= ? GROUP BY member",
            arguments: [scope.value, Int64(clamping: ms)])
        {
            left[row[0]] = UInt64(row[1] as Int64)
        }
        var members: [PublicKey] = []
        for cert in try SQLTrustStorage.certificates(db, decoded: decodedCertificates)
        where cert.role != .relay && cert.covers(scope) && cert.isValid(at: ms) && !revoked.contains(Data(cert.subject.bytes))
            && left[Data(cert.subject.bytes)].map({ cert.validFrom > $0 }) ?? true && !members.contains(cert.subject)
        {
            members.append(cert.subject)
        }
        return members
    }

    /// States that `member` left `scope` at `at` (privacy.md §2(c)); the caller rotates the key next.
    @discardableResult
    public func recordDeparture(
        of member: PublicKey, from scope: ScopeID, at: UInt64, by key: DeviceKey, now: UInt64
    ) throws(StoreError) -> Change {
        guard scope != .admin else { throw .noScopeKey(scope) }
        return try appendAuthored(by: key, scope: scope, payload: MemberDeparture(member: member, leftAt: at).encoded, now: now)
    }

    /// The scopes this replica knows of and where each stands with encryption.
    public func keyStatus(now: UInt64) throws(StoreError) -> [ScopeKeyStatus] {
        try storeCall {
            try readDB { db in
                let scopes = try String.fetchAll(
                    db, sql: "SELECT DISTINCT scope FROM change WHERE scope <> ? ORDER BY scope", arguments: [ScopeID.admin.value])
                let revoked = Set(try Data.fetchAll(db, sql: "SELECT DISTINCT subject FROM revocation"))
                return try scopes.map { text in
                    let scope = try ScopeID(text)
                    let held = self.secrets.current(scope)
                    let heldEpoch = held.flatMap { self.secrets.epoch(of: $0.id) }
                    let newest = try Int64.fetchOne(db, sql: "SELECT MAX(epoch) FROM key_grant WHERE scope = ?", arguments: [text])
                    let recipients =
                        try held.map { key in
                            Set(try Data.fetchAll(db, sql: "SELECT recipient FROM key_grant WHERE key_id = ?", arguments: [Data(key.id)]))
                        } ?? []
                    let members = try self.currentMembers(db, scope: scope, at: now)
                    let unreadable =
                        try Int.fetchOne(
                            db,
                            sql: """
                                SELECT COUNT(*) FROM sealed_wait w JOIN change c ON c.id = w.change
                                WHERE c.scope = ? AND c.state = \(ChangeState.applied.sql)
                                """, arguments: [text]) ?? 0
                    let transferred = self.secrets.contentKeyCount(scope: scope)
                    var status = ScopeKeyStatus(
                        scope: scope, encrypted: newest != nil || transferred > 0, heldEpoch: heldEpoch.map { UInt32($0) },
                        newestEpoch: newest.map { UInt32($0) },
                        unreadable: unreadable,
                        lacking: held == nil ? [] : members.filter { !recipients.contains(Data($0.bytes)) },
                        revokedRecipients: try recipients.filter { revoked.contains($0) }.map { try PublicKey(bytes: Array($0)) }
                            .sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
                    )
                    status.transferredKeys = transferred
                    let current = Set(members.map { Data($0.bytes) })
                    status.formerRecipients = try recipients.filter {
                        !current.contains($0) && !revoked.contains($0) && $0 != self.authority.map { Data($0.bytes) }
                    }.map { try PublicKey(bytes: Array($0)) }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
                    return status
                }
            }
        }
    }
}
