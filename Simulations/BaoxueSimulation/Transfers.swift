import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueStore

extension Simulation {
    /// 转学 at the end of the school day: each township admin moves children between two of its
    /// schools as `baoxue child transfer` does — the child's history and keys to the new school (a
    /// transfer, sealed), 转出 in the old school, the school field and 转入 in the new one — from what its
    /// replica shows (its last evening's sync). The checks then expect the new school's devices
    /// to hold and show the child's old changes too.
    mutating func transfer(_ d: Int) throws {
        guard scenario.transfersPerDay > 0, scenario.schoolsPerTownship > 1 else { return }
        for a in county.townshipAdmins {
            var count = Int(scenario.transfersPerDay)
            if Double.random(in: 0..<1, using: &rng) < scenario.transfersPerDay - Double(count) { count += 1 }
            for _ in 0..<count {
                let t = county.nodes[a].township
                let first = t * scenario.schoolsPerTownship
                let from = first + Int.random(in: 0..<scenario.schoolsPerTownship, using: &rng)
                var to = first + Int.random(in: 0..<(scenario.schoolsPerTownship - 1), using: &rng)
                if to >= from { to += 1 }
                let moved = Set(transfers.map(\.child))
                guard let child = county.children[from].filter({ !moved.contains($0) }).randomElement(using: &rng) else { continue }
                clock.ms += 60_000
                try transfer(child, from: from, to: to, by: a)
            }
        }
    }

    private mutating func transfer(_ child: RecordID, from: Int, to: Int, by a: Int) throws {
        let node = county.nodes[a]
        let old = county.schoolScopes[from]
        let new = county.schoolScopes[to]
        let now = clock.now(node: a)
        let today = try SimpleDate(unixMilliseconds: now)
        let granted = Result { () throws(StoreError) in try node.log.transferChild(child, from: old, to: new, by: node.key, now: now) }
        if case .failure(.noScopeKey(let scope)) = granted {
            tally.noKey += 1
            trace.add("\(stamp) township admin node \(a) holds no key of \(scope.value) yet: no transfer")
            return
        }
        let grants = try granted.get()
        let out = try node.log.appendOperations(by: node.key, scope: old, now: now) { s throws(StoreError) in
            [
                .set(
                    kind: .child, record: child, field: "status",
                    value: .status(StatusFact(status: .transferredOut, date: today, reason: "转学")),
                    pred: try s.liveOps(kind: .child, record: child, field: "status"))
            ]
        }
        let into = try node.log.appendOperations(by: node.key, scope: new, now: now) { s throws(StoreError) in
            [
                .set(
                    kind: .child, record: child, field: "school", value: .text("学校\(to)"),
                    pred: try s.liveOps(kind: .child, record: child, field: "school")),
                .set(
                    kind: .child, record: child, field: "status",
                    value: .status(StatusFact(status: .transferredIn, date: today, reason: "转学")),
                    pred: try s.liveOps(kind: .child, record: child, field: "status")),
            ]
        }
        authored[from].append((out, clock.ms))
        for grant in grants { authored[to].append((grant, clock.ms)) }
        authored[to].append((into, clock.ms))
        let carried = try grants.compactMap { try node.log.transferBundle(in: $0) }.flatMap(\.changes).map(\.id)
        transfers.append((child, from, to, Set(grants.map(\.id)), Set(carried)))
        tally.transfers += 1
        trace.add("\(stamp) township admin node \(a) transferred child \(child.hex.prefix(8)) from school \(from) to school \(to)")
    }
}
