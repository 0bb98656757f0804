import BaoxueCore
import BaoxueRecords
import Testing

/// Teachers record absence day by day: runs of consecutive school days open the ledger exactly as
/// one record of the same days does; an excused day or a leave breaks a run; weekends do not.
@Suite struct AbsenceRunsTests {
    let child = RecordID.derived("absent-child")
    static func d(_ s: String) -> SimpleDate { try! SimpleDate(s) }
    static func op(_ n: UInt8) -> OpID { OpID(change: ChangeID(hashing: [n][...]), index: 0) }

    func absence(_ n: UInt8, _ from: String, _ to: String? = nil, days: Int = 1, excused: Bool = false) -> (op: OpID, event: Event) {
        (Self.op(n), Event(child: child, date: Self.d(to ?? from),
                           body: .absence(Absence(from: Self.d(from), to: Self.d(to ?? from), schoolDays: days, excused: excused))))
    }

    func leave(_ n: UInt8, _ from: String, _ to: String) -> (op: OpID, event: Event) {
        let body = EventBody.leave(Leave(from: Self.d(from), to: Self.d(to), reason: "病假", approvedBy: "班主任"))
        return (Self.op(n), Event(child: child, date: Self.d(from), body: body))
    }

    @Test func threeOneDayRecordsOpenLikeOneThreeDayRecord() {
        // 2026-11-02 is a Monday.
        let daily = [absence(1, "2026-11-02"), absence(2, "2026-11-03"), absence(3, "2026-11-04")]
        #expect(AbsenceRuns.openers(daily, threshold: 3) == [Self.op(1): Self.d("2026-11-02"), Self.op(2): Self.d("2026-11-03"),
                                                              Self.op(3): Self.d("2026-11-04")])
        #expect(AbsenceRuns.openers([absence(9, "2026-11-02", "2026-11-04", days: 3)], threshold: 3) == [Self.op(9): Self.d("2026-11-02")])
        #expect(AbsenceRuns.openers(Array(daily.prefix(2)), threshold: 3).isEmpty, "two days are not three")
        #expect(AbsenceRuns.openers(daily.reversed(), threshold: 3).count == 3, "any order")
    }

    @Test func aWeekendDoesNotBreakARunButAnExcusedDayOrALeaveDoes() {
        let friMonTue = [absence(1, "2026-11-06"), absence(2, "2026-11-09"), absence(3, "2026-11-10")]
        #expect(AbsenceRuns.openers(friMonTue, threshold: 3).count == 3)
        let broken = [absence(1, "2026-11-02"), absence(2, "2026-11-03"), absence(4, "2026-11-04", excused: true), absence(5, "2026-11-05")]
        #expect(AbsenceRuns.openers(broken, threshold: 3).isEmpty, "Wednesday was excused")
        let onLeave = [absence(1, "2026-11-02"), absence(2, "2026-11-03"), leave(6, "2026-11-04", "2026-11-04"), absence(5, "2026-11-05")]
        #expect(AbsenceRuns.openers(onLeave, threshold: 3).isEmpty, "Wednesday was on leave")
        let gap = [absence(1, "2026-11-02"), absence(2, "2026-11-03"), absence(5, "2026-11-05")]
        #expect(AbsenceRuns.openers(gap, threshold: 3).isEmpty, "Wednesday was at school")
        // A day recorded twice is one day; a two-day record joins a one-day one.
        let twice = [absence(1, "2026-11-02"), absence(7, "2026-11-02"), absence(2, "2026-11-03", "2026-11-04", days: 2)]
        #expect(Set(AbsenceRuns.openers(twice, threshold: 3).keys) == [Self.op(1), Self.op(7), Self.op(2)])
    }

    /// Random day-by-day records against a day-by-day oracle, seeded.
    @Test(arguments: [UInt64(61), 62, 63, 64])
    func randomMonthsAgreeWithTheCalendar(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let first = Self.d("2026-11-02")
        var events: [(op: OpID, event: Event)] = []
        for n in 0..<40 {
            let day = try! first.adding(days: Int(rng.next() % 28))
            switch rng.next() % 6 {
            case 0:
                let body = EventBody.leave(Leave(from: day, to: day, reason: "事假", approvedBy: "班主任"))
                events.append((Self.op(UInt8(n)), Event(child: child, date: day, body: body)))
            case 1: events.append(absence(UInt8(n), day.description, excused: true))
            default: events.append(absence(UInt8(n), day.description))
            }
        }
        // Oracle: walk the calendar; count consecutive school days absent without excuse.
        var excused = Set<Int>(), absent = Set<Int>()
        for (_, e) in events {
            switch e.body {
            case .absence(let a) where a.excused: excused.insert(a.from.dayNumber)
            case .leave(let l): excused.insert(l.from.dayNumber)
            case .absence(let a): absent.insert(a.from.dayNumber)
            default: break
            }
        }
        var inRun = Set<Int>(), run: [Int] = []
        for day in first.dayNumber...(first.dayNumber + 40) {
            guard AbsenceRuns.isSchoolDay(try! SimpleDate(dayNumber: day)) else { continue }
            if absent.contains(day) && !excused.contains(day) { run.append(day); continue }
            if run.count >= 3 { inRun.formUnion(run) }
            run = []
        }
        let want = Set(events.filter {
            if case .absence(let a) = $0.event.body { !a.excused && inRun.contains(a.from.dayNumber) } else { false }
        }.map(\.op))
        #expect(Set(AbsenceRuns.openers(events, threshold: 3).keys) == want, "seed \(seed)")
        #expect(Set(AbsenceRuns.openers(events.shuffled(using: &rng), threshold: 3).keys) == want, "seed \(seed): order")
    }
}
