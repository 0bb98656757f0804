import BaoxueCore
import BaoxueLog
import BaoxueRecords
import Logging
import PostgresNIO

/// The signed change log stored in PostgreSQL, for relay processes that share one database.
///
/// Every batch runs `LogRules` over a `LogSnapshot` of facts read in a SERIALIZABLE transaction and
/// commits the rules' `LogDelta` in that same transaction. Two processes appending at the same
/// moment therefore end as if one had gone first: a change is stored once, an equivocation is seen
/// whichever process receives each half, nothing waits on a change another process just stored.
/// A transaction PostgreSQL aborts for a conflict runs again from its reads (`maxAttempts` times).
public struct PostgresLog: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    public let maxAttempts: Int
    /// Commits and conflict reruns of this log value and its copies.
    public let stats = PostgresLogStats()

    /// `client` must be running (`client.run()` in the executable's task group or service group).
    public init(client: PostgresClient, logger: Logger = Logger(label: "baoxue.postgres"), maxAttempts: Int = 24) {
        self.client = client
        self.logger = logger
        self.maxAttempts = maxAttempts
    }

    /// Creates the tables if they are missing (once, whichever process gets there first).
    public func migrate() async throws {
        try await transaction(isolation: "READ COMMITTED") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresLogSchema.migrationLock))", logger: logger)
            for statement in PostgresLogSchema.statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            var found: Int?
            for try await version in try await connection.query("SELECT max(version) FROM log_schema", logger: logger)
                .decode(Int?.self)
            { found = version }
            if let found, found > PostgresLogSchema.version {
                throw PostgresLogError.schemaTooNew(found: found, known: PostgresLogSchema.version)
            }
            if found == nil {
                try await connection.query("INSERT INTO log_schema (version) VALUES (\(PostgresLogSchema.version))", logger: logger)
            }
        }
    }

    /// Appends a batch of verified changes through the log's rules; one verdict per change.
    public func append(_ batch: [Change], trust: PostgresTrust? = nil, now: UInt64 = 0) async throws -> [LogRules.Verdict] {
        try await append(batch, witness: nil, now: now, trust: trust).verdicts
    }

    /// What one append did: a verdict per change, and the receipts the witness signed for it.
    public struct Appended: Sendable {
        public let verdicts: [LogRules.Verdict]
        public let receipts: [Change]
    }

    /// Appends a batch and, with a witness, its receipts for what it stored first, in one transaction:
    /// a change is never stored without its receipt, and `log_witness` says who witnessed it. With
    /// `trust`, the batch passes the trust gate first (`LogRules.append(_:to:gate:now:)`): changes it
    /// refuses are stored quarantined, and what applied `_admin` changes teach is stored for every
    /// process (`PostgresTrust`). The process's own receipts are not gated: it signed them.
    public func append(_ batch: [Change], witness: PostgresWitness?, now: UInt64, trust: PostgresTrust? = nil) async throws -> Appended {
        let prefetch =
            LogFacts.needs(of: batch) + (witness.map { [.author($0.key.publicKey)] } ?? []) + (trust == nil ? [] : [.waiters(.clock)])
        let start = trust?.current
        let logger = logger
        // Decoded once: the rules may run several times (a read they missed, a transaction run again).
        let payloads =
            trust == nil
            ? [:]
            : batch.reduce(into: [ChangeID: Result<RecordPayload, RecordsError>]()) { out, change in
                if let payload = TrustGate<TrustBook>.recordPayload(of: change) { out[change.id] = payload }
            }
        let (appended, learnt) = try await transaction(isolation: "SERIALIZABLE") { connection in
            var book: TrustBook?
            if let start { book = try await PostgresTrust.caughtUp(start, connection: connection, logger: logger) }
            let (appended, taught) = try await runRules(on: connection, prefetch: prefetch) { snapshot in
                var verdicts: [LogRules.Verdict]
                var taught: TrustBook?
                if let trust, let book = book {
                    var gate = try TrustGate(authority: trust.authority, storage: book)
                    verdicts = try LogRules.append(batch, to: &snapshot, gate: &gate, now: now, payloads: payloads)
                    taught = gate.storage
                } else {
                    verdicts = try LogRules.append(batch, to: &snapshot)
                }
                let receipts = try witness?.receipts(for: batch, verdicts: verdicts, now: now, in: &snapshot) ?? []
                return (Appended(verdicts: verdicts, receipts: receipts), taught)
            }
            try await PostgresDeltaWriter(connection: connection, logger: logger).witnessed(appended.receipts)
            guard let taught else { return (appended, nil as TrustBook?) }
            return (appended, try await PostgresTrust.save(taught, connection: connection, logger: logger))
        }
        if let trust, let learnt { trust.adopt(learnt) }
        return appended
    }

    /// The encoded changes with these ids, in this order.
    public func encodedChanges(_ ids: [ChangeID]) async throws -> [[UInt8]] {
        guard !ids.isEmpty else { return [] }
        var found: [ChangeID: [UInt8]] = [:]
        do {
            let rows = try await client.query(
                "SELECT id, bytes FROM log_change WHERE id = ANY(\(ids.map { $0.bytes.buffer }))", logger: logger)
            for try await (id, bytes) in rows.decode((ByteBuffer, ByteBuffer).self) {
                found[try ChangeID(bytes: Array(buffer: id))] = Array(buffer: bytes)
            }
        } catch let error as PSQLError { throw Self.classify(error) }
        return try ids.map { id in
            guard let bytes = found[id] else { throw PostgresLogError.changeMissing(id) }
            return bytes
        }
    }

    /// Stores changes quarantined for `reason` (a relay's trust gate refused them), kept as proof.
    public func quarantine(_ changes: [Change], reason: QuarantineReason) async throws {
        try await rules(prefetch: changes.map { .id($0.id) }) { snapshot in
            for change in changes {
                guard try snapshot.standing(of: change.id) == nil else { continue }
                try snapshot.quarantine(try snapshot.insert(change, state: .quarantined), reason: reason)
            }
        }
    }

    /// Applies a revocation of `subject` dated `at` (ms) through `LogRules.revoke`, in one transaction.
    @discardableResult
    public func revoke(_ subject: PublicKey, from at: UInt64) async throws -> LogRules.Revocation {
        try await rules(prefetch: [.authorFrom(subject, 1), .anyPending]) { snapshot in
            try LogRules.revoke(subject, from: at, in: &snapshot)
        }
    }

    /// A stored change's state (nil: not stored).
    public func state(of id: ChangeID) async throws -> ChangeState? {
        let rows = try await client.query("SELECT state FROM log_change WHERE id = \(id.bytes.buffer)", logger: logger)
        for try await state in rows.decode(Int16.self) { return ChangeState(rawValue: Int(state)) }
        return nil
    }

    /// True when a commit returns only once its WAL is flushed (`synchronous_commit` is not `off`):
    /// the condition for acknowledging a device.
    public func commitsDurably() async throws -> Bool {
        for try await value in try await client.query("SHOW synchronous_commit", logger: logger).decode(String.self) {
            return value != "off"
        }
        return false
    }

    /// How many changes are stored, in any state.
    public func count() async throws -> Int {
        for try await n in try await client.query("SELECT count(*) FROM log_change", logger: logger).decode(Int.self) { return n }
        return 0
    }

    /// The database's size on disk (`pg_database_size`: tables, indexes and the operators' tables): what a
    /// relay's quota counts.
    public func databaseBytes() async throws -> Int64 {
        let query: PostgresQuery = "SELECT pg_database_size(current_database())"
        for try await bytes in try await client.query(query, logger: logger).decode(Int64.self) { return bytes }
        return 0
    }

    /// The figures an operator's `/health` and `/metrics` show, read in one query: changes by
    /// state, authors held for equivocating, and the database's size on disk.
    public func figures() async throws -> PostgresLogFigures {
        let query: PostgresQuery = """
            SELECT count(*), count(*) FILTER (WHERE state = \(Int16(ChangeState.quarantined.rawValue))),
                   count(*) FILTER (WHERE state = \(Int16(ChangeState.pending.rawValue))),
                   (SELECT count(*) FROM log_author WHERE held_from IS NOT NULL), pg_database_size(current_database())
            FROM log_change
            """
        for try await (changes, quarantined, pending, held, bytes) in try await client.query(query, logger: logger).decode(
            (Int, Int, Int, Int, Int64).self)
        {
            return PostgresLogFigures(changes: changes, quarantined: quarantined, pending: pending, heldAuthors: held, databaseBytes: bytes)
        }
        return PostgresLogFigures(changes: 0, quarantined: 0, pending: 0, heldAuthors: 0, databaseBytes: 0)
    }

    private func rules<T: Sendable>(
        prefetch: [LogNeed], _ body: @escaping @Sendable (inout LogSnapshot) throws -> T
    ) async throws -> T {
        try await transaction(isolation: "SERIALIZABLE") { connection in
            try await runRules(on: connection, prefetch: prefetch, body)
        }
    }

    /// Runs the rules (`body`) over the facts this transaction reads, then writes what they wrote in it.
    private func runRules<T: Sendable>(
        on connection: PostgresConnection, prefetch: [LogNeed], _ body: (inout LogSnapshot) throws -> T
    ) async throws -> T {
        let reader = PostgresFactReader(connection: connection, logger: logger)
        var facts = LogFacts()
        let run: (result: T, delta: LogDelta)
        do {
            run = try await LogSnapshot.run(&facts, prefetch: prefetch, fetch: { try await reader.fetch($0, into: &$1) }, body: body)
        } catch let error as LogSnapshotError { throw PostgresLogError.snapshot(error) }
        try await PostgresDeltaWriter(connection: connection, logger: logger).write(run.delta)
        return run.result
    }

    /// Runs `body` in a transaction, again from the start when PostgreSQL aborts it for a conflict
    /// with another process (serialization failure, deadlock, a unique key another process took).
    func transaction<T: Sendable>(
        isolation: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        for attempt in 1...maxAttempts {
            do {
                return try await client.withConnection { connection in
                    try await connection.query("BEGIN ISOLATION LEVEL \(unescaped: isolation)", logger: logger)
                    do {
                        let value = try await body(connection)
                        try await connection.query("COMMIT", logger: logger)
                        stats.didCommit()
                        return value
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch is PostgresDeltaWriter.Raced {
                stats.didConflict()
            } catch PostgresLogError.witnessSeqTaken {
                stats.didConflict()
            } catch let error as PSQLError {
                guard let state = error.serverInfo?[.sqlState], Self.conflictStates.contains(state) else { throw Self.classify(error) }
                stats.didConflict()
            }
            // Back off a little, more each time, with jitter so two processes don't collide again.
            try await Task.sleep(for: .microseconds(UInt64.random(in: 0...(200 << min(attempt, 8)))))
        }
        throw PostgresLogError.contended(attempts: maxAttempts)
    }

    /// A database error as this log names it: refused with its SQLSTATE, or unavailable (no answer at all).
    public static func classify(_ error: PSQLError) -> PostgresLogError {
        guard let state = error.serverInfo?[.sqlState] else { return .unavailable("\(error.code)") }
        // admin_shutdown, crash_shutdown, cannot_connect_now: the server is going away or coming back.
        if ["57P01", "57P02", "57P03"].contains(state) { return .unavailable(state) }
        return .database(sqlState: state, message: error.serverInfo?[.message] ?? "\(error.code)")
    }

    /// serialization_failure, deadlock_detected, unique_violation (a concurrent insert of the same key).
    static let conflictStates: Set<String> = ["40001", "40P01", "23505"]
}
