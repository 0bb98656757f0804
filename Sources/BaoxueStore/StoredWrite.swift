import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

/// A register write as the record views store it (`SELECT op, value, hlc, author, field, record,
/// rank` on `rec_write`), its columns copied out of SQLite: read by the incremental views through
/// GRDB and by the rebuild's reading thread through `DirectRows`, and turned into the merge
/// engine's `RegisterWrite` in one place (`registerWrite`).
struct StoredWrite: Sendable {
    let op: [UInt8], value: String, hlc: Int64, author: [UInt8], field: String, rank: Int64

    init(_ row: DirectRows) {
        op = row.blob(0)
        value = row.text(1) ?? ""
        hlc = row.integer(2)
        author = row.blob(3)
        field = row.text(4) ?? ""
        rank = row.integer(6)
    }

    init(_ row: Row) throws {
        // The blobs are read in place and copied once: a rebuild reads 1.3 M of these.
        op = try row.withUnsafeData(atIndex: 0) { Array($0 ?? Data()) }
        value = row[1]
        hlc = row[2]
        author = try row.withUnsafeData(atIndex: 3) { Array($0 ?? Data()) }
        field = row[4]
        rank = row[6]
    }

    /// The merge engine's view of this write, in `record` of `kind`; a rank of 0 is a field's default.
    func registerWrite(kind: RecordKind, record: RecordID) throws -> RegisterWrite {
        RegisterWrite(
            kind: kind, record: record, field: field, value: try FieldValue(storageText: value), op: try OpID(bytes: op),
            stamp: OpStamp(hlc: try HLCTimestamp(packed: hlc), author: try PublicKey(bytes: author)), isDefault: rank == 0)
    }
}
