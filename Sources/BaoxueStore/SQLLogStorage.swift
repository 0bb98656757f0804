import BaoxueCore
import BaoxueLog
import Foundation
import GRDB

/// The log's rules' storage in SQLite: the `change`, `author`, `waiting` and `quarantine` tables,
/// written in the transaction that appends the batch. Each method is one or two cached statements.
package struct SQLLogStorage: LogStorage {
    let db: Database
    /// Whether a pending change is stored, once known: asked of SQLite at most once per storage (its
    /// transaction), then set by this storage's own writes of the pending state. A change it later applied
    /// may leave it true (so `anyPending` errs towards the rules' extra reads, never towards skipping them).
    /// Every rule writes the pending state here, so none has to remember to say so (a flag the appender
    /// kept once missed `LogRules.release`).
    private var pending: Bool?
    /// Who cites each id, read from every stored change at the first `citing` (an equivocation that
    /// took back an applied change: rare), then kept up to date by this storage's inserts.
    private var citers: [ChangeID: [LogPosition]]?

    package init(db: Database) { self.db = db }

    package mutating func author(_ key: PublicKey) throws -> LogAuthor {
        let held = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT held_from FROM author WHERE key = ?"), arguments: [Data(key.bytes)])
        let stored = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT MAX(seq) FROM change WHERE author = ?"), arguments: [Data(key.bytes)])
        return LogAuthor(heldFrom: held.map { UInt64($0) }, storedSeq: UInt64(stored ?? 0))
    }

    /// The `author` table's `applied_seq` column is no longer read: apply order is carried by deps (changes.md §8).
    package mutating func hold(_ key: PublicKey, from seq: UInt64?) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO author (key, applied_seq, held_from) VALUES (?, 0, ?)",
            arguments: [Data(key.bytes), seq.map { Int64($0) }])
    }

    package mutating func holdChanges(of author: PublicKey, from seq: UInt64) throws -> [ChangeID] {
        let key = Data(author.bytes)
        let wasApplied = try Data.fetchAll(
            db, sql: "SELECT id FROM change WHERE author = ? AND seq >= ? AND state = \(ChangeState.applied.sql)",
            arguments: [key, Int64(seq)])
        try db.execute(
            sql: "DELETE FROM waiting WHERE position IN (SELECT position FROM change WHERE author = ? AND seq >= ?)",
            arguments: [key, Int64(seq)])
        try db.execute(
            sql: "UPDATE change SET state = \(ChangeState.held.sql) WHERE author = ? AND seq >= ?", arguments: [key, Int64(seq)])
        return try wasApplied.map { try ChangeID(bytes: Array($0)) }
    }

    package mutating func changes(of author: PublicKey, from seq: UInt64) throws -> [LogFacts.Row] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT c.position, c.id, c.seq, c.state, q.reason, c.scope, c.hlc FROM change c
                    LEFT JOIN quarantine q ON q.position = c.position WHERE c.author = ? AND c.seq >= ? ORDER BY c.position
                    """), arguments: [Data(author.bytes), Int64(seq)]
        ).map { row in
            guard let state = ChangeState(rawValue: row[3]) else {
                throw StoreError.database(code: 11, message: "change state \(row[3] as Int)")
            }
            return LogFacts.Row(
                position: LogPosition(row[0]), id: try ChangeID(bytes: Array(row[1] as Data)), seq: UInt64(row[2] as Int64), state: state,
                reason: (row[4] as String?).map(QuarantineReason.init(code:)), scope: try ScopeID(row[5] as String),
                hlc: row[6] as Int64)
        }
    }

    package mutating func changeIDs(author: PublicKey, seq: UInt64) throws -> [ChangeID] {
        try Data.fetchAll(
            db.cachedStatement(sql: "SELECT id FROM change WHERE author = ? AND seq = ? ORDER BY position"),
            arguments: [Data(author.bytes), Int64(seq)]
        ).map { try ChangeID(bytes: Array($0)) }
    }

    package mutating func standing(of id: ChangeID) throws -> LogStanding? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT state, position FROM change WHERE id = ?"), arguments: [Data(id.bytes)]),
            let state = ChangeState(rawValue: row[0])
        else { return nil }
        let position = LogPosition(row[1] as Int64)
        guard state == .quarantined else { return LogStanding(state: state, position: position) }
        // The reason is read only for the rare quarantined change, not on the hot path.
        let reason = try String.fetchOne(
            db.cachedStatement(sql: "SELECT reason FROM quarantine WHERE position = ?"), arguments: [row[1] as Int64])
        return LogStanding(state: state, reason: reason.map(QuarantineReason.init(code:)), position: position)
    }

    package mutating func insert(_ change: Change, state: ChangeState) throws -> LogPosition {
        if state == .pending { pending = true }
        // Once per stored change, on the writer every append waits for: bound directly (`DirectInsert`).
        var insert = try DirectInsert(
            db, sql: "INSERT INTO change (id, author, seq, hlc, scope, state, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)")
        insert.blob(change.id.bytes)
        insert.blob(change.author.bytes)
        insert.integer(Int64(change.seq))
        insert.integer(change.timestamp.packed)
        insert.text(change.scope.value)
        insert.integer(Int64(state.rawValue))
        insert.blob(change.encoded)
        try insert.run()
        let position = LogPosition(db.lastInsertedRowID)
        if citers != nil { for dep in change.deps { citers![dep, default: []].append(position) } }
        return position
    }

    package mutating func change(at position: LogPosition) throws -> (state: ChangeState, change: Change)? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT state, bytes FROM change WHERE position = ?"), arguments: [position.value]),
            let state = ChangeState(rawValue: row[0])
        else { return nil }
        return (state, try Change.decodeVerified(Array(row[1] as Data)))
    }

    package mutating func setState(_ state: ChangeState, at position: LogPosition) throws {
        if state == .pending { pending = true }
        try db.cachedStatement(sql: "UPDATE change SET state = ? WHERE position = ?").execute(arguments: [state.rawValue, position.value])
    }

    package mutating func wait(_ position: LogPosition, on deps: [LogWait]) throws {
        for dep in deps {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO waiting (dep, position) VALUES (?, ?)").execute(arguments: [
                Data(dep.bytes), position.value,
            ])
        }
    }

    package mutating func waiting(on dep: LogWait) throws -> [LogPosition] {
        try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT position FROM waiting WHERE dep = ? ORDER BY position"), arguments: [Data(dep.bytes)]
        ).map(LogPosition.init)
    }

    package mutating func stopWaiting(_ position: LogPosition) throws {
        try db.cachedStatement(sql: "DELETE FROM waiting WHERE position = ?").execute(arguments: [position.value])
    }

    package mutating func quarantine(_ position: LogPosition, reason: QuarantineReason?) throws {
        guard let reason else {
            try db.cachedStatement(sql: "DELETE FROM quarantine WHERE position = ?").execute(arguments: [position.value])
            return
        }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO quarantine (position, reason) VALUES (?, ?)").execute(arguments: [
            position.value, reason.code,
        ])
    }

    /// Runs `body` on a storage in a new in-memory database with the change log's schema, in one
    /// write transaction (the conformance suite's SQLite side).
    package static func inMemory<T>(_ body: (inout SQLLogStorage) throws -> T) throws -> T {
        let queue = try DatabaseQueue()
        try ChangeLogSchema.migrator().migrate(queue)
        return try queue.write { db in
            var storage = SQLLogStorage(db: db)
            return try body(&storage)
        }
    }

    package mutating func citing(_ id: ChangeID) throws -> [LogPosition] {
        if let citers { return citers[id] ?? [] }
        var built: [ChangeID: [LogPosition]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT position, bytes FROM change ORDER BY position")
        while let row = try rows.next() {
            let position = LogPosition(row[0] as Int64)
            for dep in try Change.decodeVerified(Array(row[1] as Data)).deps { built[dep, default: []].append(position) }
        }
        citers = built
        return built[id] ?? []
    }

    package mutating func anyPending() throws -> Bool {
        if let pending { return pending }
        // `state <> applied` lets SQLite use the partial index of changes not applied.
        let sql = "SELECT EXISTS(SELECT 1 FROM change WHERE state <> \(ChangeState.applied.sql) AND state = \(ChangeState.pending.sql))"
        let stored = try Bool.fetchOne(db.cachedStatement(sql: sql)) ?? false
        pending = stored
        return stored
    }
}
