import GRDB
import GRDBSQLite

/// An INSERT bound and run through SQLite's C API, for the inserts the merge engine runs once per register
/// write, once per event and once per child row (a district's rebuild runs them 2 million times): GRDB's
/// argument array, value boxes and per-statement bookkeeping were two fifths of their cost.
///
/// Invariant: each value is bound with the storage class GRDB would give it (text, blob, 64-bit integer,
/// NULL), so rows are byte-identical whichever path wrote them; the statement is reset and its bindings
/// cleared after every run, failed or not. Only for statements that return no rows and don't begin or end
/// a transaction: nothing here observes tables row by row (the codebase uses no GRDB observation).
struct DirectInsert {
    private let statement: Statement
    private let handle: OpaquePointer
    private var next: Int32 = 1

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    /// SQLite copies the bytes before the bind returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            // An empty text stays text (a nil base address would bind NULL).
            _ = bytes.withMemoryRebound(to: CChar.self) { chars in
                chars.baseAddress.map { sqlite3_bind_text(handle, next, $0, Int32(chars.count), Self.transient) }
                    ?? sqlite3_bind_text(handle, next, "", 0, Self.transient)
            }
        }
        next += 1
    }

    mutating func text(_ value: String?) {
        if let value { text(value) } else { null() }
    }

    mutating func blob(_ bytes: [UInt8]) {
        // An empty blob stays a blob (a nil base address would bind NULL).
        bytes.withUnsafeBytes { raw in
            _ =
                raw.isEmpty
                ? sqlite3_bind_zeroblob(handle, next, 0)
                : sqlite3_bind_blob(handle, next, raw.baseAddress, Int32(raw.count), Self.transient)
        }
        next += 1
    }

    mutating func blob(_ bytes: [UInt8]?) {
        if let bytes { blob(bytes) } else { null() }
    }

    mutating func integer(_ value: Int64) {
        sqlite3_bind_int64(handle, next, value)
        next += 1
    }

    mutating func integer(_ value: Int?) {
        if let value { integer(Int64(value)) } else { null() }
    }

    mutating func null() {
        sqlite3_bind_null(handle, next)
        next += 1
    }

    /// Runs the statement once with the values bound since the last run.
    mutating func run() throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            next = 1
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}
