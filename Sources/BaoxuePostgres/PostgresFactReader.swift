import BaoxueCore
import BaoxueLog
import Logging
import NIOCore
import PostgresNIO

/// Reads what the log's rules need (`LogNeed`) from PostgreSQL into `LogFacts`, one statement per
/// kind of need, inside the caller's transaction (so the facts are the transaction's own view).
struct PostgresFactReader {
    let connection: PostgresConnection
    let logger: Logger

    func fetch(_ needs: [LogNeed], into facts: inout LogFacts) async throws {
        var authors: [PublicKey] = []
        var slots: [(PublicKey, UInt64)] = []
        var ids: [ChangeID] = []
        var positions: [LogPosition] = []
        var deps: [LogWait] = []
        var cited: [ChangeID] = []
        for need in needs {
            switch need {
            case .author(let key): authors.append(key)
            case .seq(let key, let seq): slots.append((key, seq))
            case .id(let id): ids.append(id)
            case .position(let position): positions.append(position)
            case .waiters(let dep): deps.append(dep)
            case .authorFrom(let key, let seq): try await fetchChanges(of: key, from: seq, into: &facts)
            case .anyPending: try await fetchAnyPending(into: &facts)
            case .citing(let id): cited.append(id)
            }
        }
        if !authors.isEmpty { try await fetchAuthors(authors, into: &facts) }
        if !slots.isEmpty { try await fetchSlots(slots, into: &facts) }
        if !ids.isEmpty { try await fetchIDs(ids, into: &facts) }
        if !positions.isEmpty { try await fetchPositions(positions, into: &facts) }
        if !deps.isEmpty { try await fetchWaiters(deps, into: &facts) }
        if !cited.isEmpty { try await fetchCiting(cited, into: &facts) }
    }

    /// Who cites each id among its deps (`log_dep`).
    private func fetchCiting(_ ids: [ChangeID], into facts: inout LogFacts) async throws {
        var found: [ChangeID: [LogPosition]] = [:]
        let rows = try await connection.query(
            "SELECT dep, position FROM log_dep WHERE dep = ANY(\(ids.map(\.bytes.buffer))::bytea[])", logger: logger)
        for try await (dep, position) in rows.decode((ByteBuffer, Int64).self) {
            found[try ChangeID(bytes: dep.bytes), default: []].append(LogPosition(position))
        }
        for id in ids { facts.citing(id, are: found[id] ?? []) }
    }

    private func fetchAuthors(_ keys: [PublicKey], into facts: inout LogFacts) async throws {
        var found: [PublicKey: LogAuthor] = [:]
        let rows = try await connection.query(
            """
            SELECT k.key, a.held_from, (SELECT max(c.seq) FROM log_change c WHERE c.author = k.key)
            FROM unnest(\(keys.map(\.bytes.buffer))::bytea[]) AS k(key) LEFT JOIN log_author a ON a.key = k.key
            """, logger: logger)
        for try await (key, held, stored) in rows.decode((ByteBuffer, Int64?, Int64?).self) {
            found[try PublicKey(bytes: key.bytes)] = LogAuthor(heldFrom: held.map(UInt64.init), storedSeq: UInt64(stored ?? 0))
        }
        for key in keys { facts.author(key, is: found[key] ?? LogAuthor()) }
    }

    private func fetchSlots(_ slots: [(PublicKey, UInt64)], into facts: inout LogFacts) async throws {
        var found: [PublicKey: [UInt64: [ChangeID]]] = [:]
        let rows = try await connection.query(
            """
            SELECT c.author, c.seq, c.id FROM log_change c
            JOIN unnest(\(slots.map(\.0.bytes.buffer))::bytea[], \(slots.map { Int64($0.1) })::bigint[]) AS s(author, seq)
              ON c.author = s.author AND c.seq = s.seq
            ORDER BY c.position
            """, logger: logger)
        for try await (author, seq, id) in rows.decode((ByteBuffer, Int64, ByteBuffer).self) {
            found[try PublicKey(bytes: author.bytes), default: [:]][UInt64(seq), default: []].append(try ChangeID(bytes: id.bytes))
        }
        for (key, seq) in slots { facts.ids(author: key, seq: seq, are: found[key]?[seq] ?? []) }
    }

    private static let rowColumns = "c.position, c.id, c.seq, c.state, q.reason, c.scope, c.hlc"
    typealias RowValues = (Int64, ByteBuffer, Int64, Int16, String?, String, Int64)

