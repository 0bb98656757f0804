import BaoxueCore
import BaoxueLog
import Logging
import PostgresNIO

/// A relay cluster's enrollment desk in PostgreSQL (`relay_enrollment_desk`), shared by every process:
/// a request left at one process is seen, decided and collected at any other.
///
/// The desk's rules are the relay's (`EnrollmentDesk`); this type runs them in one SERIALIZABLE
/// transaction together with the rows and the trust facts they read, and commits what they wrote
/// before their answer goes out. So two processes deciding on one request at once never both act
/// (PostgreSQL aborts one, which reruns on what the other committed), and an answer a device or an
/// admin was given is never lost to a crash.
public struct PostgresDesk: Sendable {
    public let log: PostgresLog
    public let trust: PostgresTrust

    public init(log: PostgresLog, trust: PostgresTrust) {
        self.log = log
        self.trust = trust
    }

    /// What the desk's rules did to its rows.
    public enum Write: Sendable, Equatable {
        /// Inserts the row of its subject, or replaces it.
        case keep(EnrollmentDeskRow)
        case drop(PublicKey)
    }

    /// Runs `rules` over the trust facts as of this transaction and every held row, then writes what it
    /// returned, in one SERIALIZABLE transaction (again from the start after a conflict with another
    /// process). Returns `rules`' answer once committed; an error `rules` throws rolls everything back.
    public func run<T: Sendable>(
        _ rules: @escaping @Sendable (TrustBook, [EnrollmentDeskRow]) throws -> (T, [Write])
    ) async throws -> T {
        let (logger, start) = (log.logger, trust.current)
        let (answer, book) = try await log.transaction(isolation: "SERIALIZABLE") { connection in
            let book = try await PostgresTrust.caughtUp(start, connection: connection, logger: logger)
            let (answer, writes) = try rules(book, try await Self.rows(connection, logger))
            for write in writes {
                switch write {
                case .keep(let row):
                    try await connection.query(
                        """
                        INSERT INTO relay_enrollment_desk (subject, request, received_at, decision, decided_at)
                        VALUES (\(row.subject.bytes.buffer), \(row.request.buffer), \(Int64(clamping: row.receivedAt)),
                                \(row.decision?.buffer), \(row.decidedAt.map { Int64(clamping: $0) }))
                        ON CONFLICT (subject) DO UPDATE SET request = EXCLUDED.request, received_at = EXCLUDED.received_at,
                            decision = EXCLUDED.decision, decided_at = EXCLUDED.decided_at
                        """, logger: logger)
                case .drop(let subject):
                    try await connection.query(
                        "DELETE FROM relay_enrollment_desk WHERE subject = \(subject.bytes.buffer)", logger: logger)
                }
            }
            return (answer, book)
        }
        trust.adopt(book)
        return answer
    }

    /// Every held row; one whose subject is not a key (a doctored table) is left out, not served.
    static func rows(_ connection: PostgresConnection, _ logger: Logger) async throws -> [EnrollmentDeskRow] {
        var rows: [EnrollmentDeskRow] = []
        let query = try await connection.query(
            "SELECT subject, request, received_at, decision, decided_at FROM relay_enrollment_desk", logger: logger)
        for try await (subject, request, receivedAt, decision, decidedAt) in query.decode(
            (ByteBuffer, ByteBuffer, Int64, ByteBuffer?, Int64?).self)
        {
            guard let key = try? PublicKey(bytes: subject.bytes) else { continue }
            rows.append(
                EnrollmentDeskRow(
                    subject: key, request: request.bytes, receivedAt: UInt64(clamping: receivedAt), decision: decision?.bytes,
                    decidedAt: decidedAt.map { UInt64(clamping: $0) }))
        }
        return rows
    }

    /// A device as the cluster last saw it: its latest session at any process, and what was stored in
    /// its scopes since.
    public struct Served: Sendable, Equatable {
        public let device: PublicKey
        public let scopes: [ScopeID]
        /// When its latest session ended (ms).
        public let lastSeenMs: UInt64
        /// Changes by others in its scopes (each covering its sub-scopes) that the serving process had
        /// not read when that session ended (`relay_session.seen_below`): at least what it lacks, and
        /// perhaps a few it was given in that session.
        public let behind: Int
        /// The HLC milliseconds of the oldest of them.
        public let oldestUnseenMs: UInt64?
    }

    /// Every device with a session on record to which `scopes` (given the trust facts, caught up)
    /// grants scopes, with how far behind it is.
    public func served(scopes: @escaping @Sendable (TrustBook, PublicKey) -> [ScopeID]?) async throws -> [Served] {
        let (logger, start) = (log.logger, trust.current)
        let (served, book) = try await log.transaction(isolation: "REPEATABLE READ READ ONLY") { connection in
            let book = try await PostgresTrust.caughtUp(start, connection: connection, logger: logger)
            var seen: [PublicKey: (scopes: [ScopeID], lastSeenMs: UInt64)] = [:]
            var devices: [ByteBuffer] = []
            var scopeColumn: [String] = []
            var since: [String] = []
            let latest = try await connection.query(
                """
                SELECT DISTINCT ON (device) device, (extract(epoch FROM ended_at) * 1000)::bigint, seen_below::text
                FROM relay_session WHERE device IS NOT NULL ORDER BY device, ended_at DESC
                """, logger: logger)
            for try await (device, lastSeen, below) in latest.decode((ByteBuffer, Int64, String?).self) {
                guard let key = try? PublicKey(bytes: device.bytes), let granted = scopes(book, key) else { continue }
                let own = granted.filter { $0 != .admin }
                seen[key] = (own, UInt64(clamping: lastSeen))
                for scope in own {
                    devices.append(device)
                    scopeColumn.append(scope.value)
                    since.append(below ?? "0")
                }
            }
            var lag: [PublicKey: (Int, UInt64?)] = [:]
            let lags = try await connection.query(
                """
                SELECT d.device, count(c.position), min(c.hlc)
                FROM unnest(\(devices)::bytea[], \(scopeColumn)::text[], \(since)::text[]) AS d(device, scope, since)
                LEFT JOIN log_change c ON c.txid >= d.since::xid8 AND c.author <> d.device
                    AND (c.scope = d.scope OR starts_with(c.scope, d.scope || '/'))
                GROUP BY d.device
                """, logger: logger)
            for try await (device, count, oldest) in lags.decode((ByteBuffer, Int64, Int64?).self) {
                guard let key = try? PublicKey(bytes: device.bytes) else { continue }
                lag[key] = (Int(count), oldest.map { UInt64(bitPattern: $0) >> 16 })
            }
            let served = seen.map { key, device in
                Served(
                    device: key, scopes: device.scopes, lastSeenMs: device.lastSeenMs, behind: lag[key]?.0 ?? 0,
                    oldestUnseenMs: lag[key]?.1)
            }
            return (served, book)
        }
        trust.adopt(book)
        return served
    }
}
