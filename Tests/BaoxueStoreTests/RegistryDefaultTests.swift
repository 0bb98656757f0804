import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// Registry imports write defaults (records.md §3, issue 21 §5): two teachers importing the same
/// roster create no conflict, a person's concurrent value wins over an import's without a conflict,
/// and two registries that disagree are still a conflict for a person to settle. Every order alike.
@Suite struct RegistryDefaultTests {
    let scope = try! ScopeID("东镇/一小")
    let child = RecordID.derived("registry-default-child")
    let teacherA = DeviceKey.generate(), teacherB = DeviceKey.generate(), liaison = DeviceKey.generate()

    func change(_ key: DeviceKey, _ seq: UInt64, _ ops: [RecordOp], minute: UInt64) throws -> Change {
        let ms = UInt64(try SimpleDate("2026-11-02").dayNumber) * 86_400_000 + minute * 60_000
        return try Change.sign(by: key, seq: seq, timestamp: try HLCTimestamp(milliseconds: ms, counter: 0), scope: scope, deps: [],
                               payload: try RecordPayload(ops: ops).encoded())
    }

    func imported(_ key: DeviceKey, name: String, village: String, minute: UInt64) throws -> Change {
        let enrolled = StatusFact(status: .enrolled, date: try SimpleDate("2026-09-01"), reason: "学籍导入")
        return try change(key, 1, [
            .registryDefault(kind: .child, record: child, field: "name", value: .text(name), pred: []),
            .registryDefault(kind: .child, record: child, field: "village", value: .text(village), pred: []),
            .registryDefault(kind: .child, record: child, field: "status", value: .status(enrolled), pred: []),
        ], minute: minute)
    }

    /// The logs after `changes` arrive in three orders (as given, reversed, shuffled by a fixed seed); their views agree.
    func inEveryOrder(_ changes: [Change]) throws -> [ChangeLog] {
        var rng = SeededGenerator(seed: 21)
        let logs = try [changes, changes.reversed(), changes.shuffled(using: &rng)].map { order in
            let log = try ChangeLog()
            for c in order { _ = try log.append([c]) }
            return log
        }
        #expect(Set(try logs.map { try $0.viewDigests() }).count == 1, "the same views in every order")
        return logs
    }

    @Test func twoImportsOfOneRosterAgreeAndAPersonsValueWins() throws {
        let a = try imported(teacherA, name: "罗小花", village: "河东村", minute: 60)
        let b = try imported(teacherB, name: "罗小花", village: "河东村", minute: 600)
        for log in try inEveryOrder([a, b]) {
            #expect(try log.child(child)?.conflicts == [], "the same roster twice: no conflict")
            #expect(try log.child(child)?.status == .enrolled)
        }
        // The liaison, not having seen either import, writes where the family really lives.
        let moved = try change(liaison, 1, [.set(kind: .child, record: child, field: "village", value: .text("河西村"), pred: [])], minute: 30)
        for log in try inEveryOrder([a, b, moved]) {
            #expect(try log.conflicts().isEmpty, "a person's value wins over a registry's without a conflict")
            let row = try log.read { s throws(StoreError) in try s.childRow(child) }
            #expect(row.fields["village"] == .text("河西村"), "even though written before both imports")
        }
        // Without the default marker the same three writes are a conflict: the test can tell.
        let plainA = try change(teacherA, 1, [.set(kind: .child, record: child, field: "village", value: .text("河东村"), pred: [])],
            minute: 60)
        for log in try inEveryOrder([plainA, moved]) { #expect(try log.child(child)?.conflicts == ["village"]) }
    }

    @Test func registriesThatDisagreeAreAConflictUntilAPersonSettlesIt() throws {
        let a = try imported(teacherA, name: "罗小花", village: "河东村", minute: 60)
        let b = try imported(teacherB, name: "罗晓花", village: "河东村", minute: 600)
        for log in try inEveryOrder([a, b]) { #expect(try log.child(child)?.conflicts == ["name"]) }
        let log = try ChangeLog()
        _ = try log.append([a, b])
        let values = try log.read { s throws(StoreError) in try s.liveValues(kind: .child, record: child, field: "name") }
        #expect(Set(values.map(\.value)) == [.text("罗小花"), .text("罗晓花")])
        // The teacher checks the 户口本 and writes the name: the conflict is settled, whatever defaults remain.
        let settled = try change(liaison, 1, [.set(kind: .child, record: child, field: "name", value: .text("罗晓花"), pred: [])], minute: 700)
        _ = try log.append([settled])
        #expect(try log.child(child)?.conflicts == [])
        #expect(try log.child(child)?.name == "罗晓花")
    }

    @Test func aRegistryMayNotPutAChildOnALedgerOrVoidIt() throws {
        let dropout = StatusFact(status: .dropout, date: try SimpleDate("2026-11-01"), reason: "导入")
        #expect(throws: RecordsError.invalidField("status", reason: "a ledger status is not set by a registry")) {
            try RecordOp.registryDefault(kind: .child, record: child, field: "status", value: .status(dropout), pred: []).validate()
        }
        #expect(throws: RecordsError.invalidField("voided", reason: "not set by a registry")) {
            try RecordOp.registryDefault(kind: .child, record: child, field: "voided", value: .text("x"), pred: []).validate()
        }
    }

    /// Past 32 live writes a field is resolved through the index seeks (records.md §3), which must
    /// rank a person's write above the defaults exactly as the in-memory rule does.
    @Test func manyImportsAndOnePersonResolveAlikeThroughTheSeeks() throws {
        let importers = (0..<40).map { _ in DeviceKey.generate() }
        func village(_ key: DeviceKey, _ value: String, minute: UInt64, person: Bool = false) throws -> Change {
            let op: RecordOp = person ? .set(kind: .child, record: child, field: "village", value: .text(value), pred: [])
                : .registryDefault(kind: .child, record: child, field: "village", value: .text(value), pred: [])
            return try change(key, 1, [op], minute: minute)
        }
        let same = try importers.enumerated().map { try village($0.element, "河东村", minute: UInt64($0.offset)) }
        let log = try ChangeLog()
        _ = try log.append(same)
        #expect(try log.child(child)?.conflicts == [], "40 imports of one value")
        _ = try log.append([try village(liaison, "河西村", minute: 1, person: true)])
        let row = try log.read { s throws(StoreError) in try s.childRow(child) }
        #expect(row.fields["village"] == .text("河西村") && row.conflicts.isEmpty,
            "the person value, no conflict: \(row.fields) \(row.conflicts)")
        let other = try ChangeLog()
        _ = try other.append(same + [try village(teacherA, "河北村", minute: 100)])
        #expect(try other.child(child)?.conflicts == ["village"], "41 imports that disagree")
    }
}
