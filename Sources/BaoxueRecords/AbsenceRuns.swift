/// Which unexcused absences put a child on the suspected-dropout ledger (records.md §3): teachers
/// record absence day by day, so the rule looks at runs of consecutive school days, not records.
///
/// A school day is Monday to Friday. The unexcused days are the school days an unexcused absence
/// covers, less any day an excused absence or a leave covers (an excused day breaks a run). A run
/// is a maximal sequence of unexcused days with no school day between them (Friday then Monday is
/// a run of two). An unexcused absence is an opener, dated its first day, when it has a day in a
/// run of at least `threshold` days, or records `threshold` school days or more itself. Pure and a
/// function of the set of events, so any arrival order gives the same openers.
public enum AbsenceRuns {
    /// Monday to Friday (1970-01-01 was a Thursday).
    public static func isSchoolDay(_ day: SimpleDate) -> Bool { isSchoolDay(dayNumber: day.dayNumber) }

    static func isSchoolDay(dayNumber: Int) -> Bool {
        let weekday = ((dayNumber + 4) % 7 + 7) % 7 // 0 = Sunday
        return weekday != 0 && weekday != 6
    }

    /// One absence or leave as the rule reads it.
    public struct Record: Sendable, Equatable {
        public let op: OpID
        public let from: SimpleDate
        public let to: SimpleDate
        /// The school days an unexcused absence records; nil for an excused absence or a leave.
        public let unexcusedSchoolDays: Int?

        public init(op: OpID, from: SimpleDate, to: SimpleDate, unexcusedSchoolDays: Int?) {
            self.op = op
            self.from = from
            self.to = to
            self.unexcusedSchoolDays = unexcusedSchoolDays
        }

        /// The record of an absence or a leave; nil for any other event.
        public init?(op: OpID, event: Event) {
            switch event.body {
            case .absence(let a): self.init(op: op, from: a.from, to: a.to, unexcusedSchoolDays: a.excused ? nil : a.schoolDays)
            case .leave(let l): self.init(op: op, from: l.from, to: l.to, unexcusedSchoolDays: nil)
            default: return nil
            }
        }
    }

    /// The absence ops that open the ledger, with their dates. `events` are the child's live
    /// absences and leaves (not voided, not replaced by an amendment); others are ignored.
    public static func openers(_ events: [(op: OpID, event: Event)], threshold: Int) -> [OpID: SimpleDate] {
        openers(events.compactMap { Record(op: $0.op, event: $0.event) }, threshold: threshold)
    }

    /// The same, from the records themselves (what the views keep of each absence and leave).
    public static func openers(_ records: [Record], threshold: Int) -> [OpID: SimpleDate] {
        var excused = Set<Int>()
        var unexcused: [(record: Record, recorded: Int, days: [Int])] = []
        for r in records {
            if let recorded = r.unexcusedSchoolDays {
                unexcused.append((r, recorded, schoolDays(r.from, r.to)))
            } else {
                excused.formUnion(schoolDays(r.from, r.to))
            }
        }
        let days = Set(unexcused.flatMap(\.days)).subtracting(excused).sorted()
        var inLongRun = Set<Int>()
        var run: [Int] = []
        func close() {
            if run.count >= threshold { inLongRun.formUnion(run) }
            run = []
        }
        for day in days {
            if let last = run.last, nextSchoolDay(after: last) != day { close() }
            run.append(day)
        }
        close()
        var out: [OpID: SimpleDate] = [:]
        for u in unexcused where u.recorded >= threshold || u.days.contains(where: inLongRun.contains) {
            out[u.record.op] = u.record.from
        }
        return out
    }

    private static func schoolDays(_ from: SimpleDate, _ to: SimpleDate) -> [Int] {
        guard from <= to, to.dayNumber - from.dayNumber <= 366 else { return [] }
        return (from.dayNumber...to.dayNumber).filter { isSchoolDay(dayNumber: $0) }
    }

    private static func nextSchoolDay(after day: Int) -> Int {
        var next = day + 1
        while !isSchoolDay(dayNumber: next) { next += 1 }
        return next
    }
}
