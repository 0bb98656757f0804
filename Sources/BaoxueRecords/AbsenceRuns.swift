import BaoxueCore

/// Which unexcused absences put a child on the suspected-dropout ledger (records.md §3): teachers
/// record absence day by day, so the rule looks at runs of consecutive school days, not records.
///
/// A school day is Monday to Friday. The unexcused days are the school days an unexcused absence
/// covers, less any day an excused absence or a leave covers (an excused day breaks a run). A run
/// is a maximal sequence of unexcused days with no school day between them (Friday then Monday is
/// a run of two). The threshold is the district policy's in force on a day for the scope of the
/// record that covers it (`PolicyBook`): a run is long once its k-th day has k at least the threshold
/// of that day. An unexcused absence is an opener, dated its first day, when it has a day in a long
/// run, or records at least the threshold of its last day in school days itself. Pure and a function
/// of the set of events and policies, so any arrival order gives the same openers.
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
        /// The scope of the change that carried it: the district whose policy applies.
        public let scope: ScopeID?

        public init(op: OpID, from: SimpleDate, to: SimpleDate, unexcusedSchoolDays: Int?, scope: ScopeID? = nil) {
            self.op = op
            self.from = from
            self.to = to
            self.unexcusedSchoolDays = unexcusedSchoolDays
            self.scope = scope
        }

        /// The record of an absence or a leave; nil for any other event.
        public init?(op: OpID, event: Event, scope: ScopeID? = nil) {
            switch event.body {
            case .absence(let a):
                self.init(op: op, from: a.from, to: a.to, unexcusedSchoolDays: a.excused ? nil : a.schoolDays, scope: scope)
            case .leave(let l): self.init(op: op, from: l.from, to: l.to, unexcusedSchoolDays: nil, scope: scope)
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
        openers(records) { _, _ in threshold }
    }

    /// The same, with the threshold of the policy in force for a scope on a day.
    public static func openers(_ records: [Record], threshold: (ScopeID?, SimpleDate) -> Int) -> [OpID: SimpleDate] {
        var excused = Set<Int>()
        var unexcused: [(record: Record, recorded: Int, days: [Int])] = []
        // A day's scope: that of the record with the least op id covering it, so the choice is the same everywhere.
        var scopeOf: [Int: (op: OpID, scope: ScopeID?)] = [:]
        for r in records {
            if let recorded = r.unexcusedSchoolDays {
                let days = schoolDays(r.from, r.to)
                unexcused.append((r, recorded, days))
                for d in days where scopeOf[d].map({ r.op < $0.op }) ?? true { scopeOf[d] = (r.op, r.scope) }
            } else {
                excused.formUnion(schoolDays(r.from, r.to))
            }
        }
        func limit(_ day: Int) -> Int {
            guard let date = try? SimpleDate(dayNumber: day) else { return Int.max }
            return threshold(scopeOf[day]?.scope, date)
        }
        let days = Set(unexcused.flatMap(\.days)).subtracting(excused).sorted()
        var inLongRun = Set<Int>()
        var run: [Int] = []
        var long = false
        func close() {
            if long { inLongRun.formUnion(run) }
            run = []
            long = false
        }
        for day in days {
            if let last = run.last, nextSchoolDay(after: last) != day { close() }
            run.append(day)
            if !long, run.count >= limit(day) { long = true }
        }
        close()
        var out: [OpID: SimpleDate] = [:]
        for u in unexcused where u.recorded >= threshold(u.record.scope, u.record.to) || u.days.contains(where: inLongRun.contains) {
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
