import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// A child found without papers is a provisional record, merged into the registry record once its ID
/// number is known (records.md §3.3): from the merge on its ledger entry, statuses and events count
/// under the registry child; a report for a month that ended before the merge is unchanged; a void
/// of the merge undoes it.
@Suite struct ProvisionalChildTests {
    let scope = try! ScopeID("丰南区/东镇/一小")
    let registry = RecordID.derived("registry-child")
    let provisional = RecordID.derived("provisional-child")
    let teacher = Fixtures.key(0x51)

    /// `unchecked`: signed as a hostile peer would, without the rules an honest writer applies.
    func change(_ seq: UInt64, _ ops: [RecordOp], on day: String, unchecked: Bool = false) throws -> Change {
        let ms = UInt64(try SimpleDate(day).dayNumber) * 86_400_000 + 2 * 3_600_000
        let payload = unchecked ? try RecordPayload(ops: ops).encodedUnchecked() : try RecordPayload(ops: ops).encoded()
        return try Change.sign(
            by: teacher, seq: seq, timestamp: try HLCTimestamp(milliseconds: ms, counter: 0), scope: scope, deps: [],
            payload: payload)
    }

    func set(_ child: RecordID, _ field: String, _ value: FieldValue) -> RecordOp {
        .set(kind: .child, record: child, field: field, value: value, pred: [])
    }

    func status(_ child: RecordID, _ s: ChildStatus, _ day: String) throws -> RecordOp {
        set(child, "status", .status(StatusFact(status: s, date: try SimpleDate(day), reason: "核实")))
    }

    /// What the two records hold before any merge: the registry child enrolled since September, the
    /// provisional one found by the survey in November, on the suspected ledger, visited once.
    func history() throws -> [Change] {
        let visit = RecordOp.event(
            Event(
                child: provisional, date: try SimpleDate("2026-11-05"),
                body: .visit(
                    Visit(participants: ["张老师"], householdFound: true, childSeen: true, spokeTo: "奶奶", agreed: "下周返校"))))
        return [
            try change(
                1,
                [
                    set(registry, "name", .text("罗小花")), set(registry, "school", .text("一小")),
                    try status(registry, .enrolled, "2026-09-01"),
                ], on: "2026-09-01"),
            try change(
                2,
                [
                    set(provisional, "name", .text("罗小花")), set(provisional, "provisional", .text("摸排：东村3组12号")),
                    set(provisional, "school", .text("一小")), try status(provisional, .suspectedDropout, "2026-11-03"),
                ],
                on: "2026-11-03"),
            try change(3, [visit], on: "2026-11-05"),
        ]
    }

    func month(_ log: ChangeLog, _ m: Int) throws -> PeriodFigures {
        let last = SimpleDate.daysIn(month: m, year: 2026)
        let figures = try log.periodFigures(
            from: try SimpleDate(year: 2026, month: m, day: 1), to: try SimpleDate(year: 2026, month: m, day: last))
        #expect(figures.count == 1)
        return figures[0]
    }

    @Test func aMergeMovesTheHistoryUnderTheRegistryChildFromItsDayOn() throws {
        let log = try ChangeLog()
        _ = try log.append(try history())
        let november = try month(log, 11)
        // The oracle, from the ops above: two children of 一小 in November, one entry opened and open, one visit.
        #expect((november.children, november.ledgerOpened, november.suspectedOpen, november.visits) == (2, 1, 1, 1))
        #expect(try log.ledger(.suspectedDropout).map(\.child) == [provisional])

        let merge = try change(4, [set(provisional, "mergedInto", .text(registry.hex))], on: "2026-12-02")
        _ = try log.append([merge])
        #expect(try month(log, 11) == november, "November ended before the merge: its report is unchanged")
        let december = try month(log, 12)
        #expect(
            (december.children, december.ledgerOpened, december.suspectedOpen, december.visits) == (1, 0, 1, 0),
            "one child now, its entry still open since November, under the registry child")
        #expect(try log.ledger(.suspectedDropout).map(\.child) == [registry])
        #expect(try log.ledger(.suspectedDropout, asOf: try SimpleDate("2026-11-30")).map(\.child) == [provisional])
        #expect(try log.children().map(\.child) == [registry], "the merged record leaves the lists")
        #expect(try log.findChildren("罗小花").map(\.child) == [registry])
        #expect(try log.mergedChildren(into: registry) == [provisional])
        #expect(try log.canonicalChild(provisional) == registry)
        #expect(try log.ledgerHistory(child: registry).map(\.opened.description) == ["2026-11-03"])
        #expect(try log.child(provisional)?.mergedInto == registry && log.child(provisional)?.provisional == "摸排：东村3组12号")
        let digests = try log.viewDigests()
        try log.rebuildViews()
        #expect(try log.viewDigests() == digests)

        // A void of the merge undoes it.
        _ = try log.append([try change(5, [.void(target: OpID(change: merge.id, index: 0), reason: "不是同一人")], on: "2026-12-03")])
        #expect(try log.ledger(.suspectedDropout).map(\.child) == [provisional])
        #expect(try log.children().count == 2)
        #expect(try month(log, 12).children == 2)
    }

    @Test func aChildIsNeverMergedIntoItselfNorBySomeRegistryImport() throws {
        let log = try ChangeLog()
        _ = try log.append(try history())
        _ = try log.append([
            try change(4, [set(provisional, "mergedInto", .text(provisional.hex))], on: "2026-12-02", unchecked: true),
            try change(
                5, [.registryDefault(kind: .child, record: provisional, field: "mergedInto", value: .text(registry.hex), pred: [])],
                on: "2026-12-02", unchecked: true),
            try change(6, [set(provisional, "mergedInto", .text("not an id"))], on: "2026-12-02", unchecked: true),
        ])
        #expect(try log.rejectedOps().count == 3)
        #expect(try log.canonicalChild(provisional) == provisional)
    }
}
