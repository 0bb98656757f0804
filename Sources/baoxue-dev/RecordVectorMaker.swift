import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import Foundation

/// Writes `Protocol/vectors/records.json`: payloads of format 2 with every op kind, every
/// event kind, every value type and every status, each given both as bytes and as a neutral
/// description (`RecordVectorDescription`) from which `check_vectors.py` re-encodes them;
/// and unreadable payloads with the fault code every reader reports.
enum RecordVectorMaker {
    static let child = try! RecordID(hex: "00112233445566778899aabbccddeeff")
    static let caseFile = try! RecordID(hex: "0f0e0d0c0b0a09080706050403020100")
    static let survey = try! RecordID(hex: "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
    static func op(_ n: UInt8, _ i: UInt16 = 0) -> OpID { OpID(change: try! ChangeID(bytes: [UInt8](repeating: n, count: 32)), index: i) }
    static func hash(_ n: UInt8) -> String { Hex.encode([UInt8](repeating: n, count: 32)) }

    static func valid() throws -> [(String, [RecordOp])] {
        let d = try SimpleDate("2026-11-20"), d2 = try SimpleDate("2026-11-24")
        func ev(_ body: EventBody, child: RecordID? = child, subject: RecordID? = nil) -> RecordOp {
            .event(Event(child: child, subject: subject, date: d, body: body))
        }
        return [
            ("set text: a child's name", [.set(kind: .child, record: child, field: "name", value: .text("王小明"), pred: [])]),
            ("set number, settling two values",
             [.set(kind: .child, record: child, field: "grade", value: .number(7), pred: [op(2, 1), op(1, 3)])]),
            ("set date", [.set(kind: .child, record: child, field: "birthDate", value: .date(try SimpleDate("2012-02-29")), pred: [])]),
            ("set status, every status value", try ChildStatus.allCases.map { s in
                .set(kind: .child, record: child, field: "status",
                     value: .status(StatusFact(status: s, date: d, reason: "核实：\(s.chinese)")), pred: [])
            }),
            ("every field of every record kind", try RecordKind.allCases.flatMap { kind in try Schema.fields(of: kind).map { f in
                .set(kind: kind, record: child, field: f, value: try sample(kind, f), pred: [])
            } }),
            ("registry defaults, one superseding another", [
                .registryDefault(kind: .child, record: child, field: "name", value: .text("罗小花"), pred: []),
                .registryDefault(kind: .child, record: child, field: "status",
                                 value: .status(StatusFact(status: .enrolled, date: d, reason: "学籍导入")), pred: [op(2), op(1, 3)]),
            ]),
            ("add and remove in a set", [
                .add(kind: .child, record: child, set: "focus", element: "leftBehind"),
                .remove(kind: .child, record: child, set: "focus", element: "poverty", tags: [op(3), op(4, 2)]),
                .add(kind: .caseFile, record: caseFile, set: "responsible", element: "villageHead:李村长"),
            ]),
            ("visit with every optional field and evidence", [ev(.visit(Visit(
                participants: ["张老师", "村干部 李"], location: "东村 3 组", householdFound: true, childSeen: false, spokeTo: "祖母",
                reasonOut: "外出打工", agreed: "下周一返校\n家长送", nextContact: d2, evidence: [hash(0x22), hash(0x11)])), subject: caseFile)]),
            ("visit with no optional field",
             [ev(.visit(Visit(participants: ["Zoë"], householdFound: false, childSeen: false, spokeTo: "", agreed: "")))]),
            ("absence, leave, home teaching, letter", [
                ev(.absence(Absence(from: d, to: d2, schoolDays: 3, excused: false))),
                ev(.leave(Leave(from: d, to: d2, reason: "病假", approvedBy: "班主任"))),
                ev(.homeTeaching(HomeTeachingSession(classHours: 2, teacher: "刘老师", content: "语文"))),
                ev(.verificationLetter(VerificationLetter(sentTo: "某县教育局", reason: "户籍在外地"))),
            ]),
            ("persuasion and follow-up name their case", [
                ev(.persuasion(PersuasionAttempt(method: "家访", outcome: .agreedToReturn, note: "")), subject: caseFile),
                ev(.followUp(FollowUp(months: 3, attending: true, note: "在校")), subject: caseFile),
            ]),
            ("household check without a child",
             [ev(.householdCheck(HouseholdCheck(address: "西村 12 号", childrenFound: 2, finding: .noStudentRegistration)),
                 child: nil, subject: survey)]),
            ("an amendment", [.event(Event(child: child, date: d2, body: .leave(Leave(from: d, to: d, reason: "销假", approvedBy: "班主任")),
                                           amends: op(5, 1), amendReason: "提前返校"))]),
            ("void and close-out", [
                .void(target: op(6), reason: "录入错误"),
                .closeOut(child: child, ledger: .dropout, closes: [op(8), op(7, 9)], evidence: [hash(0xee), hash(0x01)], note: "已返校 30 天"),
            ]),
        ]
    }

    static func sample(_ kind: RecordKind, _ field: String) throws -> FieldValue {
        switch (kind, field) {
        case (.child, "birthDate"), (.survey, "date"): return .date(try SimpleDate("2014-09-01"))
        case (.child, "grade"): return .number(3)
        case (.child, "status"): return .status(StatusFact(status: .enrolled, date: try SimpleDate("2026-09-01"), reason: "开学"))
        case (.child, "gender"): return .text("female")
        case (.child, "idNumber"): return .text("11010519491231002X")
        case (.child, "guardianPhone"), (.household, "phone"): return .text("13800138000")
        case (.caseFile, "reason"): return .text("work")
        case (.caseFile, "placement"): return .text("vocational")
        case (.caseFile, "child"): return .text(child.hex)
        case (.child, "mergedInto"): return .text(survey.hex)
        default: return .text("\(field) 示例")
        }
    }

    /// Child ids under a registry key (§1.10); a lower-case check character gives the same id.
    static func registryIDs() throws -> [[String: Any]] {
        let key = try RegistryKey(bytes: (0..<32).map { UInt8($0) })
        return [
            ["key": Hex.encode(key.bytes), "id_number": "11010519491231002X", "id": key.child(idNumber: "11010519491231002X").hex],
            ["key": Hex.encode(key.bytes), "id_number": "11010519491231002x", "id": key.child(idNumber: "11010519491231002x").hex],
            ["key": Hex.encode(key.bytes), "student_number": "G130207201403010012",
             "id": key.child(studentNumber: "G130207201403010012").hex],
        ]
    }

    static func make() throws -> String {
        var vectors: [[String: Any]] = []
        for (name, ops) in try valid() {
            let bytes = try RecordPayload(ops: ops).encoded()
            let back = try RecordPayload.decode(bytes)
            vectors.append(["name": name, "hex": Hex.encode(bytes), "ops": back.ops.map(RecordVectorDescription.describe)])
        }
        let doc: [String: Any] = [
            "about": "Protocol/records.md §1: record payload format 2. `ops` describes each payload's ops (records.md §1.8); "
                + "check_vectors.py re-encodes them from the spec and decodes every `hex`. Invalid payloads carry the fault (§1.9).",
            "valid": vectors,
            "invalid": try RecordInvalidVectors.make(),
            "registry_ids": try registryIDs(),
        ]
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
