import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// A month's report counts ledger entries, not writes, and is computed as of the month's end
/// (records.md §3.1). A school term of day-by-day work on 40 children in two schools (statuses,
/// absences, close-outs, voids, a transfer) is written as signed changes; the figures are checked
/// against an oracle that walks the ops day by day, and re-running a past month after later
/// work gives the same figures.
@Suite struct PeriodReportTests {
    /// One op of the term; close-outs and voids name other ops by `id`.
    struct Op {
        enum Kind { case status(StatusFact), absence(Absence), closeOut([Int]), school(String), name, void(Int) }
        let id: Int
        let child: Int
        let kind: Kind
        let writtenMs: UInt64
    }

    static let start = try! SimpleDate("2026-09-01")

    static func day(_ n: Int) -> SimpleDate { try! start.adding(days: n) }
    static func ms(_ d: SimpleDate, hour: Int) -> UInt64 { UInt64(d.dayNumber) * 86_400_000 - 8 * 3_600_000 + UInt64(hour) * 3_600_000 }

    /// The term's work, in the order it is written (a close-out or void after what it names).
    static func work(seed: UInt64, children: Int) -> [Op] {
        var rng = SeededGenerator(seed: seed)
        var ops: [Op] = []
        var openers: [Int: [Int]] = [:]
        func add(_ c: Int, _ kind: Op.Kind, _ written: UInt64) {
            var at = written
            switch kind {
            case .closeOut(let named): at = max(at, (named.map { ops[$0].writtenMs }.max() ?? 0) + 60_000)
            case .void(let t): at = max(at, ops[t].writtenMs + 60_000)
            default: break
            }
            ops.append(Op(id: ops.count, child: c, kind: kind, writtenMs: at))
        }
        for c in 0..<children {
            add(c, .name, ms(day(0), hour: 9))
            add(c, .school(c % 2 == 0 ? "东镇一小" : "东镇二小"), ms(day(0), hour: 9))
        }
        for d in 1..<110 {
            for _ in 0..<Int(rng.next() % 4) {
                let c = Int(rng.next() % UInt64(children))
                let late = Int(rng.next() % 3) // written the same day or up to two days later
                let written = ms(day(min(d + late, 112)), hour: 10 + Int(rng.next() % 8))
                switch rng.next() % 10 {
                case 0, 1:
                    let status: ChildStatus = [.suspectedDropout, .dropout, .neverEnrolled, .returned, .enrolled][Int(rng.next() % 5)]
                    if status.ledger != nil { openers[c, default: []].append(ops.count) }
                    add(c, .status(StatusFact(status: status, date: day(d), reason: "家访核实")), written)
                case 2, 3, 4:
                    let days = 1 + Int(rng.next() % 4)
                    let a = Absence(from: day(d), to: day(d + days - 1), schoolDays: days, excused: rng.next() % 3 == 0)
                    if !a.excused && days >= 3 { openers[c, default: []].append(ops.count) }
                    add(c, .absence(a), ms(day(d + days - 1 + late), hour: 17))
                case 5, 6:
                    guard let open = openers[c], !open.isEmpty else { continue }
                    add(c, .closeOut(open), written)
                    openers[c] = []
                case 7:
                    add(c, .school(rng.next() % 2 == 0 ? "东镇一小" : "东镇二小"), written)
                case 8:
                    guard let target = openers[c]?.last else { continue }
                    add(c, .void(target), written)
                default: continue
                }
            }
        }
        return ops.sorted { ($0.writtenMs, $0.id) < ($1.writtenMs, $1.id) }
    }

    /// Figures the oracle expects for one school, from the ops alone.
    struct Expected: Equatable {
        var children = 0, ledgerOpened = 0, suspectedOpen = 0, dropoutOpen = 0, returned = 0
        var byStatus: [String: Int] = [:]
    }

    /// `ops` are those written (by id); `changes` the signed change of each.
    static func oracle(_ written: [Op], changes: [Int: Change], from: SimpleDate, to: SimpleDate, children: Int) -> [String: Expected] {
        let cutoff = ms(try! to.adding(days: 1), hour: 0)
        let ops = Dictionary(uniqueKeysWithValues: written.map { ($0.id, $0) })
        let voided = Set(written.compactMap { op -> Int? in if case .void(let t) = op.kind { t } else { nil } })
        var out: [String: Expected] = [:]
        for c in 0..<children {
            let mine = written.filter { $0.child == c }.map(\.id)
            let school = mine.filter { if case .school = ops[$0]!.kind { ops[$0]!.writtenMs < cutoff } else { false } }.last
                .flatMap { if case .school(let s) = ops[$0]!.kind { s } else { nil } } ?? ""
            guard let first = mine.first, ops[first]!.writtenMs < cutoff else { continue }
            var e = out[school] ?? Expected()
            e.children += 1
            let statuses = mine.filter { !voided.contains($0) }.compactMap { i -> (Int, StatusFact)? in
                if case .status(let f) = ops[i]!.kind { (i, f) } else { nil }
            }
            let asOf = statuses.filter { $0.1.date <= to }.max { a, b in
                a.1.date != b.1.date ? a.1.date < b.1.date : changes[a.0]!.timestamp < changes[b.0]!.timestamp
            }
            e.byStatus[asOf?.1.status.rawValue ?? "", default: 0] += 1
            if statuses.contains(where: { $0.1.status == .returned && $0.1.date >= from && $0.1.date <= to }) { e.returned += 1 }
            for ledger in Ledger.allCases {
                // Openers: (date, index); close-outs: (UTC+8 day, named openers).
                let openers = mine.filter { !voided.contains($0) }.compactMap { i -> (SimpleDate, Int)? in
                    switch ops[i]!.kind {
                    case .status(let f) where f.status.ledger == ledger: (f.date, i)
                    case .absence(let a) where ledger == .suspectedDropout && !a.excused && a.schoolDays >= 3: (a.from, i)
                    default: nil
                    }
                }
                let closes = mine.compactMap { i -> (SimpleDate, Set<Int>)? in
                    guard case .closeOut(let named) = ops[i]!.kind, !voided.contains(i) else { return nil }
                    return (try! SimpleDate(unixMilliseconds: changes[i]!.timestamp.milliseconds), Set(named))
                }
                func open(_ t: SimpleDate) -> Bool {
                    openers.contains { o in o.0 <= t && !closes.contains { $0.0 <= t && $0.1.contains(o.1) } }
                }
                var t = from
                while t <= to {
                    if open(t) && !open(try! t.adding(days: -1)) { e.ledgerOpened += 1 }
                    t = try! t.adding(days: 1)
                }
                if open(to) { if ledger == .dropout { e.dropoutOpen += 1 } else { e.suspectedOpen += 1 } }
            }
            out[school] = e
        }
        return out
    }

