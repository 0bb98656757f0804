import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTrust
import Foundation

/// What `countyRules` adds to a day (issue 21): district policies and a child found without papers.
///
/// Each township is a district of its own here: its admin (a district-admin certificate over the
/// township) publishes the township's thresholds on day 1 — 2 unexcused days in township 0, 5 in
/// township 1 — and township 0 changes to 4 days from day 16. Each school admin records a child
/// found by a survey on day 3 (a provisional record) and merges it into the school's first roster
/// child on day 20. The field work writes about that child like any other from day 1 (absences,
/// visits, statuses, voids), so its history is split across the merge.
extension Simulation {
    static func provisionalChild(seed: UInt64, school s: Int) -> RecordID { RecordID.derived("sim-\(seed)-school\(s)-provisional") }

    /// The thresholds each township publishes, and when: (day published, day in force, township, absence days).
    static let policyPlan = [
        (published: 1, effective: 1, township: 0, days: 2), (published: 1, effective: 1, township: 1, days: 5),
        (published: 15, effective: 16, township: 0, days: 4),
    ]

    /// The morning's county work for day `d` (before school hours).
    mutating func countyRules(day d: Int) throws {
        guard scenario.countyRules else { return }
        for plan in Self.policyPlan where plan.published == d && plan.township < scenario.townships {
            try publishPolicy(township: plan.township, effective: time(day: plan.effective, hour: 8), absenceDays: plan.days)
        }
        for s in 0..<scenario.schools {
            guard let admin = county.devices(of: s).first(where: { county.nodes[$0].kind == .admin && isHonest($0) }) else { continue }
            let child = Self.provisionalChild(seed: seed, school: s)
            if d == 3 {
                try adminWrites(admin, school: s, "recorded the child found without papers") { _ in
                    [
                        .set(kind: .child, record: child, field: "name", value: .text("罗小花"), pred: []),
                        .set(kind: .child, record: child, field: "provisional", value: .text("摸排：村\(s) 3 组"), pred: []),
                        .set(kind: .child, record: child, field: "school", value: .text("学校\(s)"), pred: []),
                    ]
                }
            }
            if d == 20 {
                let into = county.children[s][0]
                try adminWrites(admin, school: s, "merged the provisional child into \(into.hex.prefix(8))") {
                    snapshot throws(StoreError) in
                    [
                        .set(
                            kind: .child, record: child, field: "mergedInto", value: .text(into.hex),
                            pred: try snapshot.liveOps(kind: .child, record: child, field: "mergedInto"))
                    ]
                }
            }
        }
    }

    private mutating func publishPolicy(township t: Int, effective ms: UInt64, absenceDays: Int) throws {
        let admin = county.townshipAdmins[t]
        var rules = Policy.fengnan
        rules.unexcusedAbsenceDaysForLedger = absenceDays
        let policy = try DistrictPolicy(
            district: try ScopeID(County.township(t, first: scenario.firstTownship)),
            effective: try SimpleDate(unixMilliseconds: ms), rules: rules)
        clock.ms += 60_000
        let node = county.nodes[admin]
        _ = try node.log.appendAuthored(
            by: node.key, scope: .admin, payload: AdminPayload.policy(policy).encoded, now: clock.now(node: admin))
        policies.append((t, policy))
        trace.add("\(stamp) township admin node \(admin) published \(policy.district.value): \(absenceDays) days from \(policy.effective)")
        try sync(admin, county.townshipRelays[t], link: .perfect, label: "policy")
    }

    private mutating func adminWrites(
        _ admin: Int, school s: Int, _ what: String,
        _ build: @escaping (RecordSnapshot) throws(StoreError) -> [RecordOp]
    ) throws {
        clock.ms += 60_000
        let node = county.nodes[admin]
        let written = Result { () throws(StoreError) in
            try node.log.appendOperations(by: node.key, scope: node.scopes[0], now: clock.now(node: admin), build)
        }
        if case .failure(.noScopeKey) = written {
            tally.noKey += 1
            trace.add("\(stamp) school admin node \(admin) holds no key yet: not \(what)")
            return
        }
        authored[s].append((try written.get(), clock.ms))
        trace.add("\(stamp) school admin node \(admin) \(what)")
    }
}
