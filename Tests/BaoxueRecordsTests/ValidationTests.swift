import BaoxueCore
import BaoxueRecords
import BaoxueTesting
import Foundation
import Testing

@Suite struct ValidationTests {
    /// Record ids compare and hash as their hex bytes: the same id from bytes or text meets itself in a set,
    /// and the order is the hex text's (the order SQLite's `ORDER BY record` gives a rebuild's child rows).
    @Test func recordIDsCompareAndHashAsTheirHex() throws {
        let ids = (0..<200).map { RecordID.derived("child \($0)") }
        let again = try ids.map { try RecordID(hex: $0.hex) } + ids.map { RecordID(bytes: $0.bytes) }
        #expect(Set(ids + again).count == 200)
        #expect(Dictionary((ids + again).map { ($0, 1) }, uniquingKeysWith: +).values.allSatisfy { $0 == 3 })
        #expect(ids.sorted().map(\.hex) == ids.map(\.hex).sorted())
        #expect(ids.sorted().map(\.bytes) == ids.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func residentIDCheckDigitAndBirthDate() throws {
        // 11010519491231002X is the GB 11643 example number.
        let id = try ResidentID("11010519491231002x")
        #expect(id.value == "11010519491231002X")
        #expect(id.birthDate == (try SimpleDate("1949-12-31")))
        #expect(id.gender == .female)
        #expect(id.masked == "1101**********002X")
        #expect(throws: RecordsError.invalidField("idNumber", reason: "check digit does not match")) {
            try ResidentID("110105194912310021")
        }
        #expect(throws: RecordsError.invalidField("idNumber", reason: "must be 18 characters")) { try ResidentID("1101051949123100") }
        let badDate = "1101051949023100" + "1"
        let check = ResidentID.checkCharacter(for: String(badDate.prefix(17)))
        #expect(throws: RecordsError.invalidField("idNumber", reason: "birth date is not a real date")) {
            try ResidentID(String(badDate.prefix(17)) + String(check))
        }
    }

    @Test func phoneNumbers() throws {
        try PhoneNumber.validate("13812345678")
        try PhoneNumber.validate("0315-5123456")
        #expect(throws: RecordsError.self) { try PhoneNumber.validate("12812345678") }
        #expect(throws: RecordsError.self) { try PhoneNumber.validate("1381234567") }
        #expect(throws: RecordsError.self) { try PhoneNumber.validate("138-1234-5678x") }
    }

    @Test func datesAreRealAndArithmeticRoundTrips() throws {
        #expect(throws: RecordsError.self) { try SimpleDate("2025-02-29") }
        #expect(try SimpleDate("2024-02-29").description == "2024-02-29")
        #expect(throws: RecordsError.self) { try SimpleDate("2025-1-05") }
        // Exactly yyyy-MM-dd in ASCII digits: each of these is refused.
        for text in ["", "2025-11-2", "2025-11-200", "2025/11/20", "20251-1-20", "-2025-11-20", "2025-11-20 ", "２０２５-11-20", "2025-1١-20"] {
            #expect(throws: RecordsError.self, "\(text)") { try SimpleDate(text) }
        }
        #expect(throws: RecordsError.self) { try SimpleDate("2025-13-01") }
        #expect(try SimpleDate("2000-01-01").description == "2000-01-01")
        let d = try SimpleDate("2025-11-20")
        #expect(try SimpleDate(dayNumber: d.dayNumber) == d)
        #expect(try d.adding(days: 11).description == "2025-12-01")
        #expect(try SimpleDate(unixMilliseconds: 1_763_568_000_000).description == "2025-11-20")
    }

    @Test func storedValuesReadBackAsWritten() throws {
        let values: [FieldValue] = [
            .text("王小明"), .text(""), .text("a\nb"), .number(-12), .number(0), .date(try SimpleDate("2026-09-01")),
            .status(StatusFact(status: .suspectedDropout, date: try SimpleDate("2026-11-03"), reason: "外出务工，家长称不再上学")),
            .status(StatusFact(status: .enrolled, date: try SimpleDate("2026-11-04"), reason: "")),
        ]
        for value in values { #expect(try FieldValue(storageText: value.storageText) == value) }
        for text in ["", "t", "x\u{1F}a", "n\u{1F}1.5", "d\u{1F}2026-9-01", "s\u{1F}enrolled\u{1F}2026-11-04", "t\u{1F}a\u{1F}b"] {
            #expect(throws: RecordsError.self, "\(text.debugDescription)") { try FieldValue(storageText: text) }
        }
    }

    @Test func closeOutWithoutEvidenceIsRefused() throws {
        let child = RecordID.derived("c")
        let opener = OpID(change: try ChangeID(bytes: [UInt8](repeating: 1, count: 32)), index: 0)
        let noEvidence = RecordOp.closeOut(child: child, ledger: .suspectedDropout, closes: [opener], evidence: [], note: "已返校")
        #expect(throws: RecordsError.closeOutWithoutEvidence) { try noEvidence.validate() }
        let noNote = RecordOp.closeOut(
            child: child, ledger: .suspectedDropout, closes: [opener], evidence: [String(repeating: "a", count: 64)], note: " ")
        #expect(throws: RecordsError.closeOutWithoutEvidence) { try noNote.validate() }
        #expect(throws: RecordsError.closeOutWithoutEvidence) { try RecordPayload(ops: [noEvidence]).encoded() }
    }

    @Test func fieldRulesNameTheField() throws {
        let child = RecordID.derived("c")
        #expect(throws: RecordsError.invalidField("grade", reason: "grade 1–9")) {
            try RecordOp.set(kind: .child, record: child, field: "grade", value: .number(12), pred: []).validate()
        }
        #expect(throws: RecordsError.missingField("name")) {
            try RecordOp.set(kind: .child, record: child, field: "name", value: .text("  "), pred: []).validate()
        }
        #expect(throws: RecordsError.invalidField("shoeSize", reason: "unknown field of child")) {
            try RecordOp.set(kind: .child, record: child, field: "shoeSize", value: .number(3), pred: []).validate()
        }
        #expect(throws: RecordsError.invalidField("focus", reason: "unknown focus group")) {
            try RecordOp.add(kind: .child, record: child, set: "focus", element: "tall").validate()
        }
    }

    @Test func eventsInTheFutureAreRefusedAtTheEdge() throws {
        let e = Event(
            child: RecordID.derived("c"), date: try SimpleDate("2025-11-25"),
            body: .homeTeaching(HomeTeachingSession(classHours: 2, teacher: "李老师", content: "数学")))
        try e.validate()
        try e.validate(signedOn: try SimpleDate("2025-11-24"), toleranceDays: 1)
        #expect(throws: RecordsError.invalidField("date", reason: "in the future")) {
            try e.validate(signedOn: try SimpleDate("2025-11-23"), toleranceDays: 1)
        }
    }

    @Test func hostilePayloadsGiveTypedErrors() throws {
        var rng = SeededGenerator(seed: 5)
        let good = try RecordPayload(ops: [.add(kind: .child, record: RecordID.derived("c"), set: "focus", element: "migrant")]).encoded()
        #expect(try RecordPayload.decode(good).ops.count == 1)
        for round in 0..<5_000 {
            var bytes = good
            for _ in 0...(round % 4) { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            if let decoded = try? RecordPayload.decode(bytes) {
                for op in decoded.ops { _ = try? op.validate() }
            }
        }
        #expect(throws: RecordsError.unreadable(.formatOne, "a format-1 (JSON) payload; Protocol v2 reads format 2 only")) {
            try RecordPayload.decode(Array(#"{"ops":[],"v":1}"#.utf8))
        }
    }

    /// A required name (and a close-out note) of only spaces and tabs is missing; any other
    /// character makes it present — the same answer as trimming `CharacterSet.whitespaces`.
    @Test(arguments: [UInt64(21), 22])
    func blankMeansWhatTrimmingWhitespaceLeavesEmpty(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let pieces = [" ", "\t", "\u{3000}", "\u{00A0}", "\u{2003}", "\u{202F}", "\n", "\u{200B}", "a", "王", "\u{FEFF}", "😀"]
        var blanks = 0
        for n in 0..<500 {
            let text = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                pieces[Int.random(in: 0..<(n % 2 == 0 ? 5 : pieces.count), using: &rng)]
            }.joined()
            let blank = text.trimmingCharacters(in: .whitespaces).isEmpty
            if blank { blanks += 1 }
            let op = RecordOp.set(kind: .child, record: RecordID.derived("c"), field: "name", value: .text(text), pred: [])
            // A tab is a control character, refused in any text; a newline is allowed.
            #expect(((try? op.validate()) == nil) == (blank || text.contains("\t")), "seed \(seed), \(n): \(Array(text.unicodeScalars))")
        }
        #expect(blanks > 50)
    }
}
