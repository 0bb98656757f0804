import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import Foundation
import GRDB

/// The scope keys this device holds, inside an open transaction, and the
/// routing of an applied change's payload by them (privacy.md §2).
///
/// Invariant: `scope_key` holds only keys opened from an applied member grant
/// sealed to `reader`; `key_grant` lists every grant's recipients on every
/// replica (a relay too), so "this scope is encrypted" is known everywhere.
struct KeyRing {
    let db: Database
    /// The scope and content keys held (`secret.keys`, never SQLite).
    let secrets: SecretKeys
    /// This device's key: the one member grants are sealed to. Nil for a log that reads nothing (tests, a bare log).
    let reader: DeviceKey?
    private var cache: [Data: ScopeKey?] = [:]
    /// Whether `reader` has been revoked (read once): a revoked device opens no grant and uses no key,
    /// even when a rebuild replays the grants sealed to it before.
    private var readerRevoked: Bool?
    /// False for a ring that only reads (a query outside an append): opening a transfer then learns nothing.
    private let learns: Bool

    init(db: Database, secrets: SecretKeys, reader: DeviceKey?, learns: Bool = true) {
        self.db = db
        self.secrets = secrets
        self.reader = reader
        self.learns = learns
    }

    /// What an applied change's payload means for the record views.
    enum Routed {
        /// A plain record payload (or an admin change or receipt, which the merge ignores).
        case plain
        /// A sealed payload this device opened (or failed to: then the merge records the rejection).
        case opened(Result<RecordPayload, RecordsError>)
        /// A sealed payload whose scope key this device does not hold (yet).
        case waiting(keyID: [UInt8])
        /// A member grant; the scope key when it was sealed to this device.
        case grant(ScopeKey?)
        /// A member's departure (recorded in `departure`): nothing for the views.
        case departure
        /// One part of an attachment, opened (its row in `attachment_part` is the appender's to write).
        case attachmentPart(AttachmentPart)
        /// A transferred child's history, opened: its keys are learnt and its changes are to be appended.
        case transfer(TransferBundle)
    }

    mutating func route(_ change: Change) throws -> Routed {
        guard change.scope != .admin, !change.isWitnessReceipt else { return .plain }
        if MemberGrant.isGrant(change.payload) { return .grant(try learn(change)) }
        if MemberDeparture.isDeparture(change.payload) {
            if learns, let d = try? MemberDeparture(bytes: change.payload) {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO departure (scope, member, left_at) VALUES (?, ?, ?)")
                    .execute(arguments: [change.scope.value, Data(d.member.bytes), Int64(clamping: d.leftAt)])
            }
            return .departure
        }
        guard SealedPayload.isSealed(change.payload) else { return .plain }
        let sealed: SealedPayload
        do { sealed = try SealedPayload(bytes: change.payload) } catch { return .opened(.failure(.malformedPayload(error.code))) }
        let opened: Result<SealedContent, PrivacyError>
        if let key = try key(id: sealed.scopeKeyID, scope: change.scope) {
            opened = Result { () throws(PrivacyError) in try sealed.open(with: key, author: change.author, seq: change.seq) }
        } else if let content = try carriedKey(change.id) {
            // A transferred child's change of the old school: opened with the content key alone.
            opened = Result { () throws(PrivacyError) in
                try sealed.open(with: content, author: change.author, seq: change.seq, scope: change.scope)
            }
        } else {
            return .waiting(keyID: sealed.scopeKeyID)
        }
        switch opened {
        case .success(.record(let payload)): return .opened(.success(payload))
        case .success(.transfer(let bundle)):
            if learns { try learn(bundle) }
            return .transfer(bundle)
        case .success(.attachment(let part)): return .attachmentPart(part)
        case .failure(let error): return .opened(.failure(.malformedPayload(error.code)))
        }
    }

    /// Notes which content key opens each change of a transfer (`carried_change`, derived: a rebuild
    /// or an unlock finds them again) and stores the keys (`content_key`, secret: `lock` drops them).
    /// A change no key of the bundle opens is noted without one and stays unreadable.
    private func learn(_ bundle: TransferBundle) throws {
        for key in bundle.keys { try secrets.add(key, scope: bundle.source) }
        for change in bundle.changes {
            var opener: ContentKey?
            if let sealed = try? SealedPayload(bytes: change.payload) {
                opener = bundle.keys.first { key in
                    (try? sealed.open(with: key, author: change.author, seq: change.seq, scope: change.scope)) != nil
                }
            }
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO carried_change (change, key_id) VALUES (?, ?)")
                .execute(arguments: [Data(change.id.bytes), opener.map { Data($0.id) }])
        }
    }

