import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueSodium
import Foundation
import GRDB

/// The signed change log in SQLite (WAL): the replica's source of truth.
///
/// Every write transaction commits with `synchronous = FULL`, so a batch
/// this method returned from survives power loss and may be acknowledged
/// to a peer. A batch is appended whole or not at all.
public final class ChangeLog: ChangeStore {
    let writer: any DatabaseWriter
    /// How many cores `append(encoded:)` verifies signatures on.
    public let verifyThreads: Int
    /// The merge engine that keeps the record views; nil keeps the bare log only.
    public let merge: RecordMerge?
    /// Commits use `synchronous = FULL`: only then may a sync peer be acknowledged.
    public let isDurable: Bool
    /// The pinned district authority: when set, a change applies only if a
    /// certificate chained to it permits it; others are quarantined.
    public let authority: PublicKey?
    /// Local wall-clock milliseconds; injectable so the future-clock rule can be tested.
    public let clock: @Sendable () -> UInt64
    /// A relay's key: when set, every change this log stores for the first time
    /// (outside `_admin`, not itself a receipt) is witnessed by a receipt signed
    /// with it, in the same transaction (`Protocol/trust.md` §6).
    public let witness: DeviceKey?
    /// The database file, nil in memory.
    public let path: String?
    /// This device's key, to open the scope keys sealed to it and seal what it writes
    /// (privacy.md §2); nil for a log that reads no encrypted payload.
    public let reader: DeviceKey?
    /// Every record this device writes must be sealed: with no key for the scope it is refused
    /// (`noScopeKey`), even before it has heard that the scope is encrypted — a device whose
    /// grant has not arrived (a clock too far behind, no sync yet) then leaks nothing.
    public let sealRequired: Bool
    /// Scope keys and nonces are drawn from it: the system's CSPRNG except in the simulator.
    package let random: RandomSource
    /// Signature checks shared with other replicas of this process (the simulator's); nil on a device.
    package let signatureMemo: SignatureMemo?
    /// Scope sets already read, brought up to date from the positions stored since (`members(of:)`).
    let memberCache = MemberCache()
    /// Stored certificates already decoded: this log's own, or shared by the replicas of a simulated county.
    let decodedCertificates: DecodedCertificates
    /// A relay's disk budget for its files, checked before each append; nil: no quota.
    public let quota: DiskQuota?
    /// The keys that open this device's records, in their own 0600 file (privacy.md §5).
    let secrets: SecretKeys

    /// The secrets file of the database at `path`: its name with `.keys` for `.sqlite`.
    public static func secretsPath(of path: String) -> String {
        (path.hasSuffix(".sqlite") ? String(path.dropLast(".sqlite".count)) : path) + ".keys"
    }

    /// Opens (creating if needed) the log at `path`, as `options` says.
    public convenience init(path: String, options: Options = Options()) throws(StoreError) {
        try self.init(path: path, options: options, hooks: SimulationHooks())
    }

