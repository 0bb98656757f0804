import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

/// A child's displayed row in `child_view`: one row from a resolved `ChildRow`, or every touched
/// child's at the end of a rebuild.
extension SQLRecordViews {
    mutating func writeChildRow(_ row: ChildRow) throws {
        func text(_ f: String) -> String? {
            switch row.fields[f] {
            case .text(let t): t
            case .date(let d): d.description
            case .number(let n): String(n)
            default: nil
            }
        }
        var status: StatusFact?
        if case .status(let s) = row.fields["status"] { status = s }
        var grade: Int?
        if case .number(let g) = row.fields["grade"] { grade = g }
        var insert = try DirectInsert(
            db,
            sql: """
                INSERT OR REPLACE INTO child_view (child, name, gender, birth_date, id_number, student_number, hukou_place,
                    residence, guardian_name, guardian_phone, school, grade, class_name, village, status, status_date,
                    status_reason, status_author, conflicts, focus, voided, provisional, merged_into)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        insert.text(row.child.hex)
        let beforeGrade = [
            "name", "gender", "birthDate", "idNumber", "studentNumber", "hukouPlace", "residence", "guardianName", "guardianPhone",
            "school",
        ]
        for field in beforeGrade { insert.text(text(field)) }
        insert.integer(grade)
        for field in ["className", "village"] { insert.text(text(field)) }
        insert.text(status?.status.rawValue)
        insert.text(status?.date.description)
        insert.text(status?.reason)
        insert.text(row.statusAuthor)
        insert.text(row.conflicts.joined(separator: ","))
        insert.text(row.focus.map(\.rawValue).joined(separator: ","))
        for field in ["voided", "provisional", "mergedInto"] { insert.text(text(field).flatMap { $0.isEmpty ? nil : $0 }) }
        try insert.run()
    }

    /// Writes the rows of `children` (ascending by hex) from one ordered pass over the live writes and
    /// focus elements of every child: the same rows `ChildRow.resolve` gives, without a query per child.
    /// A field's state is computed in memory from all its live writes, linear in their number.
    /// This thread reads the next chunk of children and writes the rows of the previous one while the
    /// second core resolves the current one (`ParallelMap.alongside`); rows are written in `children`'s order.
    mutating func writeChildRows(_ children: [RecordID]) throws {
        var writes = try DirectRows(
            db,
            sql: """
                SELECT op, value, hlc, author, field, record, rank FROM rec_write
                WHERE live = 1 AND kind = 'child' ORDER BY record
                """)
        let focus = try Row.fetchCursor(
            db,
            sql: """
                SELECT DISTINCT record, element FROM rec_element
                WHERE live = 1 AND kind = 'child' AND set_name = 'focus' ORDER BY record, element
                """)
        var onWrite = try writes.next()
        var nextFocus = try focus.next()
        var next = children.startIndex
        func readChunk() throws -> [ChildReading] {
            var chunk: [ChildReading] = []
            while chunk.count < Self.childrenPerChunk, next < children.endIndex {
                let child = children[next]
                next += 1
                var reading = ChildReading(child: child)
                let hex = child.hex
                while onWrite {
                    let order = writes.compareText(5, to: hex)
                    if order > 0 { break }
                    if order == 0 { reading.writes.append(StoredWrite(writes)) }
                    onWrite = try writes.next()
                }
                while let row = nextFocus, let record: String = row[0], record <= hex {
                    if record == hex { reading.focus.append(row[1]) }
                    nextFocus = try focus.next()
                }
                chunk.append(reading)
            }
            return chunk
        }
        var read = try readChunk()
        var resolved: [ChildRow] = []
        while !read.isEmpty || !resolved.isEmpty {
            let current = read
            let (following, rows) = try ParallelMap.alongside(
                { Result { try current.map { try $0.row() } } },
                {
                    for row in resolved { try writeChildRow(row) }
                    return try readChunk()
                })
            resolved = try rows.get()
            read = following
        }
    }

    /// Children resolved per chunk of the pipeline.
    static let childrenPerChunk = 2_000
}

/// One child's live writes and focus elements as read from the views, not yet resolved: what crosses
/// from the reading thread to the resolving one.
struct ChildReading: Sendable {
    let child: RecordID
    var writes: [StoredWrite] = []
    var focus: [String] = []

    /// The child's displayed row (`ChildRow.make` over each field's state).
    func row() throws -> ChildRow {
        let list = try writes.map { try $0.registerWrite(kind: .child, record: child) }
        return ChildRow.make(child, states: FieldState.of(list), focus: focus)
    }
}