    /// Notes where one part of an attachment is (`attachment_part`, derived: dropped by `lock`, found again by a rebuild).
    func note(_ part: AttachmentPart, in change: Change) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO attachment_part (attachment, part, count, change) VALUES (?, ?, ?, ?)")
            .execute(arguments: [Data(part.attachment), part.index, part.count, Data(change.id.bytes)])
    }

    /// The content key a transfer gave this device for `change`, if any.
    func carriedKey(_ change: ChangeID) throws -> ContentKey? {
        if readerRevoked == true { return nil }
        guard
            let id = try Data.fetchOne(
                db.cachedStatement(sql: "SELECT key_id FROM carried_change WHERE change = ?"), arguments: [Data(change.bytes)])
        else { return nil }
        return secrets.contentKey(id: Array(id))
    }

    /// True for a change a transfer handed to this device in a scope whose key it does not hold:
    /// it has only that child's part of the scope, so the change's deps (the old school's other
    /// changes) will never all arrive, and the merge does not need them.
    func readsDetached(_ change: Change) throws -> Bool {
        guard
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM carried_change WHERE change = ?)"), arguments: [Data(change.id.bytes)])
                == true
        else { return false }
        guard let id = SealedPayload.scopeKeyID(of: change.payload) else { return true }
        return !secrets.holdsScopeKey(id: id)
    }

    /// Records a grant's recipients and, when it is sealed to this device, stores the key it opens.
    /// A malformed grant teaches nothing (its author's role was checked; the bytes are simply useless).
    private mutating func learn(_ change: Change) throws -> ScopeKey? {
        // Its recipients were recorded when it was stored (`recordRecipients`, from `BatchAppender.insert`).
        guard let grant = try? MemberGrant(bytes: change.payload) else { return nil }
        guard let reader, try !isReaderRevoked(), let key = try? grant.open(as: reader, scope: change.scope) else { return nil }
        try secrets.add(key, epoch: Int64(grant.epoch))
        cache[Data(key.id)] = key
        return key
    }

    /// Records a grant's recipients when it is stored, applied or not: a grant held back (say,
    /// for a clock ahead of this device's) already says the scope is encrypted, so this device
    /// refuses to write a record there in clear rather than leak it while it waits.
    @discardableResult
    func recordRecipients(_ change: Change) throws -> MemberGrant? {
        guard change.scope != .admin, let grant = try? MemberGrant(bytes: change.payload) else { return nil }
        for r in grant.recipients {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO key_grant (scope, key_id, epoch, recipient) VALUES (?, ?, ?, ?)")
                .execute(arguments: [change.scope.value, Data(grant.keyID), Int64(grant.epoch), Data(r.bytes)])
        }
        return grant
    }

    mutating func key(id: [UInt8], scope: ScopeID) throws -> ScopeKey? {
        if try isReaderRevoked() { return nil }
        if let known = cache[Data(id)] { return known }
        let key = secrets.scopeKey(id: id, scope: scope)
        cache[Data(id)] = .some(key)
        return key
    }

    private mutating func isReaderRevoked() throws -> Bool {
        if let known = readerRevoked { return known }
        let revoked =
            try reader.map { r in
                try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM revocation WHERE subject = ?)"),
                    arguments: [Data(r.publicKey.bytes)]) ?? false
            } ?? false
        readerRevoked = revoked
        return revoked
    }

    /// True when some member grant exists for `scope`: its record changes must then be sealed.
    static func isEncrypted(_ db: Database, scope: ScopeID) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM key_grant WHERE scope = ?)"), arguments: [scope.value])
            ?? false
    }

    /// A remote wipe: this device's own key was revoked, so it drops every scope key and every
    /// view row (privacy.md §5). What it still holds of the log stays sealed.
    mutating func forgetAll() throws {
        readerRevoked = true
        try secrets.dropAll()
        try db.execute(sql: "DELETE FROM carried_change")
        try db.execute(sql: "DELETE FROM attachment_part")
        for table in RecordViewSchema.tables { try db.execute(sql: "DELETE FROM \(table.name)") }
        cache = [:]
    }

    /// Marks an applied change as unreadable until `keyID` arrives.
    func wait(_ change: Change, on keyID: [UInt8]) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO sealed_wait (change, key_id) VALUES (?, ?)")
            .execute(arguments: [Data(change.id.bytes), Data(keyID)])
    }

    /// The applied changes that waited for `key`, opened; their wait rows are removed.
    mutating func released(by key: ScopeKey) throws -> [(Change, Result<RecordPayload, RecordsError>)] {
        let rows = try Data.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT c.bytes FROM sealed_wait w JOIN change c ON c.id = w.change
                    WHERE w.key_id = ? AND c.state = \(ChangeState.applied.sql)
                        ORDER BY c.position
                    """), arguments: [Data(key.id)])
        try db.cachedStatement(sql: "DELETE FROM sealed_wait WHERE key_id = ?").execute(arguments: [Data(key.id)])
        var out: [(Change, Result<RecordPayload, RecordsError>)] = []
        for bytes in rows {
            let change = try Change.decodeVerified(Array(bytes))
            if case .opened(let payload) = try route(change) { out.append((change, payload)) }
        }
        return out
    }
}
