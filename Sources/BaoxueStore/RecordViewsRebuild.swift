import BaoxueCore
import BaoxueRecords
import BaoxueSodium
import Dispatch
import Foundation
import GRDB

/// Drops and re-derives the record views from the applied changes.
///
/// The merge rules are order-independent, so applied changes are replayed
/// in local arrival order without sorting them causally.
enum RecordViewsRebuild {
    static func rebuild(db: Database, merge: RecordMerge?, keys: inout KeyRing, progress: (Int, Int) -> Void = { _, _ in }) throws {
        // A district's views outgrow the usual 64 MiB cache; give the rebuild up to 1 GiB, then shrink back.
        // Before the first DROP: with `secure_delete` every freed page is zeroed and dirty, and a small cache
        // spilled them to the WAL mid-transaction (350 MB for a district), which every later read then
        // searched. The log and the old views are read through a memory map instead of copied into the cache.
        try db.execute(sql: "PRAGMA cache_size = -1048576")
        try db.execute(sql: "PRAGMA mmap_size = 4294967296")
        defer { try? db.execute(sql: "PRAGMA mmap_size = 0") }
        defer { try? db.execute(sql: "PRAGMA cache_size = -65536") }
        for index in RecordViewSchema.lookupIndexNames + RecordViewSchema.resolutionIndexNames {
            try db.execute(sql: "DROP INDEX IF EXISTS \(index)")
        }
        for table in RecordViewSchema.tables { try db.execute(sql: "DELETE FROM \(table.name)") }
        guard let merge else {
            for index in RecordViewSchema.lookupIndexes + RecordViewSchema.resolutionIndexes { try db.execute(sql: index) }
            return
        }
        var views = SQLRecordViews(db: db)
        try db.execute(sql: "DELETE FROM sealed_wait")
        try db.execute(sql: "DELETE FROM attachment_part")
        // Receipts are derived the same way: from the applied changes, in log order.
        try db.execute(sql: "DELETE FROM witness")
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change WHERE state = \(ChangeState.applied.sql)") ?? 0
        let cursor = try Data.fetchCursor(db, sql: "SELECT bytes FROM change WHERE state = \(ChangeState.applied.sql) ORDER BY position")
        var done = 0
        var touched = Set<RecordID>()
        views.isRebuilding = true
        func apply(_ items: inout [Decoded]) throws {
            // Taken from the back of the reversed array, which only this holds: each change is moved out, not
            // copied and released twice.
            let count = items.count
            items.reverse()
            while let item = items.popLast() {
                if item.change.isWitnessReceipt { try WitnessTable.record(item.change, db: db) }
                switch try keys.route(item.change) {
                case .plain: touched.formUnion(try merge.apply(item.change, checked: item.payload, to: &views))
                case .opened(let payload): touched.formUnion(try merge.apply(item.change, decoded: payload, to: &views))
                case .waiting(let keyID): try keys.wait(item.change, on: keyID)
                case .grant, .transfer, .departure: break
                case .attachmentPart(let part): try keys.note(part, in: item.change)
                }
            }
            done += count
            progress(done, total)
        }
        func nextChunk() throws -> [[UInt8]] {
            var chunk: [[UInt8]] = []
            chunk.reserveCapacity(chunkSize)
            while chunk.count < chunkSize, let bytes = try cursor.next() { chunk.append(Array(bytes)) }
            return chunk
        }
        // The first chunk is decoded on both cores; after that each chunk is decoded on the second core
        // while this thread writes the one before it (decoding is a sixth of the loop's work).
        var decoded = try decode(try nextChunk(), threads: 2, merge: merge).get()
        while !decoded.isEmpty {
            let encoded = try nextChunk()
            let (_, next) = try ParallelMap.alongside({ decode(encoded, threads: 1, merge: merge) }, { try apply(&decoded) })
            decoded = try next.get()
        }
        // Each child's row once, from its final writes: the indexes that resolve fields first, the
        // rows in key order, then the indexes of the rows (sorted once instead of kept row by row).
        let childViewIndexes = RecordViewSchema.lookupIndexes.filter { $0.contains(" ON child_view(") }
        for index in RecordViewSchema.resolutionIndexes + RecordViewSchema.lookupIndexes where !childViewIndexes.contains(index) {
            try db.execute(sql: index)
        }
        try views.writeChildRows(touched.sorted { $0.hex < $1.hex })
        for index in childViewIndexes { try db.execute(sql: index) }
        // The absence openers of every child, in one pass once every absence and leave is in
        // (after the indexes: the pass finds amendments through `rec_event_amends`).
        try views.insertAllAbsenceOpeners(book: merge.policyBook(&views))
    }

