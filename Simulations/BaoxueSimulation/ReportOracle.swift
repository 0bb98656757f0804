import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// A school's monthly figures worked out from its signed ops alone, by the rules of records.md §3
/// as written — not through the views, `AbsenceRuns`, `LedgerEntries` or `PolicyBook`: runs of
/// unexcused school days against the threshold each township published for that day, voids, close-outs
/// by their clock, entries as runs of days on a ledger, a provisional child counted under its
/// registry child from the day of the merge. Totals over the school's devices (a report groups by
/// the school field, which the field work rewrites; the totals do not depend on it).
struct ReportOracle {
    /// The figures compared: those the ledger rules decide.
    struct Totals: Equatable, CustomStringConvertible {
        var children = 0, ledgerOpened = 0, suspectedOpen = 0, dropoutOpen = 0, closedOut = 0
        var visits = 0, absences = 0, homeTeaching = 0, returned = 0

        init() {}

        init(_ figures: [PeriodFigures]) {
            for f in figures {
                children += f.children
                ledgerOpened += f.ledgerOpened
                suspectedOpen += f.suspectedOpen
                dropoutOpen += f.dropoutOpen
                closedOut += f.closedOut
                visits += f.visits
                absences += f.absences
                homeTeaching += f.homeTeachingSessions
                returned += f.returned
            }
        }

        var description: String {
            "children \(children), opened \(ledgerOpened), suspected \(suspectedOpen), dropout \(dropoutOpen), closed out \(closedOut), "
                + "visits \(visits), absences \(absences), home teaching \(homeTeaching), returned \(returned)"
        }
    }

    /// One op as the oracle reads it: the op, its id, and its change's clock, author and township.
    struct Signed {
        let op: RecordOp
        let id: OpID
        let hlc: Int64
        let author: [UInt8]
        let township: String
    }

    let ops: [Signed]
    /// Township scope → its published policies (effective day, absence days).
    let policies: [String: [(effective: SimpleDate, days: Int)]]

    /// The absence days in force for a record of `township` on `day` (3, the built-in rule, before any).
    func threshold(_ township: String, _ day: SimpleDate) -> Int {
        (policies[township] ?? []).filter { $0.effective <= day }.max { $0.effective < $1.effective }?.days ?? 3
    }

    static func isSchoolDay(_ n: Int) -> Bool { ![2, 3].contains(((n % 7) + 7) % 7) }  // day 0 (1970-01-01) was a Thursday

    /// The UTC+8 day a packed HLC falls on, and the first packed HLC after a UTC+8 day.
    static func day(_ hlc: Int64) -> SimpleDate { try! SimpleDate(dayNumber: Int((hlc >> 16) + 8 * 3_600_000) / 86_400_000) }
    static func cutoff(_ day: SimpleDate) -> Int64 { (Int64(day.dayNumber + 1) * 86_400_000 - 8 * 3_600_000) << 16 }

