import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// Day-by-day absences through the store: three one-day records put the child on the ledger as
/// one three-day record does, whatever order they arrive in; a leave arriving later for the middle
/// day, or a void of it, takes the child off again; the month's report counts one entry.
@Suite struct AbsenceLedgerTests {
    let scope = try! ScopeID("东镇/一小")
    let child = RecordID.derived("daily-absent-child")

    func change(_ key: DeviceKey, _ seq: UInt64, _ op: RecordOp, day: String) throws -> Change {
        let ms = UInt64(try SimpleDate(day).dayNumber) * 86_400_000 + 9 * 3_600_000
        return try Change.sign(by: key, seq: seq, timestamp: try HLCTimestamp(milliseconds: ms, counter: 0), scope: scope, deps: [],
                               payload: try RecordPayload(ops: [op]).encoded())
    }

    func absence(_ day: String) throws -> RecordOp {
        .event(Event(child: child, date: try SimpleDate(day), body: .absence(Absence(from: try SimpleDate(day), to: try SimpleDate(day),
                                                                                      schoolDays: 1, excused: false))))
    }

    @Test func oneDayRecordsInAnyOrderOpenOneEntryAndALeaveOrAVoidClosesIt() throws {
        let teacher = DeviceKey.generate()
        let days = ["2026-11-06", "2026-11-09", "2026-11-10"] // Friday, Monday, Tuesday
        let name = RecordOp.set(kind: .child, record: child, field: "name", value: .text("张小明"), pred: [])
        let named = try change(teacher, 10, name, day: "2026-09-01")
        let daily = try days.enumerated().map { try change(teacher, UInt64($0.offset + 1), try absence($0.element), day: $0.element) }
        let a = try ChangeLog(), b = try ChangeLog()
        for c in [named] + daily { _ = try a.append([c]) }
        for c in daily.reversed() + [named] { _ = try b.append([c]) }
        for log in [a, b] { #expect(try log.ledger(.suspectedDropout).map(\.child) == [child]) }
        #expect(try a.viewDigests() == b.viewDigests(), "the same views whatever the order")
        let november = try a.periodFigures(from: try SimpleDate("2026-11-01"), to: try SimpleDate("2026-11-30"))
        #expect(november.map(\.ledgerOpened).reduce(0, +) == 1, "one entry, not three")

        // Two days alone open nothing.
        let two = try ChangeLog()
        for c in daily.prefix(2) { _ = try two.append([c]) }
        #expect(try two.ledger(.suspectedDropout).isEmpty)

        // A leave for Monday, recorded later, breaks the run.
        let leave = RecordOp.event(Event(child: child, date: try SimpleDate("2026-11-09"),
                                         body: .leave(Leave(from: try SimpleDate("2026-11-09"), to: try SimpleDate("2026-11-09"),
                                                            reason: "病假", approvedBy: "班主任"))))
        _ = try a.append([try change(teacher, 11, leave, day: "2026-11-11")])
        #expect(try a.ledger(.suspectedDropout).isEmpty, "Monday was on leave")

        // On b, voiding Monday's absence does the same.
        let void = RecordOp.void(target: OpID(change: daily[1].id, index: 0), reason: "录入错误")
        _ = try b.append([try change(teacher, 11, void, day: "2026-11-11")])
        #expect(try b.ledger(.suspectedDropout).isEmpty, "Monday's absence was a mistake")
        try b.rebuildViews()
        #expect(try b.ledger(.suspectedDropout).isEmpty, "and stays so after a rebuild")
    }
}
