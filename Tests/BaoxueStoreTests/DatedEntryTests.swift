import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// The bad dates and counts a user typed (issue 21 §8), each signed on 2 December 2026 by a
/// peer: every replica rejects exactly those ops, keeps them with their reason, and applies the
/// good ones beside them. The same rules refuse them at the edge before anything is signed.
@Suite struct DatedEntryTests {
    let scope = try! ScopeID("东镇/一小")
    let child = RecordID.derived("dated-entry-child")
    let teacher = DeviceKey.generate()

    func d(_ text: String) -> SimpleDate { try! SimpleDate(text) }

    func event(_ date: String, _ body: EventBody) -> RecordOp { .event(Event(child: child, date: d(date), body: body)) }

    func absence(_ on: String, _ from: String, _ to: String, days: Int) -> RecordOp {
        event(on, .absence(Absence(from: d(from), to: d(to), schoolDays: days, excused: false)))
    }

    func leave(_ on: String, _ from: String, _ to: String) -> RecordOp {
        event(on, .leave(Leave(from: d(from), to: d(to), reason: "病假", approvedBy: "班主任")))
    }

    func status(_ s: ChildStatus, _ date: String) -> RecordOp {
        .set(kind: .child, record: child, field: "status", value: .status(StatusFact(status: s, date: d(date), reason: "核实")), pred: [])
    }

    /// What the user typed, with whether it must be refused and the field named.
    var cases: [(op: RecordOp, refused: String?)] {
        [
            (absence("2026-12-01", "2026-12-01", "2026-12-01", days: 5), "schoolDays"),   // 5 days from 1 to 1 December
            (absence("2026-12-01", "2030-03-04", "2030-03-05", days: 2), "from"),         // an absence in 2030
            (absence("2026-12-01", "1990-03-05", "1990-03-06", days: 2), "from"),         // an absence in 1990
            (absence("1990-03-06", "1990-03-05", "1990-03-06", days: 2), "date"),         // recorded as of 1990
            (absence("2026-12-01", "2026-11-30", "2026-12-04", days: 4), "to"),           // absent until Friday, said on Tuesday
            (status(.dropout, "2099-01-01"), "status"),                                   // a dropout dated 2099
            (leave("2026-11-02", "2026-11-02", "2028-11-01"), "to"),                      // a two-year leave
            (leave("2026-11-02", "2026-11-05", "2026-11-03"), "to"),                      // ends before it starts
            (absence("2026-12-01", "2026-11-30", "2026-12-01", days: 2), nil),            // a real two-day absence
            (leave("2026-12-01", "2026-12-07", "2026-12-11"), nil),                       // a leave planned for next week
            (status(.dropout, "2026-11-20"), nil),
            (absence("2026-12-01", "2025-03-03", "2025-03-04", days: 2), nil),            // last year's paper ledger
        ]
    }

    @Test func eachBadDateIsRefusedAtTheEdgeByTheSameRule() throws {
        let today = d("2026-12-02")
        for (i, c) in cases.enumerated() {
            do {
                try c.op.validate()
                try c.op.validate(signedOn: today, toleranceDays: 1)
                #expect(c.refused == nil, "case \(i) must be refused (\(c.refused ?? ""))")
            } catch {
                guard case .invalidField(let field, _) = error else { Issue.record("case \(i): \(error)"); continue }
                #expect(field == c.refused, "case \(i) refused on \(field)")
            }
        }
    }

    @Test func aPeersChangeWithBadDatesIsRejectedOpByOpOnEveryReplica() throws {
        let signed = try HLCTimestamp(milliseconds: UInt64(d("2026-12-02").dayNumber) * 86_400_000 + 2 * 3_600_000, counter: 0)
        let change = try Change.sign(by: teacher, seq: 1, timestamp: signed, scope: scope, deps: [],
                                     payload: try RecordPayload(ops: cases.map(\.op)).encodedUnchecked())
        let a = try ChangeLog(), b = try ChangeLog()
        for log in [a, b] { _ = try log.append([change]) }
        let rejected = try a.rejectedOps()
        let expected = cases.enumerated().filter { $0.element.refused != nil }.map { UInt16($0.offset) }
        #expect(rejected.map(\.op.index).sorted() == expected)
        #expect(rejected.allSatisfy { $0.reason.hasPrefix("invalidField") })
        #expect(try a.viewDigests() == b.viewDigests())
        #expect(try a.child(child)?.status == .dropout, "the good status beside the bad ones applied")
        #expect(try a.child(child)?.statusDate == "2026-11-20")
    }
}