    private func row(_ values: RowValues) throws -> LogFacts.Row {
        guard let state = ChangeState(rawValue: Int(values.3)) else { throw PostgresLogError.corruptRow("state \(values.3)") }
        guard let scope = try? ScopeID(values.5) else { throw PostgresLogError.corruptRow("scope \(values.5)") }
        return LogFacts.Row(
            position: LogPosition(values.0), id: try ChangeID(bytes: values.1.bytes), seq: UInt64(values.2), state: state,
            reason: values.4.map(QuarantineReason.init(code:)), scope: scope, hlc: values.6)
    }

    private func fetchIDs(_ ids: [ChangeID], into facts: inout LogFacts) async throws {
        var found: [ChangeID: LogFacts.Row] = [:]
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.rowColumns) FROM log_change c LEFT JOIN log_quarantine q ON q.position = c.position
            WHERE c.id = ANY(\(ids.map(\.bytes.buffer))::bytea[])
            """, logger: logger)
        for try await values in rows.decode(RowValues.self) {
            let row = try row(values)
            found[row.id] = row
        }
        for id in ids { facts.id(id, is: found[id]) }
    }

    private func fetchPositions(_ positions: [LogPosition], into facts: inout LogFacts) async throws {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.rowColumns), c.bytes FROM log_change c
            LEFT JOIN log_quarantine q ON q.position = c.position WHERE c.position = ANY(\(positions.map(\.value))::bigint[])
            """, logger: logger)
        let types = (Int64, ByteBuffer, Int64, Int16, String?, String, Int64, ByteBuffer).self
        for try await (p, id, seq, state, reason, scope, hlc, bytes) in rows.decode(types) {
            let row = try row((p, id, seq, state, reason, scope, hlc))
            facts.position(row.position, holds: try Self.change(bytes, id: row.id), as: row)
        }
    }

    /// Who waits on each dep, with the waiting changes themselves: the rules read them next.
    private func fetchWaiters(_ deps: [LogWait], into facts: inout LogFacts) async throws {
        var found: [LogWait: [LogPosition]] = [:]
        let rows = try await connection.query(
            """
            SELECT w.dep, \(unescaped: Self.rowColumns), c.bytes FROM log_waiting w
            JOIN log_change c ON c.position = w.position LEFT JOIN log_quarantine q ON q.position = c.position
            WHERE w.dep = ANY(\(deps.map(\.bytes.buffer))::bytea[])
            """, logger: logger)
        for try await (dep, p, id, seq, state, reason, scope, hlc, bytes) in rows.decode(
            (ByteBuffer, Int64, ByteBuffer, Int64, Int16, String?, String, Int64, ByteBuffer).self)
        {
            let row = try row((p, id, seq, state, reason, scope, hlc))
            guard let wait = LogWait(bytes: dep.readableBytesView) else {
                throw PostgresLogError.corruptRow("waiting on \(dep.readableBytes) bytes")
            }
            found[wait, default: []].append(row.position)
            facts.position(row.position, holds: try Self.change(bytes, id: row.id), as: row)
        }
        for dep in deps { facts.waiters(on: dep, are: found[dep] ?? []) }
    }

    private func fetchChanges(of author: PublicKey, from seq: UInt64, into facts: inout LogFacts) async throws {
        var found: [LogFacts.Row] = []
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.rowColumns) FROM log_change c LEFT JOIN log_quarantine q ON q.position = c.position
            WHERE c.author = \(author.bytes.buffer) AND c.seq >= \(Int64(seq))
            """, logger: logger)
        for try await values in rows.decode(RowValues.self) { found.append(try row(values)) }
        facts.changes(of: author, from: seq, are: found)
    }

    private func fetchAnyPending(into facts: inout LogFacts) async throws {
        let rows = try await connection.query(
            "SELECT EXISTS (SELECT 1 FROM log_change WHERE state = \(unescaped: ChangeState.pending.sql))", logger: logger)
        for try await (pending) in rows.decode(Bool.self) { facts.anyPending(pending) }
    }

    /// A stored change, checked again: the database is another process's file, not this one's memory.
    static func change(_ bytes: ByteBuffer, id: ChangeID) throws -> Change {
        do { return try Change.decode(bytes.bytes, expectedID: id) } catch {
            throw PostgresLogError.corruptRow("change \(id.short): \(error)")
        }
    }
}

extension Array where Element == UInt8 {
    var buffer: ByteBuffer { ByteBuffer(bytes: self) }
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}
