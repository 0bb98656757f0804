import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTrust
import Foundation

extension Simulation {
    /// Issue 24 §6: once the reports are checked, each school's admin publishes its months' figures in
    /// clear (trust.md §10); they travel admin → township relay → district relay, which holds no key.
    /// The district relay must then list, for every school and month, exactly the figures of the
    /// school's own report, and so their sum.
    mutating func checkPublishedFigures(months: [(from: SimpleDate, to: SimpleDate)]) throws {
        guard let today = try? SimpleDate(unixMilliseconds: clock.ms) else { return }
        var own: [String: [Int]] = [:]
        for s in 0..<scenario.schools {
            guard let admin = county.devices(of: s).first(where: { isHonest($0) && county.nodes[$0].kind == .admin }) else { continue }
            let node = county.nodes[admin]
            for (from, to) in months where to <= today {
                let figures = try node.log.monthFigures(scope: node.scopes[0], from: from, to: to)
                let counts = figures.counts
                own[figures.period + " " + figures.school.value] = counts
                clock.ms += 1_000
                _ = try node.log.appendAuthored(
                    by: node.key, scope: .admin, payload: AdminPayload.figures(figures).encoded, now: clock.now(node: admin))
            }
            clock.ms += 1_000
            try sync(admin, county.townshipRelays[node.township], link: .perfect, label: "figures")
        }
        guard !own.isEmpty else { return }
        for r in county.townshipRelays {
            clock.ms += 1_000
            try sync(r, county.districtRelay, link: Self.districtLink, label: "figures")
        }
        let listed = try county.nodes[county.districtRelay].log.publishedFigures()
        var shown: [String: [Int]] = [:]
        for e in listed { shown[e.figures.period + " " + e.figures.school.value] = e.figures.counts }
        for (key, counts) in own.sorted(by: { $0.key < $1.key }) where shown[key] != counts {
            trace.fail(
                "district relay: the figures of \(key) are \(shown[key].map { "\($0)" } ?? "missing"); the school's report \(counts)")
        }
        for (key, _) in shown where own[key] == nil { trace.fail("district relay: figures of \(key) that no school published") }
        for (from, _) in months {
            let period = String(format: "%04d-%02d", from.year, from.month)
            let month = listed.filter { $0.figures.period == period }
            let sum = month.reduce(0) { $0 + $1.figures[.children] }
            let want = own.filter { $0.key.hasPrefix(period) }.reduce(0) { $0 + $1.value[0] }
            trace.add("district relay \(period): \(month.count) schools, \(sum) children (reports: \(want))")
        }
    }
}
