import BaoxueCore
import BaoxueLog
import PostgresNIO

/// What a relay cluster's operator page shows of the shared database (`relay serve --store … --console`),
/// read in one REPEATABLE READ transaction: the log's totals and every device's sessions at any process.
/// Metadata only, as the operator views (docs/postgres.md): counts, keys, times and session outcomes.
///
/// The figures mean what `baoxue relay status` means on SQLite: `gaps` counts an author's scope whose
/// changes wait for earlier ones; `unwitnessed` counts changes a revoked device dated before its
/// revocation that no relay witnessed before it (trust.md §6).
public struct PostgresRelayStatus: Sendable, Equatable {
    /// One device's sessions with the cluster (any process).
    public struct Device: Sendable, Equatable {
        public let key: PublicKey
        public let sessions: Int
        public let failures: Int
        /// When its latest session ended (ms).
        public let lastSeenMs: UInt64
        /// The reason its latest failed session ended with, if any failed.
        public let lastError: String?
    }

    public let changes: Int
    public let quarantined: Int
    public let gaps: Int
    public let unwitnessed: Int
    /// Authors held for signing two changes with one seq (trust.md §8).
    public let equivocators: Set<PublicKey>
    public let databaseBytes: Int64
    /// Most recently seen first.
    public let devices: [Device]
    /// The applied `_admin` changes, in log order: the page picks the schools' published figures out of them.
    public let admin: [Change]

    /// Reads the status from `log`'s database.
    public static func read(_ log: PostgresLog) async throws -> PostgresRelayStatus {
        let logger = log.logger
        let (applied, pending, quarantined) = (ChangeState.applied.sql, ChangeState.pending.sql, ChangeState.quarantined.sql)
        return try await log.transaction(isolation: "REPEATABLE READ READ ONLY") { connection in
            let counts = try await connection.query(
                """
                SELECT count(*), count(*) FILTER (WHERE state = \(unescaped: quarantined)),
                       count(DISTINCT (author, scope)) FILTER (WHERE state = \(unescaped: pending)),
                       pg_database_size(current_database()),
                       (SELECT count(*) FROM log_change c
                        JOIN (SELECT subject, min(revoked_at) AS at FROM log_revocation GROUP BY subject) r ON r.subject = c.author
                        WHERE c.hlc < r.at * 65536 AND c.scope <> \(ScopeID.admin.value)
                          AND c.state IN (\(unescaped: applied), \(unescaped: pending))
                          AND NOT EXISTS (SELECT 1 FROM log_witness w WHERE w.change = c.id AND w.at < r.at))
                FROM log_change
                """, logger: logger)
            var totals = (changes: Int64(0), quarantined: Int64(0), gaps: Int64(0), bytes: Int64(0), unwitnessed: Int64(0))
            for try await row in counts.decode((Int64, Int64, Int64, Int64, Int64).self) { totals = row }
            var equivocators = Set<PublicKey>()
            let held = try await connection.query("SELECT key FROM log_author WHERE held_from IS NOT NULL", logger: logger)
            for try await key in held.decode(ByteBuffer.self) {
                if let key = try? PublicKey(bytes: key.bytes) { equivocators.insert(key) }
            }
            var devices: [Device] = []
            let sessions = try await connection.query(
                """
                SELECT device, count(*), count(*) FILTER (WHERE outcome <> 'ok'), (extract(epoch FROM max(ended_at)) * 1000)::bigint,
                       (array_agg(outcome ORDER BY ended_at DESC) FILTER (WHERE outcome <> 'ok'))[1]
                FROM relay_session WHERE device IS NOT NULL GROUP BY device ORDER BY 4 DESC, device
                """, logger: logger)
            for try await (device, count, failures, lastSeen, lastError) in sessions.decode(
                (ByteBuffer, Int64, Int64, Int64, String?).self)
            {
                guard let key = try? PublicKey(bytes: device.bytes) else { continue }
                devices.append(
                    Device(
                        key: key, sessions: Int(count), failures: Int(failures), lastSeenMs: UInt64(clamping: lastSeen),
                        lastError: lastError))
            }
            var admin: [Change] = []
            let applied = try await connection.query(
                """
                SELECT bytes FROM log_change WHERE scope = \(unescaped: "'" + ScopeID.admin.value + "'") AND state = \(unescaped: applied)
                ORDER BY position
                """, logger: logger)
            for try await bytes in applied.decode(ByteBuffer.self) { admin.append(try Change.decodeVerified(bytes.bytes)) }
            return PostgresRelayStatus(
                changes: Int(totals.changes), quarantined: Int(totals.quarantined), gaps: Int(totals.gaps),
                unwitnessed: Int(totals.unwitnessed),
                equivocators: equivocators, databaseBytes: totals.bytes, devices: devices, admin: admin)
        }
    }
}
