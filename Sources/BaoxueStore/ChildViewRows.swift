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
        for child in children {
            let hex = child.hex
            var list: [RegisterWrite] = []
            while onWrite {
                let order = writes.compareText(5, to: hex)
                if order > 0 { break }
                if order == 0 { list.append(try Self.write(writes, record: child)) }
                onWrite = try writes.next()
            }
            var elements: [String] = []
            while let row = nextFocus, let record: String = row[0], record <= hex {
                if record == hex { elements.append(row[1]) }
                nextFocus = try focus.next()
            }
            try writeChildRow(ChildRow.make(child, states: FieldState.of(list), focus: elements))
        }
    }

    /// A child's register write from the current row of `SELECT op, value, hlc, author, field, record, rank`.
    private static func write(_ row: DirectRows, record: RecordID) throws -> RegisterWrite {
        RegisterWrite(
            kind: .child, record: record, field: row.text(4) ?? "", value: try FieldValue(storageText: row.text(1) ?? ""),
            op: try OpID(bytes: row.blob(0)),
            stamp: OpStamp(hlc: try HLCTimestamp(packed: row.integer(2)), author: try PublicKey(bytes: row.blob(3))),
            isDefault: row.integer(6) == 0)
    }
}