    func totals(from: SimpleDate, to: SimpleDate) -> Totals {
        let cutoff = Self.cutoff(to)
        let voided = Set(ops.compactMap { if case .void(let target, _) = $0.op { target } else { nil } })
        let live = ops.filter { !voided.contains($0.id) }
        // Children: records with a child write; the merge in force by the cutoff (the latest write before it).
        var firstWrite: [RecordID: Int64] = [:]
        var hasRow = Set<RecordID>()
        var merge: [RecordID: (key: [Int64], into: RecordID?)] = [:]
        for s in live {
            // A child is shown (has a row the report joins) once any child write or set element names it.
            if case .add(.child, let record, _, _) = s.op { hasRow.insert(record) }
            if case .remove(.child, let record, _, _, _) = s.op { hasRow.insert(record) }
            guard case .set(.child, let record, let field, let value, _) = s.op else { continue }
            hasRow.insert(record)
            firstWrite[record] = min(firstWrite[record] ?? .max, s.hlc)
            guard field == "mergedInto", s.hlc < cutoff else { continue }
            let key = [s.hlc] + s.author.map(Int64.init) + s.id.bytes.map(Int64.init)
            if merge[record].map({ $0.key.lexicographicallyPrecedes(key) }) ?? true {
                merge[record] = (key, { if case .text(let t) = value { try? RecordID(hex: t) } else { nil } }())
            }
        }
        func counted(_ c: RecordID) -> RecordID { merge[c]?.into ?? c }
        var t = Totals()
        var returned = Set<RecordID>()
        var spans: [String: [(opened: SimpleDate, closed: SimpleDate?)]] = [:]
        var openerChild: [OpID: (ledger: Ledger, child: RecordID, date: SimpleDate)] = [:]
        var unexcused: [RecordID: [(id: OpID, from: SimpleDate, to: SimpleDate, recorded: Int, township: String)]] = [:]
        var excusedDays: [RecordID: Set<Int>] = [:]
        for s in live {
            switch s.op {
            case .set(.child, let child, "status", .status(let fact), _):
                if let ledger = fact.status.ledger { openerChild[s.id] = (ledger, child, fact.date) }
                if fact.status == .returned && fact.date >= from && fact.date <= to { returned.insert(counted(child)) }
            case .event(let e):
                guard let child = e.child else { continue }
                if e.date >= from && e.date <= to && hasRow.contains(child) {
                    switch e.body {
                    case .visit: t.visits += 1
                    case .absence: t.absences += 1
                    case .homeTeaching: t.homeTeaching += 1
                    default: break
                    }
                }
                if case .absence(let a) = e.body {
                    if a.excused {
                        excusedDays[child, default: []].formUnion((a.from.dayNumber...a.to.dayNumber).filter(Self.isSchoolDay))
                    } else {
                        unexcused[child, default: []].append((s.id, a.from, a.to, a.schoolDays, s.township))
                    }
                }
            default: break
            }
        }
        // Absence openers: a run of unexcused school days is long once its k-th day has k ≥ that day's threshold.
        for (child, records) in unexcused {
            var township: [Int: String] = [:]
            for r in records.sorted(by: { $0.id < $1.id }).reversed() {
                for n in r.from.dayNumber...r.to.dayNumber where Self.isSchoolDay(n) { township[n] = r.township }
            }
            let days = Set(township.keys).subtracting(excusedDays[child] ?? []).sorted()
            var long = Set<Int>()
            var run: [Int] = []
            var isLong = false
            func close() {
                if isLong { long.formUnion(run) }
                run = []
                isLong = false
            }
            for n in days {
                // Consecutive: no school day lies between the run's last day and this one.
                if let last = run.last, ((last + 1)..<n).contains(where: Self.isSchoolDay) { close() }
                run.append(n)
                if run.count >= threshold(township[n]!, try! SimpleDate(dayNumber: n)) { isLong = true }
            }
            close()
            for r in records {
                let own = (r.from.dayNumber...r.to.dayNumber).filter(Self.isSchoolDay)
                if r.recorded >= threshold(r.township, r.to) || own.contains(where: long.contains) {
                    openerChild[r.id] = (.suspectedDropout, child, r.from)
                }
            }
        }
        // Close-outs close the openers they name from their day (UTC+8, by their clock).
        var closedOn: [OpID: SimpleDate] = [:]
        for s in live {
            guard case .closeOut(let child, _, let closes, _, _) = s.op else { continue }
            let day = Self.day(s.hlc)
            if day >= from && day <= to && hasRow.contains(child) { t.closedOut += 1 }
            for o in closes where closedOn[o].map({ day < $0 }) ?? true { closedOn[o] = day }
        }
        for (op, o) in openerChild where hasRow.contains(counted(o.child)) {
            spans["\(o.ledger.rawValue)/\(counted(o.child).hex)", default: []].append((o.date, closedOn[op]))
        }
        // Entries: runs of days on the ledger, a child on it on day n when some span has opened ≤ n < closed.
        for (key, list) in spans {
            func on(_ n: Int) -> Bool { list.contains { $0.opened.dayNumber <= n && $0.closed.map { n < $0.dayNumber } ?? true } }
            for n in from.dayNumber...to.dayNumber where on(n) && !on(n - 1) { t.ledgerOpened += 1 }
            if on(to.dayNumber) { if key.hasPrefix("dropout/") { t.dropoutOpen += 1 } else { t.suspectedOpen += 1 } }
        }
        for (child, first) in firstWrite where first < cutoff && counted(child) == child {
            t.children += 1
            if returned.contains(child) { t.returned += 1 }
        }
        return t
    }
}

extension Simulation {
    /// With `countyRules`: every honest device's report of the run's first (partial) month and of its
    /// first whole month must be byte-identical within a school and equal the oracle's totals.
    mutating func checkReports(expected: [Set<ChangeID>]) throws {
        guard scenario.countyRules else { return }
        var published: [String: [(effective: SimpleDate, days: Int)]] = [:]
        for (t, p) in policies {
            published[County.township(t, first: scenario.firstTownship), default: []].append(
                (p.effective, p.rules.unexcusedAbsenceDaysForLedger))
        }
        let first = try SimpleDate(unixMilliseconds: time(day: 1, hour: 8))
        let months = try [first.month, first.month + 1].map { m in
            let (year, month) = m > 12 ? (first.year + 1, m - 12) : (first.year, m)
            return (
                try SimpleDate(year: year, month: month, day: 1),
                try SimpleDate(year: year, month: month, day: SimpleDate.daysIn(month: month, year: year))
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for s in 0..<scenario.schools {
            guard let reader = county.devices(of: s).first(where: { isHonest($0) && county.nodes[$0].kind == .admin }) else { continue }
            var signed: [ReportOracle.Signed] = []
            for (change, _) in authored[s] where expected[s].contains(change.id) && !bad.contains(change.id) {
                guard let payload = try county.nodes[reader].log.readablePayload(of: change) else { throw StoreError.privacy(.noKey) }
                let township = change.scope.value.split(separator: "/").prefix(2).joined(separator: "/")
                for (k, op) in payload.ops.enumerated() {
                    signed.append(
                        .init(
                            op: op, id: OpID(change: change.id, index: UInt16(k)), hlc: change.timestamp.packed,
                            author: change.author.bytes, township: township))
                }
            }
            let oracle = ReportOracle(ops: signed, policies: published)
            for (from, to) in months {
                let want = oracle.totals(from: from, to: to)
                trace.add("school \(s) \(from)–\(to): \(want)")
                var reference: Data?
                for i in county.devices(of: s) where isHonest(i) {
                    let figures = try county.nodes[i].log.periodFigures(from: from, to: to)
                    let bytes = try encoder.encode(figures)
                    if reference == nil { reference = bytes }
                    if bytes != reference {
                        trace.fail("node \(i): the report of school \(s) for \(from)–\(to) differs from its colleagues'")
                    }
                    let got = ReportOracle.Totals(figures)
                    if got != want { trace.fail("node \(i): school \(s) \(from)–\(to) reports \(got); the oracle \(want)") }
                }
            }
        }
        try checkPublishedFigures(months: months.map { (from: $0.0, to: $0.1) })
    }
}
