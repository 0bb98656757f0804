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
    /// This device's key: the one member grants are sealed to. Nil for a log that reads nothing (tests, a bare log).
    let reader: DeviceKey?
    private var cache: [Data: ScopeKey?] = [:]
    /// Whether `reader` has been revoked (read once): a revoked device opens no grant and uses no key,
    /// even when a rebuild replays the grants sealed to it before.
    private var readerRevoked: Bool?
    /// Whether any transfer carries changes here (read once): most replicas have none, and skip the lookup.
    private var carries: Bool?

    init(db: Database, reader: DeviceKey?) {
        self.db = db
        self.reader = reader
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
        /// A child grant (a transfer): the content keys it opened for this device, if any.
        case childGrant([ContentKey])
    }

    /// The content key id in clear in a sealed payload's header (privacy.md §3.1); nil for any other payload.
    static func contentKeyID(_ payload: [UInt8]) -> [UInt8]? { SealedPayload.keyIDs(of: payload)?.content }

    mutating func route(_ change: Change) throws -> Routed {
        guard change.scope != .admin, !change.isWitnessReceipt else { return .plain }
        if MemberGrant.isGrant(change.payload) { return .grant(try learn(change)) }
        if ChildGrant.isGrant(change.payload) { return .childGrant(try learnTransfer(change)) }
        guard SealedPayload.isSealed(change.payload) else { return .plain }
        let sealed: SealedPayload
        do { sealed = try SealedPayload(bytes: change.payload) } catch { return .opened(.failure(.malformedPayload(error.code))) }
        let opened: Result<RecordPayload, PrivacyError>
        if let key = try key(id: sealed.scopeKeyID, scope: change.scope) {
            opened = Result { () throws(PrivacyError) in try sealed.open(with: key, author: change.author, seq: change.seq) }
        } else if let content = try contentKey(id: sealed.contentKeyID) {
            // A transferred child's change of the old school: opened with the content key alone.
            opened = Result { () throws(PrivacyError) in
                try sealed.open(with: content, author: change.author, seq: change.seq, scope: change.scope)
            }
        } else {
            return .waiting(keyID: sealed.scopeKeyID)
        }
        return .opened(opened.mapError { .malformedPayload($0.code) })
    }

    /// Records which of the old school's changes a transfer carries with the receiving scope
    /// (on every replica: a relay carries them too) and, when the grant is sealed to this
    /// device, stores the content keys it opens.
    private mutating func learnTransfer(_ change: Change) throws -> [ContentKey] {
        guard let grant = try? ChildGrant(bytes: change.payload), grant.source != change.scope else { return [] }
        carries = true
        var added = 0
        for id in grant.keyIDs {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO carry (key_id, scope, source) VALUES (?, ?, ?)")
                .execute(arguments: [Data(id), change.scope.value, grant.source.value])
            added += db.changesCount
        }
        // The old school's changes already stored under those keys (those arriving later are noted as
        // they are stored). Once per grant: a rebuild replaying it finds its carry rows there and skips this.
        let ids = Set(grant.keyIDs)
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT id, bytes FROM change WHERE scope = ?"), arguments: [grant.source.value])
        while added > 0, let row = try rows.next() {
            guard let stored = try? Change.decodeStructure(Array(row[1] as Data)), let id = Self.contentKeyID(stored.payload),
                ids.contains(id)
            else { continue }
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO sealed_content (key_id, change) VALUES (?, ?)").execute(arguments: [
                Data(id), row[0] as Data,
            ])
        }
        guard let reader, try !isReaderRevoked(), let keys = try? grant.open(as: reader) else { return [] }
        for key in keys {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO content_key (id, scope, key) VALUES (?, ?, ?)")
                .execute(arguments: [Data(key.id), grant.source.value, Data(key.bytes)])
        }
        return keys
    }

    func contentKey(id: [UInt8]) throws -> ContentKey? {
        if readerRevoked == true { return nil }
        return try Data.fetchOne(db.cachedStatement(sql: "SELECT key FROM content_key WHERE id = ?"), arguments: [Data(id)])
            .map { ContentKey(bytes: Array($0)) }
    }

    /// Notes a stored sealed change under a content key a transfer carries (a read of the small
    /// `carry` table for every other sealed change, no write).
    mutating func recordSealed(_ change: Change) throws {
        if carries == nil { carries = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM carry)")) ?? false }
        guard carries == true, let id = Self.contentKeyID(change.payload),
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM carry WHERE key_id = ?)"), arguments: [Data(id)]) == true
        else { return }
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO sealed_content (key_id, change) VALUES (?, ?)")
            .execute(arguments: [Data(id), Data(change.id.bytes)])
    }

    /// True for a sealed change of a scope this device does not hold, whose content key it holds
    /// from a transfer: it has only that child's part of the scope, so the change's deps (the old
    /// school's other changes) will never all arrive, and the merge does not need them.
    func readsDetached(_ change: Change) throws -> Bool {
        guard let ids = SealedPayload.keyIDs(of: change.payload), try contentKey(id: ids.content) != nil else { return false }
        return try Data.fetchOne(db.cachedStatement(sql: "SELECT key FROM scope_key WHERE id = ?"), arguments: [Data(ids.scope)]) == nil
    }

    /// The changes a transfer's content keys make readable: those applied but set aside, opened
    /// (their wait rows removed), and the positions of those pending on deps that will never come.
    mutating func released(
        byContent keys: [ContentKey]
    ) throws -> (opened: [(Change, Result<RecordPayload, RecordsError>)], pending: [Int64]) {
        var opened: [(Change, Result<RecordPayload, RecordsError>)] = []
        var pending: [Int64] = []
        for key in keys {
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT c.position, c.state, c.bytes, w.change IS NOT NULL FROM sealed_content s JOIN change c ON c.id = s.change
                        LEFT JOIN sealed_wait w ON w.change = s.change WHERE s.key_id = ? AND c.state IN (0, 1) ORDER BY c.position
                        """), arguments: [Data(key.id)])
            for row in rows {
                if (row[1] as Int) == ChangeState.pending.rawValue {
                    pending.append(row[0])
                    continue
                }
                guard row[3] as Bool else { continue }
                let change = try Change.decodeVerified(Array(row[2] as Data))
                try db.cachedStatement(sql: "DELETE FROM sealed_wait WHERE change = ?").execute(arguments: [Data(change.id.bytes)])
                if case .opened(let payload) = try route(change) { opened.append((change, payload)) }
            }
        }
        return (opened, pending)
    }

    /// Records a grant's recipients and, when it is sealed to this device, stores the key it opens.
    /// A malformed grant teaches nothing (its author's role was checked; the bytes are simply useless).
    private mutating func learn(_ change: Change) throws -> ScopeKey? {
        // Its recipients were recorded when it was stored (`recordRecipients`, from `BatchAppender.insert`).
        guard let grant = try? MemberGrant(bytes: change.payload) else { return nil }
        guard let reader, try !isReaderRevoked(), let key = try? grant.open(as: reader, scope: change.scope) else { return nil }
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO scope_key (id, scope, key, epoch) VALUES (?, ?, ?, ?)")
            .execute(arguments: [Data(key.id), change.scope.value, Data(key.bytes), Int64(grant.epoch)])
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
        let bytes = try Data.fetchOne(
            db.cachedStatement(sql: "SELECT key FROM scope_key WHERE id = ? AND scope = ?"),
            arguments: [Data(id), scope.value])
        let key = try bytes.map { try ScopeKey(scope: scope, bytes: Array($0)) }
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

    /// The key a new change in `scope` is sealed under: the newest epoch held (ties by key id).
    static func current(_ db: Database, scope: ScopeID) throws -> ScopeKey? {
        try Data.fetchOne(
            db.cachedStatement(sql: "SELECT key FROM scope_key WHERE scope = ? ORDER BY epoch DESC, id DESC LIMIT 1"),
            arguments: [scope.value]
        ).map { try ScopeKey(scope: scope, bytes: Array($0)) }
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
        try db.execute(sql: "DELETE FROM scope_key")
        try db.execute(sql: "DELETE FROM content_key")
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
                    SELECT c.bytes FROM sealed_wait w JOIN change c ON c.id = w.change WHERE w.key_id = ? AND c.state = 0
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
