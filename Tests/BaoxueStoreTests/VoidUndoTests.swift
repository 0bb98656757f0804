import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// Voiding an op undoes it in every view (records.md §3): a field falls back to what the voided
/// write superseded, a chain through a voided write stays replaced, a voided remove brings the
/// element back, a voided status takes its ledger entry away, and a whole child entered by
/// mistake leaves the lists. Every order of arrival gives the same views, and so does a rebuild.
@Suite struct VoidUndoTests {
    let scope = try! ScopeID("东镇/一小")
    let child = RecordID.derived("void-undo-child")
    let teacher = DeviceKey.generate()

    func change(_ seq: UInt64, _ ops: [RecordOp], day: Int = 0) throws -> Change {
        let ms = UInt64(try SimpleDate("2026-11-02").dayNumber + day) * 86_400_000 + 9 * 3_600_000 + seq
        return try Change.sign(by: teacher, seq: seq, timestamp: try HLCTimestamp(milliseconds: ms, counter: 0), scope: scope, deps: [],
                               payload: try RecordPayload(ops: ops).encoded())
    }

    func status(_ s: ChildStatus, _ day: String, pred: [OpID]) throws -> RecordOp {
        .set(kind: .child, record: child, field: "status", value: .status(StatusFact(status: s, date: try SimpleDate(day), reason: "核实")),
             pred: pred)
    }

    func op(_ c: Change) -> OpID { OpID(change: c.id, index: 0) }

    /// Appends `changes` in every order; returns the logs (all must agree).
    func everyOrder(_ changes: [Change]) throws -> [ChangeLog] {
        func permutations(_ xs: [Change]) -> [[Change]] {
            xs.count <= 1 ? [xs] : xs.indices.flatMap { i in
                permutations(Array(xs[..<i] + xs[(i + 1)...])).map { [xs[i]] + $0 }
            }
        }
        return try permutations(changes).map { order in
            let log = try ChangeLog()
            for c in order { _ = try log.append([c]) }
            return log
        }
    }

    @Test func aVoidedStatusFallsBackToTheOneItReplacedAndItsEntryGoes() throws {
        let enrolled = try change(1, [.set(kind: .child, record: child, field: "name", value: .text("李小红"), pred: []),
                                      try status(.enrolled, "2026-09-01", pred: [])])
        let dropout = try change(2, [try status(.dropout, "2026-11-03", pred: [OpID(change: enrolled.id, index: 1)])], day: 1)
        let void = try change(3, [.void(target: op(dropout), reason: "录错了孩子")], day: 2)
        let logs = try everyOrder([enrolled, dropout, void])
        #expect(logs.count == 6)
        for log in logs {
            let view = try #require(try log.child(child))
            #expect(view.status == .enrolled, "the status the void took back leaves the one it replaced")
            #expect(view.conflicts.isEmpty)
            #expect(try log.ledger(.dropout).isEmpty, "the entry it opened is gone")
            #expect(try log.viewDigests() == logs[0].viewDigests())
        }
        try logs[0].rebuildViews()
        #expect(try logs[0].child(child)?.status == .enrolled)
        #expect(try logs[0].viewDigests() == logs[1].viewDigests(), "a rebuild derives the same views")

        // Without the void the same two changes show the dropout, on the ledger: the test can tell.
        let without = try everyOrder([enrolled, dropout])
        for log in without {
            #expect(try log.child(child)?.status == .dropout)
            #expect(try log.ledger(.dropout).map(\.child) == [child])
        }
    }

    @Test func aVoidInsideAChainLeavesTheLaterWriteShown() throws {
        func grade(_ seq: UInt64, _ g: Int, pred: [Change]) throws -> Change {
            try change(seq, [.set(kind: .child, record: child, field: "grade", value: .number(g), pred: pred.map(op))], day: Int(seq))
        }
        let a = try grade(1, 3, pred: [])
        let b = try grade(2, 4, pred: [a])
        let c = try grade(3, 5, pred: [b])
        let voidB = try change(4, [.void(target: op(b), reason: "年级录错")], day: 5)
        for log in try everyOrder([a, b, c, voidB]) {
            #expect(try log.child(child)?.grade == 5, "c replaced what b had replaced")
            #expect(try log.child(child)?.conflicts == [])
        }
        let voidC = try change(5, [.void(target: op(c), reason: "也录错了")], day: 6)
        let both = try everyOrder([a, b, c, voidB, voidC])
        #expect(both.count == 120)
        for log in both {
            #expect(try log.child(child)?.grade == 3, "with b and c void, a is shown again")
            #expect(try log.viewDigests() == both[0].viewDigests())
        }
    }

    @Test func aVoidedRemoveBringsTheElementBackAndAVoidedAddTakesItAway() throws {
        let add = try change(1, [.add(kind: .child, record: child, set: "focus", element: FocusGroup.leftBehind.rawValue)])
        let remove = try change(2, [.remove(kind: .child, record: child, set: "focus", element: FocusGroup.leftBehind.rawValue,
                                            tags: [op(add)])], day: 1)
        let voidRemove = try change(3, [.void(target: op(remove), reason: "误删")], day: 2)
        for log in try everyOrder([add, remove, voidRemove]) {
            #expect(try log.child(child)?.focus == [FocusGroup.leftBehind.rawValue])
        }
        for log in try everyOrder([add, remove]) { #expect(try log.child(child)?.focus == []) }
        let voidAdd = try change(4, [.void(target: op(add), reason: "不是留守儿童")], day: 3)
        for log in try everyOrder([add, voidAdd]) { #expect(try log.child(child)?.focus == []) }
    }

    @Test func aChildEnteredByMistakeLeavesTheListsAndComesBack() throws {
        let named = try change(1, [.set(kind: .child, record: child, field: "name", value: .text("王误录"), pred: [])])
        let voided = try change(2, [.set(kind: .child, record: child, field: "voided", value: .text("重复录入"), pred: [])], day: 1)
        let log = try ChangeLog()
        _ = try log.append([named, voided])
        #expect(try log.children().isEmpty)
        #expect(try log.child(child)?.voided == "重复录入")
        let restored = try change(3, [.set(kind: .child, record: child, field: "voided", value: .text(""), pred: [op(voided)])], day: 2)
        _ = try log.append([restored])
        #expect(try log.children().map(\.child) == [child])
    }
}
