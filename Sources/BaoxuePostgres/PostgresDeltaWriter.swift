import BaoxueCore
import BaoxueLog
import Logging
import NIOCore
import PostgresNIO

/// Commits one `LogDelta` in set-wise statements inside the caller's transaction, in the order
/// `LogDelta` prescribes; staged positions become the positions PostgreSQL gives the new rows.
struct PostgresDeltaWriter {
    let connection: PostgresConnection
    let logger: Logger

    /// A row the delta inserts was inserted by another process since this transaction read it
    /// (the transaction must run again).
    struct Raced: Error {}

    func write(_ delta: LogDelta) async throws {
        var real: [LogPosition: LogPosition] = [:]
        if !delta.inserted.isEmpty { real = try await insert(delta.inserted) }
        func map(_ position: LogPosition) -> Int64 { (real[position] ?? position).value }
        if !delta.states.isEmpty {
            let states = delta.states.sorted { $0.key < $1.key }
            let codes = states.map { Int16($0.value.rawValue) }
            try await connection.query(
                """
                UPDATE log_change c SET state = s.state
                FROM unnest(\(states.map(\.key.value))::bigint[], \(codes)::smallint[]) AS s(position, state)
                WHERE c.position = s.position
                """, logger: logger)
        }
        if !delta.cleared.isEmpty {
            try await connection.query(
                "DELETE FROM log_waiting WHERE position = ANY(\(delta.cleared.map(\.value).sorted())::bigint[])", logger: logger)
        }
        let waits = delta.waits.sorted { $0.key < $1.key }.flatMap { position, deps in deps.map { (map(position), $0) } }
        if !waits.isEmpty {
            try await connection.query(
                """
                INSERT INTO log_waiting (position, dep)
                SELECT * FROM unnest(\(waits.map(\.0))::bigint[], \(waits.map(\.1.bytes.buffer))::bytea[])
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        try await writeHolds(delta.holds)
        let forgotten = delta.reasons.filter { $0.value == nil }.keys.map(map).sorted()
        if !forgotten.isEmpty {
            try await connection.query("DELETE FROM log_quarantine WHERE position = ANY(\(forgotten)::bigint[])", logger: logger)
        }
        let reasons = delta.reasons.compactMap { position, reason in reason.map { (position, $0) } }.sorted { $0.0 < $1.0 }
        if !reasons.isEmpty {
            try await connection.query(
                """
                INSERT INTO log_quarantine (position, reason)
                SELECT * FROM unnest(\(reasons.map { map($0.0) })::bigint[], \(reasons.map(\.1.code))::text[])
                ON CONFLICT (position) DO UPDATE SET reason = excluded.reason
                """, logger: logger)
        }
    }

    /// Inserts in the rules' order (positions grow in that order) and returns staged → real.
    private func insert(_ inserted: [(change: Change, state: ChangeState, staged: LogPosition)]) async throws -> [LogPosition: LogPosition]
    {
        let changes = inserted.map(\.change)
        let rows = try await connection.query(
            """
            INSERT INTO log_change (id, author, seq, hlc, scope, state, bytes)
            SELECT id, author, seq, hlc, scope, state, bytes
            FROM unnest(\(changes.map(\.id.bytes.buffer))::bytea[], \(changes.map(\.author.bytes.buffer))::bytea[],
                        \(changes.map { Int64($0.seq) })::bigint[], \(changes.map(\.timestamp.packed))::bigint[],
                        \(changes.map(\.scope.value))::text[], \(inserted.map { Int16($0.state.rawValue) })::smallint[],
                        \(changes.map(\.encoded.buffer))::bytea[])
                 WITH ORDINALITY AS n(id, author, seq, hlc, scope, state, bytes, ord)
            ORDER BY ord
            ON CONFLICT (id) DO NOTHING
            RETURNING id, position
            """, logger: logger)
        var positions: [ChangeID: LogPosition] = [:]
        for try await (id, position) in rows.decode((ByteBuffer, Int64).self) {
            positions[try ChangeID(bytes: id.bytes)] = LogPosition(position)
        }
        guard positions.count == inserted.count else { throw Raced() }
        var real: [LogPosition: LogPosition] = [:]
        var cited: [ByteBuffer] = []
        var citing: [Int64] = []
        for entry in inserted {
            let position = positions[entry.change.id]!
            real[entry.staged] = position
            for dep in entry.change.deps {
                cited.append(dep.bytes.buffer)
                citing.append(position.value)
            }
        }
        if !cited.isEmpty {
            try await connection.query(
                "INSERT INTO log_dep (dep, position) SELECT * FROM unnest(\(cited)::bytea[], \(citing)::bigint[])", logger: logger)
        }
        return real
    }

    private func writeHolds(_ holds: [PublicKey: UInt64?]) async throws {
        let set = holds.compactMap { key, seq in seq.map { (key, Int64($0)) } }.sorted { $0.0 < $1.0 }
        let lifted = holds.filter { $0.value == nil }.keys.sorted()
        if !set.isEmpty {
            try await connection.query(
                """
                INSERT INTO log_author (key, held_from)
                SELECT * FROM unnest(\(set.map(\.0.bytes.buffer))::bytea[], \(set.map(\.1))::bigint[])
                ON CONFLICT (key) DO UPDATE SET held_from = excluded.held_from
                """, logger: logger)
        }
        if !lifted.isEmpty {
            try await connection.query(
                "UPDATE log_author SET held_from = NULL WHERE key = ANY(\(lifted.map(\.bytes.buffer))::bytea[])", logger: logger)
        }
    }

    /// Records who witnessed what (`log_witness`) from receipts stored in this transaction.
    func witnessed(_ receipts: [Change]) async throws {
        var changes: [ByteBuffer] = []
        var relays: [ByteBuffer] = []
        var ids: [ByteBuffer] = []
        var at: [Int64] = []
        for receipt in receipts {
            guard let decoded = try? WitnessReceipt.decode(receipt.payload) else { continue }
            for id in decoded.ids {
                changes.append(id.bytes.buffer)
                relays.append(receipt.author.bytes.buffer)
                ids.append(receipt.id.bytes.buffer)
                at.append(Int64(receipt.timestamp.milliseconds))
            }
        }
        guard !changes.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO log_witness (change, relay, receipt, at)
            SELECT * FROM unnest(\(changes)::bytea[], \(relays)::bytea[], \(ids)::bytea[], \(at)::bigint[])
            ON CONFLICT (change) DO NOTHING
            """, logger: logger)
    }
}
