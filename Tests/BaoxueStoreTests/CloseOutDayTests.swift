import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Testing

/// A close-out carries no date of its own: its change's clock dates it, by the day in China
/// (UTC+8, records.md §3.1). One made at 02:00 on 1 December Beijing time (18:00 UTC the day
/// before) belongs to December's report, not November's.
@Suite struct CloseOutDayTests {
    let scope = try! ScopeID("丰南区/东镇/一小")
    let child = RecordID.derived("closed-after-midnight")
    let admin = Fixtures.key(0x61)

    func change(_ seq: UInt64, _ ops: [RecordOp], utcMs: UInt64) throws -> Change {
        try Change.sign(
            by: admin, seq: seq, timestamp: try HLCTimestamp(milliseconds: utcMs, counter: 0), scope: scope, deps: [],
            payload: try RecordPayload(ops: ops).encoded())
    }

    func beijing(_ day: String, hour: Int) throws -> UInt64 {
        UInt64(try SimpleDate(day).dayNumber) * 86_400_000 + UInt64(hour) * 3_600_000 - 8 * 3_600_000
    }

    @Test func aCloseOutAfterMidnightInBeijingCountsInTheNewMonth() throws {
        let status = RecordOp.set(
            kind: .child, record: child, field: "status",
            value: .status(StatusFact(status: .suspectedDropout, date: try SimpleDate("2026-11-10"), reason: "缺课")), pred: [])
        let opened = try change(
            1, [.set(kind: .child, record: child, field: "name", value: .text("张小明"), pred: []), status],
            utcMs: try beijing("2026-11-10", hour: 9))
        let log = try ChangeLog()
        _ = try log.append([opened])
        let closeOut = RecordOp.closeOut(
            child: child, ledger: .suspectedDropout, closes: [OpID(change: opened.id, index: 1)],
            evidence: [String(repeating: "ab", count: 32)], note: "已返校")
        _ = try log.append([try change(2, [closeOut], utcMs: try beijing("2026-12-01", hour: 2))])
        func month(_ m: Int) throws -> PeriodFigures {
            try log.periodFigures(
                from: try SimpleDate(year: 2026, month: m, day: 1),
                to: try SimpleDate(year: 2026, month: m, day: SimpleDate.daysIn(month: m, year: 2026)))[0]
        }
        #expect(try (month(11).closedOut, month(11).suspectedOpen) == (0, 1), "still on the ledger at the end of November")
        #expect(try (month(12).closedOut, month(12).suspectedOpen) == (1, 0))
    }
}