    /// Changes read from the log per chunk: the unit of progress and of the decoding pipeline.
    static let chunkSize = 10_000

    /// A stored change and its record payload, decoded and checked off the writing thread.
    struct Decoded: Sendable {
        let change: Change
        let payload: CheckedPayload
    }

    /// Decodes stored changes and their record payloads, and checks their ops, on `threads` cores, in order.
    static func decode(_ encoded: [[UInt8]], threads: Int, merge: RecordMerge) -> Result<[Decoded], StoreError> {
        let n = encoded.count
        var out = ParallelMap.map(count: n, threads: min(threads, max(1, n / 256))) { i -> Decoded? in
            guard let change = try? Change.decodeVerified(encoded[i]) else { return nil }
            let payload = Result { () throws(RecordsError) in try RecordPayload.decode(change.payload) }
            return Decoded(change: change, payload: merge.check(change, decoded: payload))
        }
        var items: [Decoded] = []
        items.reserveCapacity(n)
        for i in 0..<n {
            guard let item = out[i].take() else { return .failure(.database(code: -1, message: "stored change \(i) unreadable")) }
            items.append(item)
        }
        return .success(items)
    }

    /// BLAKE2b-256 of every row of every view table, in primary-key order. Each value is
    /// written as `N|`, `I<decimal>|`, `D<decimal>|`, `S<utf8 length>:<text>|` or `B<hex>|`,
    /// each row ends with a newline. Appended byte by byte: the simulator digests every
    /// device's views, and a string per value was most of that time.
    static func digest(db: Database) throws -> [String: String] {
        var out: [String: String] = [:]
        for table in RecordViewSchema.tables {
            var bytes: [UInt8] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table.name) ORDER BY \(table.order)")
            while let row = try rows.next() {
                for i in 0..<row.count {
                    let value: DatabaseValue = row[i]
                    switch value.storage {
                    case .null: bytes.append(contentsOf: [UInt8(ascii: "N"), UInt8(ascii: "|")])
                    case .int64(let v):
                        bytes.append(UInt8(ascii: "I"))
                        appendDecimal(v, to: &bytes)
                        bytes.append(UInt8(ascii: "|"))
                    case .double(let v): bytes += Array("D\(v)|".utf8)
                    case .string(let v):
                        bytes.append(UInt8(ascii: "S"))
                        appendDecimal(Int64(v.utf8.count), to: &bytes)
                        bytes.append(UInt8(ascii: ":"))
                        bytes.append(contentsOf: v.utf8)
                        bytes.append(UInt8(ascii: "|"))
                    case .blob(let v):
                        bytes.append(UInt8(ascii: "B"))
                        Hex.append(v, to: &bytes)
                        bytes.append(UInt8(ascii: "|"))
                    }
                }
                bytes.append(0x0a)
            }
            out[table.name] = Hex.encode(Blake2b.hash(bytes))
        }
        return out
    }

    /// `v` in decimal, as `"\(v)"` writes it: digits appended lowest first, then reversed in place.
    private static func appendDecimal(_ v: Int64, to bytes: inout [UInt8]) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        let start = bytes.count
        var magnitude = v.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }
}

extension ChangeLog {
    /// Drops and re-derives every record view from the change log in one
    /// transaction; `progress(done, total)` reports every chunk of 10,000 changes.
    public func rebuildViews(progress: @escaping (Int, Int) -> Void = { _, _ in }) throws(StoreError) {
        try storeCall {
            try writer.write { db in
                var keys = KeyRing(db: db, secrets: secrets, reader: reader)
                try RecordViewsRebuild.rebuild(db: db, merge: merge, keys: &keys, progress: progress)
                if merge != nil { try db.execute(sql: "UPDATE view_state SET lagging = 0") }
            }
        }
    }

    /// A digest per view table: equal digests mean byte-identical tables.
    public func viewDigests() throws(StoreError) -> [String: String] {
        try storeCall { try readDB { db in try RecordViewsRebuild.digest(db: db) } }
    }
}