    /// Same, with the simulator's hooks.
    package convenience init(path: String, options: Options, hooks: SimulationHooks) throws(StoreError) {
        let quota = options.maxDatabaseBytes.map { DiskQuota(bytes: $0) }
        let configuration = Self.configuration(durable: options.durable, readerCacheMiB: options.readerCacheMiB, quota: quota)
        let writer = try storeCall { try DatabasePool(path: path, configuration: configuration) }
        let secrets = try SecretKeys(path: Self.secretsPath(of: path))
        self.init(writer: writer, secrets: secrets, path: path, quota: quota, durable: options.durable, options: options, hooks: hooks)
        try secrets.adoptTables(of: writer)
        // The log holds minors' records: readable by this user only. SQLite gives its WAL and
        // shared-memory files the database file's mode, so they follow.
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) { chmod(file, 0o600) }
        try migrate()
        if merge == nil {
            try storeCall { try writer.write { db in try db.execute(sql: "UPDATE view_state SET lagging = 1 WHERE lagging = 0") } }
        }
    }

    /// Every stored property from the options, the hooks and an opened database.
    private init(
        writer: any DatabaseWriter, secrets: SecretKeys, path: String?, quota: DiskQuota?, durable: Bool, options: Options,
        hooks: SimulationHooks
    ) {
        self.writer = writer
        self.secrets = secrets
        self.path = path
        self.quota = quota
        isDurable = durable
        clock = options.clock
        signatureMemo = hooks.signatureMemo
        decodedCertificates = hooks.decodedCertificates ?? DecodedCertificates()
        random = hooks.random
        reader = options.reader
        sealRequired = options.sealRequired
        witness = options.witness
        verifyThreads = options.verifyThreads
        authority = options.authority
        merge = options.merge
    }

    /// How a file log's connections are set up.
    private static func configuration(durable: Bool, readerCacheMiB: Int, quota: DiskQuota?) -> Configuration {
        var config = Configuration()
        // Another process writing (a sync, a second command) holds the lock briefly: wait up to 5 s, then fail clearly.
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            // 64 MiB page cache for the writer: view maintenance reads many index pages per change.
            // Readers may get less (a relay serves thousands of small reads on several connections).
            try db.execute(sql: "PRAGMA cache_size = -\(db.configuration.readonly ? readerCacheMiB * 1024 : 65536)")
            // A quota is checked before each append (`DiskQuota`), never here: opening, recovering the
            // WAL and reading must work on a database at or over its quota. Its WAL is kept small.
            if let quota, !db.configuration.readonly {
                try db.execute(sql: "PRAGMA journal_size_limit = \(quota.walLimit)")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(max(64, quota.walLimit / 4096))")
            }
        }
        return config
    }

    /// Whether the log at `path` was last written without keeping its record views (a relay's);
    /// false for a new or older file. Read without migrating or writing anything.
    public static func viewsLag(path: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path),
            let queue = try? DatabaseQueue(
                path: path,
                configuration: {
                    var c = Configuration()
                    c.readonly = true
                    return c
                }())
        else { return false }
        return (try? queue.read { db in try Bool.fetchOne(db, sql: "SELECT lagging FROM view_state") }) == true
    }

    /// A log in memory, for tests and the simulator. It always counts as durable: nothing survives
    /// a crash anyway, so tests and the simulator acknowledge from memory (`options.durable` is not read).
    public convenience init(inMemory: Void = (), options: Options = Options()) throws(StoreError) {
        try self.init(inMemory: (), options: options, hooks: SimulationHooks())
    }

    /// Same, with the simulator's hooks.
    package convenience init(inMemory: Void = (), options: Options, hooks: SimulationHooks) throws(StoreError) {
        let writer = try storeCall { try DatabaseQueue() }
        let secrets = try SecretKeys(path: nil)
        self.init(writer: writer, secrets: secrets, path: nil, quota: nil, durable: true, options: options, hooks: hooks)
        try migrate()
    }

    /// Runs `body` on a consistent view of the log. A file log reads on a reader connection of its
    /// pool; a log in memory has one connection, which already serializes every access, so it reads
    /// there directly: GRDB's `read` would toggle `PRAGMA query_only`, and every toggle expires all
    /// prepared statements (each cached statement was then parsed again, a tenth of a simulated day).
    func readDB<T>(_ body: (Database) throws -> T) throws -> T {
        if let queue = writer as? DatabaseQueue { return try queue.unsafeRead(body) }
        return try writer.read(body)
    }

    /// Refuses an append while the files take the quota or more. A WAL holding the excess is first
    /// checkpointed and truncated (it may be most of it right after a burst of writes).
    func checkQuota() throws(StoreError) {
        guard let quota else { return }
        var used = diskBytes
        if !quota.admits(used: used), let path, fileBytes(path + "-wal") > quota.walLimit {
            try? checkpoint()
            used = diskBytes
        }
        guard quota.admits(used: used) else { throw .overQuota(bytes: used, quota: quota.bytes) }
    }

    /// Whether the files take the quota or more now (for `/health`); false without a quota.
    public var isOverQuota: Bool { quota.map { !$0.admits(used: diskBytes) } ?? false }

    /// Bytes the database uses on disk (main file, WAL and shared memory); 0 in memory.
    public var diskBytes: Int64 {
        guard let path else { return 0 }
        return ["", "-wal", "-shm"].reduce(0) { $0 + fileBytes(path + $1) }
    }

    private func fileBytes(_ path: String) -> Int64 {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
    }

    public static let systemClock: @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970 * 1000) }

    private func migrate() throws(StoreError) {
        try storeCall { try ChangeLogSchema.migrator().migrate(writer) }
    }

    public func append(encoded: [[UInt8]]) throws(StoreError) -> AppendReport {
        let changes: [Change]
        do {
            changes = try BatchVerifier.verify(encoded, threads: verifyThreads, memo: signatureMemo)
        } catch {
            throw .invalidChange(index: error.index, error.error)
        }
        return try append(changes)
    }

    public func append(_ changes: [Change]) throws(StoreError) -> AppendReport {
        try append(changes, decodedPayloads: nil)
    }

    func append(_ changes: [Change], decodedPayloads: [Result<RecordPayload, RecordsError>]?) throws(StoreError) -> AppendReport {
        try checkQuota()
        return try storeCall {
            try writer.write { db in
                var appender = try BatchAppender(
                    db: db, merge: merge, authority: authority, now: self.clock(), witness: witness, reader: reader, memo: signatureMemo,
                    certificates: decodedCertificates, secrets: secrets)
                try appender.append(changes, decodedPayloads: decodedPayloads)
                return appender.report
            }
        }
    }

    /// Appends several verified batches in one transaction (one commit, one fsync); returns
    /// one report per batch. A database failure fails them all; nothing is half-stored.
    func appendGroup(_ batches: [([Change], [Result<RecordPayload, RecordsError>]?)]) throws(StoreError) -> [AppendReport] {
        try checkQuota()
        return try storeCall {
            try writer.write { db in
                var reports: [AppendReport] = []
                for (changes, payloads) in batches {
                    var appender = try BatchAppender(
                        db: db, merge: merge, authority: authority, now: self.clock(), witness: witness, reader: reader,
                        memo: signatureMemo, certificates: decodedCertificates, secrets: secrets)
                    try appender.append(changes, decodedPayloads: payloads)
                    reports.append(appender.report)
                }
                return reports
            }
        }
    }

    /// The scope of a stored change, nil if it is not here.
    public func scope(ofChange id: ChangeID) throws(StoreError) -> ScopeID? {
        try storeCall {
            try readDB { db in
                try String.fetchOne(db.cachedStatement(sql: "SELECT scope FROM change WHERE id = ?"), arguments: [Data(id.bytes)]).flatMap {
                    try? ScopeID($0)
                }
            }
        }
    }

    public func contains(_ id: ChangeID) throws(StoreError) -> Bool {
        try storeCall {
            try readDB { db in
                try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM change WHERE id = ?)"), arguments: [Data(id.bytes)])
                    ?? false
            }
        }
    }

    /// The state `id` is stored in, or nil when it is not stored.
    public func state(of id: ChangeID) throws(StoreError) -> ChangeState? {
        try storeCall {
            try readDB { db in
                try Int.fetchOne(db.cachedStatement(sql: "SELECT state FROM change WHERE id = ?"), arguments: [Data(id.bytes)]).flatMap(
                    ChangeState.init(rawValue:))
            }
        }
    }

    /// Bytes the database's pages take (page count × page size), in memory or on disk, WAL excluded.
    public func pageBytes() throws(StoreError) -> Int64 {
        try storeCall {
            try readDB { db in
                (try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0) * (try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0)
            }
        }
    }

    public func heads() throws(StoreError) -> [ChangeID] {
        try storeCall {
            try readDB { db in
                try Data.fetchAll(db, sql: "SELECT id FROM head ORDER BY id").map { try ChangeID(bytes: Array($0)) }
            }
        }
    }

    public func appliedSeq(of author: PublicKey) throws(StoreError) -> UInt64 {
        try storeCall {
            try readDB { db in
                UInt64(
                    try Int64.fetchOne(
                        db, sql: "SELECT MAX(seq) FROM change WHERE author = ? AND state = \(ChangeState.applied.sql)",
                        arguments: [Data(author.bytes)]) ?? 0)
            }
        }
    }

    public func count(_ state: ChangeState?) throws(StoreError) -> Int {
        try storeCall {
            try readDB { db in
                // `state <> \(ChangeState.applied.sql)` lets SQLite use the partial index of changes not applied.
                switch state {
                case .applied?:
                    return try Int.fetchOne(
                        db,
                        sql:
                            "SELECT (SELECT COUNT(*) FROM change) - (SELECT COUNT(*) FROM change WHERE state <> \(ChangeState.applied.sql))"
                    ) ?? 0
                case let state?:
                    return try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM change WHERE state <> \(ChangeState.applied.sql) AND state = ?",
                        arguments: [state.rawValue]) ?? 0
                case nil: break
                }
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change") ?? 0
            }
        }
    }

    public func entries(after position: Int64, limit: Int) throws(StoreError) -> [LogEntry] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(
                    db, sql: "SELECT position, state, bytes FROM change WHERE position > ? ORDER BY position LIMIT ?",
                    arguments: [position, limit]
                ).map { row in
                    LogEntry(
                        position: row[0],
                        state: ChangeState(rawValue: row[1]) ?? .held,
                        change: try Change.decodeVerified(Array(row[2] as Data))
                    )
                }
            }
        }
    }

    public func equivocations() throws(StoreError) -> [Equivocation] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(db, sql: "SELECT author, seq, first, second FROM equivocation ORDER BY author, seq").map { row in
                    Equivocation(
                        author: try PublicKey(bytes: Array(row[0] as Data)), seq: UInt64(row[1] as Int64),
                        first: try ChangeID(bytes: Array(row[2] as Data)), second: try ChangeID(bytes: Array(row[3] as Data))
                    )
                }
            }
        }
    }

    public func latestTimestamp() throws(StoreError) -> HLCTimestamp? {
        try storeCall {
            try readDB { db in
                try Int64.fetchOne(db, sql: "SELECT latest FROM clock WHERE latest >= 0").map { try HLCTimestamp(packed: $0) }
            }
        }
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    public func integrityCheck() throws(StoreError) -> String {
        try storeCall { try readDB { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" } }
    }
}

/// Runs GRDB code and maps whatever it throws to `StoreError`.
func storeCall<T>(_ body: () throws -> T) throws(StoreError) -> T {
    do {
        return try body()
    } catch let error as StoreError {
        throw error
    } catch let error as DatabaseError {
        throw .database(code: error.extendedResultCode.rawValue, message: error.message ?? "\(error)")
    } catch let error as PrivacyError {
        throw .privacy(error)
    } catch let error as RecordsError {
        throw .invalidRecord(error)
    } catch let error as CoreError {
        throw .database(code: -1, message: "stored change unreadable: \(error)")
    } catch {
        throw .database(code: -1, message: "\(error)")
    }
}

extension ChangeLog {
    /// Moves the WAL into the main file (`PRAGMA wal_checkpoint(TRUNCATE)`): for backups and size readings.
    public func checkpoint() throws(StoreError) {
        try storeCall { try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") } }
    }
}
