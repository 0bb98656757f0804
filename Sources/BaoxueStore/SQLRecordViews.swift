import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

/// The merge engine's storage in SQLite: the record view tables, written
/// in the same transaction that applies the change.
struct SQLRecordViews: RecordViewStorage {
    let db: Database

    init(db: Database) { self.db = db }

    private func blob(_ op: OpID) -> Data { Data(op.bytes) }

    mutating func insertWrite(_ w: RegisterWrite) throws {
        var insert = try DirectInsert(
            db,
            sql: """
                INSERT OR IGNORE INTO rec_write (op, kind, record, field, value, hlc, author, live, rank)
                VALUES (?, ?, ?, ?, ?, ?, ?, NOT EXISTS (SELECT 1 FROM rec_superseded WHERE op = ?), ?)
                """)
        let op = w.op.bytes
        insert.blob(op)
        insert.text(w.kind.rawValue)
        insert.text(w.record.hex)
        insert.text(w.field)
        insert.text(w.value.storageText)
        insert.integer(w.stamp.hlc.packed)
        insert.blob(w.stamp.author.bytes)
        insert.blob(op)
        insert.integer(w.isDefault ? 0 : 1)
        try insert.run()
    }

    mutating func supersede(_ ops: [OpID], by: OpID) throws {
        for op in ops {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO rec_superseded (op, by_op) VALUES (?, ?)").execute(arguments: [
                blob(op), blob(by),
            ])
            try db.cachedStatement(sql: "UPDATE rec_write SET live = 0 WHERE op = ? AND live = 1").execute(arguments: [blob(op)])
        }
    }

    mutating func liveWrites(kind: RecordKind, records: [RecordID]) throws -> [RecordID: [RegisterWrite]] {
        var out: [RecordID: [RegisterWrite]] = [:]
        for chunk in Self.chunks(of: records) {
            let rows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT op, value, hlc, author, field, record, rank FROM rec_write
                        WHERE record IN (\(Self.placeholders(chunk.count))) AND live = 1 AND kind = ?
                        """),
                arguments: StatementArguments(chunk.map(\.hex) + [kind.rawValue])
            )
            let byHex = Dictionary(chunk.map { ($0.hex, $0) }, uniquingKeysWith: { a, _ in a })
            while let row = try rows.next() {
                guard let record = byHex[row[5]] else { continue }
                out[record, default: []].append(try Self.write(row, kind: kind, record: record))
            }
        }
        return out
    }

    /// Rows of `rec_write` read to resolve fields (a measure of work for the tests and benchmarks).
    private(set) var writesRead = 0
    /// Live writes per record above which a chunk's fields are resolved one by one through the indexes.
    static let bulkWritesPerRecord = 32

    /// Reads a chunk's live writes at once while they are few (a roster's children have one per
    /// field); past `bulkWritesPerRecord` per record on average (counted on the index), finds
    /// each field with live writes by one seek and resolves it with three more (the shown write,
    /// a live value below it, one above it): O(log n) however many concurrent writes the field
    /// holds, where reading them all made N concurrent writes O(N²).
    mutating func fieldStates(kind: RecordKind, records: [RecordID]) throws -> [RecordID: [String: FieldState]] {
        var out: [RecordID: [String: FieldState]] = [:]
        for chunk in Self.chunks(of: records) {
            let limit = chunk.count * Self.bulkWritesPerRecord
            // Counted on the index alone, up to one past the limit.
            let live =
                try Int.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT COUNT(*) FROM (SELECT 1 FROM rec_write INDEXED BY rec_write_shown
                                                  WHERE record IN (\(Self.placeholders(chunk.count))) AND live = 1 LIMIT ?)
                            """), arguments: StatementArguments(chunk.map(\.hex) + [limit + 1])) ?? 0
            writesRead += live
            if live > limit {
                for record in chunk {
                    var field = ""
                    while let next = try String.fetchOne(
                        db.cachedStatement(
                            sql: """
                                SELECT field FROM rec_write INDEXED BY rec_write_shown
                                WHERE record = ? AND live = 1 AND field > ? ORDER BY field LIMIT 1
                                """), arguments: [record.hex, field])
                    {
                        field = next
                        if let state = try fieldState(kind: kind, record: record, field: field) { out[record, default: [:]][field] = state }
                    }
                }
                continue
            }
            // Few: read them all (at most `limit`, as just counted) and resolve them in memory.
            for (record, list) in try liveWrites(kind: kind, records: Array(chunk)) {
                writesRead += list.count
                out[record] = FieldState.of(list)
            }
        }
        return out
    }

    private mutating func fieldState(kind: RecordKind, record: RecordID, field: String) throws -> FieldState? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT op, value, hlc, author, field, record, rank FROM rec_write INDEXED BY rec_write_shown
                        WHERE record = ? AND field = ? AND live = 1 AND kind = ? ORDER BY rank DESC, hlc DESC, author DESC, op DESC LIMIT 1
                        """), arguments: [record.hex, field, kind.rawValue])
        else { return nil }
        writesRead += 1
        let shown = try Self.write(row, kind: kind, record: record)
        let value: String = row[1]
        let other =
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM rec_write INDEXED BY rec_write_value
                                       WHERE record = ?1 AND field = ?2 AND rank = ?5 AND live = 1 AND value < ?3 AND kind = ?4)
                            OR EXISTS (SELECT 1 FROM rec_write INDEXED BY rec_write_value
                                       WHERE record = ?1 AND field = ?2 AND rank = ?5 AND live = 1 AND value > ?3 AND kind = ?4)
                        """), arguments: [record.hex, field, value, kind.rawValue, shown.isDefault ? 0 : 1]) ?? false
        writesRead += 2
        return FieldState(shown: shown, conflicted: other)
    }

    static func write(_ row: Row, kind: RecordKind, record: RecordID) throws -> RegisterWrite {
        try StoredWrite(row).registerWrite(kind: kind, record: record)
    }

    /// Distinct records in groups small enough for one statement's parameters.
    private static func chunks(of records: [RecordID]) -> [ArraySlice<RecordID>] {
        var seen = Set<RecordID>()
        let distinct = records.filter { seen.insert($0).inserted }
        return stride(from: 0, to: distinct.count, by: 64).map { distinct[$0..<min($0 + 64, distinct.count)] }
    }

    private static func placeholders(_ n: Int) -> String {
        Array(repeating: "?", count: n).joined(separator: ",")
    }

    mutating func insertElement(kind: RecordKind, record: RecordID, set: String, element: String, tag: OpID) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO rec_element (tag, kind, record, set_name, element, live)
                VALUES (?, ?, ?, ?, ?, NOT EXISTS (SELECT 1 FROM rec_removed WHERE tag = ?))
                """
        ).execute(arguments: [blob(tag), kind.rawValue, record.hex, set, element, blob(tag)])
    }

    mutating func removeTags(_ tags: [OpID], by: OpID) throws {
        for tag in tags {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO rec_removed (tag, by_op) VALUES (?, ?)").execute(arguments: [
                blob(tag), blob(by),
            ])
            try db.cachedStatement(sql: "UPDATE rec_element SET live = 0 WHERE tag = ? AND live = 1").execute(arguments: [blob(tag)])
        }
    }

    mutating func elements(kind: RecordKind, records: [RecordID], set: String) throws -> [RecordID: [String]] {
        var out: [RecordID: [String]] = [:]
        for chunk in Self.chunks(of: records) {
            let rows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT DISTINCT record, element FROM rec_element
                        WHERE record IN (\(Self.placeholders(chunk.count))) AND set_name = ? AND live = 1 AND kind = ? ORDER BY record,
                            element
                        """),
                arguments: StatementArguments(chunk.map(\.hex) + [set, kind.rawValue])
            )
            let byHex = Dictionary(chunk.map { ($0.hex, $0) }, uniquingKeysWith: { a, _ in a })
            while let row = try rows.next() {
                guard let record = byHex[row[0]] else { continue }
                out[record, default: []].append(row[1])
            }
        }
        return out
    }

    mutating func isVoided(_ op: OpID) throws -> Bool {
        let sql = "SELECT EXISTS (SELECT 1 FROM rec_void WHERE target = ?)"
        return try Bool.fetchOne(db.cachedStatement(sql: sql), arguments: [blob(op)]) ?? false
    }

    mutating func successors(of op: OpID) throws -> [OpID] {
        try Self.ops(db, "SELECT by_op FROM rec_superseded WHERE op = ? ORDER BY by_op", [blob(op)])
    }

    mutating func predecessors(of op: OpID) throws -> [OpID] {
        try Self.ops(db, "SELECT op FROM rec_superseded INDEXED BY rec_superseded_by WHERE by_op = ? ORDER BY op", [blob(op)])
    }

    /// Whether a void is stored, once known: asked once per change, it is read once per batch or rebuild
    /// (only `insertVoid` adds one, within this storage's transaction; a void taken out later leaves it
    /// true, which only makes `Liveness` look where it finds nothing to do).
    private var voidStored: Bool?

    /// Forgets whether a void is stored (after a rebuild wrote the views through another storage).
    mutating func rereadVoids() { voidStored = nil }

    mutating func anyVoid() throws -> Bool {
        if let voidStored { return voidStored }
        let stored = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM rec_void)")) ?? false
        voidStored = stored
        return stored
    }

    mutating func voidsAround(write op: OpID, preds: [OpID]) throws -> Bool {
        for candidate in [op] + preds where try isVoided(candidate) { return true }
        return try Bool.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT EXISTS (SELECT 1 FROM rec_superseded s JOIN rec_void v ON v.target = s.by_op WHERE s.op = ?)
                    """), arguments: [blob(op)]) ?? false
    }

    mutating func setWriteLive(_ op: OpID, _ live: Bool) throws -> Liveness.Change? {
        try setLive(table: "rec_write", key: "op", op, live)
    }

    mutating func removers(of tag: OpID) throws -> [OpID] {
        try Self.ops(db, "SELECT by_op FROM rec_removed WHERE tag = ? ORDER BY by_op", [blob(tag)])
    }

    mutating func removedTags(by op: OpID) throws -> [OpID] {
        try Self.ops(db, "SELECT tag FROM rec_removed INDEXED BY rec_removed_by WHERE by_op = ? ORDER BY tag", [blob(op)])
    }

    mutating func setTagLive(_ tag: OpID, _ live: Bool) throws -> Liveness.Change? {
        try setLive(table: "rec_element", key: "tag", tag, live)
    }

    /// Sets the live flag of the row `key` = `op` in `table`; its record when the flag changed.
    private func setLive(table: String, key: String, _ op: OpID, _ live: Bool) throws -> Liveness.Change? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT kind, record, live FROM \(table) WHERE \(key) = ?"),
                arguments: [blob(op)]),
            (row[2] as Bool) != live
        else { return nil }
        try db.cachedStatement(sql: "UPDATE \(table) SET live = ? WHERE \(key) = ?").execute(arguments: [live, blob(op)])
        return try Self.change(row)
    }

    private static func change(_ row: Row) throws -> Liveness.Change {
        guard let kind = RecordKind(rawValue: row[0]) else { throw RecordsError.invalidField("kind", reason: "unknown record kind") }
        return Liveness.Change(kind: kind, record: try RecordID(hex: row[1]))
    }

    private static func ops(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> [OpID] {
        try Data.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { try OpID(bytes: Array($0)) }
    }

    mutating func insertEvent(_ e: Event, op: OpID, stamp: OpStamp) throws {
        var insert = try DirectInsert(
            db,
            sql: """
                INSERT OR IGNORE INTO rec_event (op, kind, child, subject, date, starts, ends, amount, code, body, amends, hlc, author)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        insert.blob(op.bytes)
        insert.text(e.body.kind)
        insert.text(e.child?.hex)
        insert.text(e.subject?.hex)
        insert.text(e.date.description)
        insert.text(e.body.span?.from.description)
        insert.text(e.body.span?.to.description)
        insert.integer(e.body.amount)
        insert.text(e.body.code)
        insert.blob(try e.encoded())
        insert.blob(e.amends?.bytes)
        insert.integer(stamp.hlc.packed)
        insert.blob(stamp.author.bytes)
        try insert.run()
    }

    mutating func insertVoid(target: OpID, op: OpID, reason: String, stamp: OpStamp) throws {
        voidStored = true
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO rec_void (target, op, reason, hlc, author) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [blob(target), blob(op), reason, stamp.hlc.packed, Data(stamp.author.bytes)])
    }

    mutating func insertLedgerOpener(ledger: Ledger, child: RecordID, op: OpID, date: SimpleDate) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO rec_opener (op, ledger, child, date) VALUES (?, ?, ?, ?)")
            .execute(arguments: [blob(op), ledger.rawValue, child.hex, date.description])
    }

    mutating func removeLedgerOpener(_ op: OpID) throws {
        try db.cachedStatement(sql: "DELETE FROM rec_opener WHERE op = ?").execute(arguments: [blob(op)])
    }

    mutating func attendance(child: RecordID) throws -> [AbsenceRuns.Record] {
        let sql = "SELECT \(Self.attendanceColumns) WHERE child = ? AND \(Self.attendanceInForce)"
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [child.hex]).map(Self.attendanceRecord)
    }

    /// Every child's absence openers at once, from one pass over the absences and leaves in force
    /// (a rebuild, where none exist yet; `AbsenceRuns` per child, as `RecordMerge` would give).
    mutating func insertAllAbsenceOpeners(book: PolicyBook) throws {
        // In table order (a sequential read), grouped here: ordering by child would visit the rows at random.
        let rows = try Row.fetchCursor(db, sql: "SELECT \(Self.attendanceColumns) WHERE child IS NOT NULL AND \(Self.attendanceInForce)")
        var byChild: [String: [AbsenceRuns.Record]] = [:]
        while let row = try rows.next() { byChild[row[5], default: []].append(try Self.attendanceRecord(row)) }
        for hex in byChild.keys.sorted() {
            let child = try RecordID(hex: hex)
            let openers = AbsenceRuns.openers(byChild[hex]!) { book.policy(for: $0, on: $1).unexcusedAbsenceDaysForLedger }
            for (op, date) in openers.sorted(by: { $0.key < $1.key }) {
                try insertLedgerOpener(ledger: .suspectedDropout, child: child, op: op, date: date)
            }
        }
    }

    private static let attendanceColumns = """
        op, starts, ends, amount, code, child, (SELECT c.scope FROM change c WHERE c.id = substr(e.op, 1, 32)) FROM rec_event e
        """
    private static let attendanceInForce = """
        kind IN ('absence', 'leave') AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = e.op)
          AND NOT EXISTS (SELECT 1 FROM rec_event a WHERE a.amends = e.op AND NOT EXISTS (SELECT 1 FROM rec_void w WHERE w.target = a.op))
        """

    /// An absence or leave from the event columns, without reading the stored body: a leave has no
    /// `code`, an excused absence the code `excused`; only an unexcused one counts its school days.
    private static func attendanceRecord(_ row: Row) throws -> AbsenceRuns.Record {
        AbsenceRuns.Record(
            op: try OpID(bytes: Array(row[0] as Data)), from: try SimpleDate(row[1] as String),
            to: try SimpleDate(row[2] as String), unexcusedSchoolDays: (row[4] as String?) == "unexcused" ? row[3] : nil,
            scope: (row[6] as String?).flatMap { try? ScopeID($0) })
    }

    mutating func districtPolicies() throws -> [PolicyBook.Entry] {
        try ChangeLog.districtPolicies(db)
    }

    mutating func absenceOpeners(child: RecordID) throws -> Set<OpID> {
        Set(
            try Data.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT o.op FROM rec_opener o JOIN rec_event e ON e.op = o.op WHERE o.child = ? AND e.kind = 'absence'
                        """), arguments: [child.hex]
            ).map { try OpID(bytes: Array($0)) })
    }

    /// Set by a rebuild, which derives every child's absence openers in one pass at its end
    /// (`insertAllAbsenceOpeners`) instead of once per absence.
    var isRebuilding = false

    mutating func eventKind(of op: OpID) throws -> (child: RecordID?, kind: EventKind)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT child, kind FROM rec_event WHERE op = ?"), arguments: [blob(op)]),
            let kind = EventKind(rawValue: row[1])
        else { return nil }
        return (try (row[0] as String?).map { try RecordID(hex: $0) }, kind)
    }

    mutating func insertCloseOut(
        child: RecordID, ledger: Ledger, closes: [OpID], evidence: [String], note: String, op: OpID, stamp: OpStamp
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO rec_closeout (op, child, ledger, evidence, note, hlc, author) VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            blob(op), child.hex, ledger.rawValue, evidence.joined(separator: ","), note, stamp.hlc.packed, Data(stamp.author.bytes),
        ])
        for opener in closes {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO rec_closed (opener, by_op) VALUES (?, ?)").execute(arguments: [
                blob(opener), blob(op),
            ])
        }
    }

    mutating func reject(_ op: OpID, reason: String, stamp: OpStamp) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO rec_rejected (op, reason, hlc, author) VALUES (?, ?, ?, ?)")
            .execute(arguments: [blob(op), reason, stamp.hlc.packed, Data(stamp.author.bytes)])
    }
}
