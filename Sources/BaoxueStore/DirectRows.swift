import Foundation
import GRDB
import GRDBSQLite

/// A SELECT stepped and read through SQLite's C API, for the pass of a rebuild that reads every live write
/// of every child (1.3 million rows for a district): GRDB's `Row` copied each blob through `Data` first.
///
/// Invariant: values are read as the storage class the schema gives the column (text, blob, 64-bit
/// integer); a column read while no row is current reads as NULL. The statement is reset when done.
struct DirectRows {
    private let statement: Statement
    private let handle: OpaquePointer

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    /// Steps to the next row: true on a row, false once the rows are done.
    mutating func next() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        return false
    }

    func text(_ column: Int32) -> String? {
        guard let chars = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: chars, count: count), as: UTF8.self)
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// How the text of `column` orders against `text`, by bytes (memcmp, then length): <0, 0 or >0.
    func compareText(_ column: Int32, to text: String) -> Int {
        let chars = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        var text = text
        return text.withUTF8 { other in
            let common = min(count, other.count)
            guard common > 0, let chars, let start = other.baseAddress else { return count - other.count }
            let order = Int(memcmp(chars, start, common))
            return order != 0 ? order : count - other.count
        }
    }
}
