import BaoxueCore
import BaoxueRecords
import BaoxueStore

/// The township demo's school weeks before its offline day: attendance recorded day by day and
/// visits, so its ledgers hold enough children for the relay-side attacker's figure to mean something.
enum DemoAttendance {
    /// The two weeks before the offline day, as a school records them: an eighth of the children
    /// (never the first two, who star in the day) miss three days running, unexcused, recorded day
    /// by day in class order; a fifth are visited by the liaison; a tenth miss one excused day.
    /// Returns the rows of the children on a ledger (the truth the relay-side attacker is scored on).
    static func twoWeeks(
        _ rows: [RecordID], teacher: Replica, liaison: Replica, _ scope: ScopeID, today: SimpleDate, now: UInt64
    ) throws(AppError) -> Set<Int> {
        var rng = SeededGenerator(seed: 2026)
        let order = Array(2..<max(2, rows.count)).shuffled(using: &rng)
        let n = order.count
        let ledger = Array(order.prefix(max(1, n / 8))).sorted()
        let visited = Array(order.dropFirst(max(1, n / 8)).prefix(n / 5)).sorted()
        let excused = Array(order.dropFirst(max(1, n / 8) + n / 5).prefix(n / 10)).sorted()
        func date(_ back: Int) throws(AppError) -> SimpleDate {
            try attemptRecords { () throws(RecordsError) in try today.adding(days: -back) }
        }
        for back in [14, 13, 12] {
            let d = try date(back)
            for i in ledger {
                try TownshipDemo.write(teacher, scope, now) { _ throws(StoreError) in
                    [.event(Event(child: rows[i], date: d, body: .absence(Absence(from: d, to: d, schoolDays: 1, excused: false))))]
                }
            }
        }
        let d = try date(11)
        for i in excused {
            try TownshipDemo.write(teacher, scope, now) { _ throws(StoreError) in
                [.event(Event(child: rows[i], date: d, body: .absence(Absence(from: d, to: d, schoolDays: 1, excused: true))))]
            }
        }
        for i in visited {
            try TownshipDemo.write(liaison, scope, now) { _ throws(StoreError) in
                [
                    .event(
                        Event(
                            child: rows[i], date: d,
                            body: .visit(
                                Visit(participants: ["村联络员"], householdFound: true, childSeen: true, spokeTo: "家长", agreed: "按时到校"))))
                ]
            }
        }
        return Set(ledger)
    }

}