    func write(_ ops: [Op], upTo end: UInt64, into log: ChangeLog, key: DeviceKey, changes: inout [Int: Change]) throws {
        let scope = try ScopeID("东镇")
        for op in ops where changes[op.id] == nil && op.writtenMs < end {
            let child = RecordID.derived("report-child-\(op.child)")
            let record: RecordOp
            switch op.kind {
            case .name: record = .set(kind: .child, record: child, field: "name", value: .text("学生\(op.child)"), pred: [])
            case .school(let s): record = .set(kind: .child, record: child, field: "school", value: .text(s), pred: [])
            case .status(let f): record = .set(kind: .child, record: child, field: "status", value: .status(f), pred: [])
            case .absence(let a): record = .event(Event(child: child, date: a.to, body: .absence(a)))
            case .closeOut(let named):
                record = .closeOut(child: child, ledger: .suspectedDropout, closes: named.map { OpID(change: changes[$0]!.id, index: 0) },
                                   evidence: [String(repeating: "ab", count: 32)], note: "已返校")
            case .void(let target): record = .void(target: OpID(change: changes[target]!.id, index: 0), reason: "录入错误")
            }
            let payload = try RecordPayload(ops: [record]).encoded()
            changes[op.id] = try log.appendAuthored(by: key, scope: scope, payload: payload, now: op.writtenMs)
        }
    }

    @Test(arguments: [UInt64(51), 52, 53])
    func aPastMonthIsReportedAsItStoodAndStaysSo(seed: UInt64) throws {
        let children = 40
        let ops = Self.work(seed: seed, children: children)
        let log = try ChangeLog()
        let key = try DeviceKey(seed: [UInt8](repeating: UInt8(seed), count: 32))
        var changes: [Int: Change] = [:]
        let december2 = Self.ms(try SimpleDate("2026-12-02"), hour: 18)
        try write(ops, upTo: december2, into: log, key: key, changes: &changes)
        let months = [(try SimpleDate("2026-10-01"), try SimpleDate("2026-10-31")),
                      (try SimpleDate("2026-11-01"), try SimpleDate("2026-11-30"))]
        var first: [[PeriodFigures]] = []
        for (from, to) in months {
            let figures = try log.periodFigures(from: from, to: to)
            first.append(figures)
            let want = Self.oracle(ops.filter { $0.writtenMs < december2 }, changes: changes, from: from, to: to, children: children)
            for f in figures {
                let got = Expected(children: f.children, ledgerOpened: f.ledgerOpened, suspectedOpen: f.suspectedOpen,
                                   dropoutOpen: f.dropoutOpen,
                                   returned: f.returned, byStatus: f.byStatus)
                #expect(got == want[f.school], "seed \(seed), \(from)…\(to), \(f.school)")
            }
            #expect(Set(figures.map(\.school)) == Set(want.keys), "seed \(seed)")
            // The ledger sheets list the entries open at the period's end: as many as the figures count.
            #expect(try log.ledger(.suspectedDropout, asOf: to).count == want.values.map(\.suspectedOpen).reduce(0, +), "seed \(seed)")
            #expect(try log.ledger(.dropout, asOf: to).count == want.values.map(\.dropoutOpen).reduce(0, +), "seed \(seed)")
        }
        // December's work arrives (without voids: undoing a past fact rightly changes the past);
        // October and November read the same, but for `conflicts`, which is today's.
        let later = ops.filter { if case .void = $0.kind { $0.writtenMs < december2 } else { true } }
        try write(later, upTo: .max, into: log, key: key, changes: &changes)
        #expect(changes.count > ops.filter { $0.writtenMs < december2 }.count, "seed \(seed): December adds work")
        func stable(_ f: [PeriodFigures]) -> [PeriodFigures] { f.map { var g = $0; g.conflicts = 0; return g } }
        for (n, (from, to)) in months.enumerated() {
            #expect(stable(try log.periodFigures(from: from, to: to)) == stable(first[n]),
                    "seed \(seed): \(from)…\(to) changed after later work")
        }
        let writes = ops.filter {
            if case .status(let f) = $0.kind { f.status.ledger != nil && f.date >= months[1].0 && f.date <= months[1].1 } else { false }
        }.count
        let opened = first[1].map(\.ledgerOpened).reduce(0, +)
        print("seed \(seed): November: \(opened) entries opened, \(writes) ledger-status writes dated in it")
    }
}
