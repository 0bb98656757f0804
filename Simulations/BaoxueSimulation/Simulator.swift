import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueTransport
import BaoxueTrust
import Foundation

/// Runs a scenario from one seed, deterministically, on the project's real
/// code: SQLite replicas (`ChangeLog`, in memory or on file for those that
/// crash), real certificates and signatures, real `SyncSession`s over
/// `SimulatedLink` in virtual time.
///
/// A day: people write in school hours; colleagues meet at lunch on school
/// Wi-Fi; some devices reach their township relay in the evening over 2G
/// (some cut part-way); township relays reach the district relay at night.
/// Faults strike on the days the scenario names. At the end connectivity
/// returns and the checks run.
///
/// Invariant: the same scenario and seed give the same trace and digest.
public enum Simulator {
    /// What one run ended with and what the checks found.
    public struct Result: Sendable {
        public let seed: UInt64
        /// BLAKE2b over every honest replica's view digests and heads: equal runs, equal digest.
        public let digest: String
        /// FNV-1a over every event line, in order.
        public let traceDigest: UInt64
        public let summary: Summary
        /// Empty when every check passed.
        public let failures: [String]
        /// One line per day (see `Day`).
        public let metricsCSV: String
        /// The last events (what to read when a check fails).
        public let trace: [String]
        public let days: [Day]
        /// Wall-clock seconds of the set-up (enrolment), the school days, and the reunion with the checks.
        public let seconds: (setUp: Double, days: Double, end: Double)
        /// The summary as a two-line CSV (header, values).
        public var summaryCSV: String { Summary.csvHeader + "\n" + summary.csv + "\n" }
    }

    /// A scenario that cannot run.
    public enum SimulationError: Error, CustomStringConvertible {
        case scenario(String)
        public var description: String {
            switch self {
            case .scenario(let why): "scenario: \(why)"
            }
        }
    }

    /// `progress` hears each finished school day (for long runs).
    public static func run(_ scenario: Scenario, seed: UInt64, progress: ((Int) -> Void)? = nil) throws -> Result {
        if let problem = scenario.problem { throw SimulationError.scenario(problem) }
        let t0 = Date()
        var sim = try Simulation(scenario, seed: seed)
        defer { sim.county.removeFiles() }
        try sim.setUp()
        let t1 = Date()
        sim.tally.daysBegan = sim.tally.nodeBytes
        var days: [Day] = []
        var csv = Day.header + "\n"
        for day in 1...scenario.days {
            let row = try sim.day(day)
            days.append(row)
            csv += row.csv + "\n"
            progress?(day)
        }
        let t2 = Date()
        sim.tally.daysEnded = sim.tally.nodeBytes
        try sim.reunion()
        let (summary, digest) = try sim.check()
        return Result(
            seed: seed, digest: digest, traceDigest: sim.trace.digest, summary: summary, failures: sim.trace.failures,
            metricsCSV: csv, trace: sim.trace.tail, days: days,
            seconds: (t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), Date().timeIntervalSince(t2)))
    }
}

extension Simulation {
    /// Enrolment morning: each school admin imports the roster (16 children a change, as
    /// `child import` does), then every device syncs with its township relay on school Wi-Fi.
    mutating func setUp() throws {
        var candidates = county.nodes.indices.filter {
            county.nodes[$0].kind == .teacher && clock.skews[$0] == nil && !county.crashProne.contains($0)
        }
        candidates.shuffle(using: &rng)
        if scenario.faults.maliciousDay > 0, let m = candidates.popLast() { malicious = m }
        if scenario.faults.lostDeviceDay > 0, let l = candidates.popLast() { lost = l }
        lostAt = time(day: scenario.faults.lostDeviceDay, hour: 7)

        clock.ms = time(day: 0, hour: 7)
        if scenario.encrypted {
            // Certificates reach the school admins through the relay; each admin seals its school's key
            // to the members it knows, before anything about a child is written.
            for i in county.nodes.indices where !county.nodes[i].isRelay {
                clock.ms += 1_000
                try sync(i, county.townshipRelays[county.nodes[i].township], link: .perfect, label: "enrolment")
            }
            for i in county.nodes.indices where county.nodes[i].kind == .admin {
                clock.ms += 1_000
                try sync(i, county.townshipRelays[county.nodes[i].township], link: .perfect, label: "enrolment")
            }
            try grantKeys()
        }
        for s in 0..<scenario.schools {
            guard let admin = county.devices(of: s).first(where: { county.nodes[$0].kind == .admin }) else { continue }
            let node = county.nodes[admin]
            for chunk in stride(from: 0, to: county.children[s].count, by: 16) {
                clock.ms += 1_000
                let ops: [RecordOp] = county.children[s][chunk..<min(chunk + 16, county.children[s].count)].enumerated().flatMap {
                    n, child in
                    [
                        RecordOp.set(
                            kind: .child, record: child, field: "name", value: .text(FieldWork.names[(chunk + n) % FieldWork.names.count]),
                            pred: []),
                        .set(kind: .child, record: child, field: "school", value: .text("学校\(s)"), pred: []),
                    ]
                }
                let change = try node.log.appendOperations(by: node.key, scope: node.scopes[0], now: clock.now(node: admin)) {
                    _ throws(StoreError) in ops
                }
                authored[s].append((change, clock.ms))
            }
            trace.add("\(stamp) school \(s): admin node \(admin) imported \(county.children[s].count) children")
        }
        clock.ms = time(day: 0, hour: 8)
        for i in county.nodes.indices where !county.nodes[i].isRelay {
            clock.ms += 1_000
            try sync(i, county.townshipRelays[county.nodes[i].township], link: .perfect, label: "enrolment")
        }
        for r in county.townshipRelays { try sync(r, county.districtRelay, link: Self.districtLink, label: "enrolment", admin: false) }
    }

    /// One school day; returns its metrics.
    mutating func day(_ d: Int) throws -> Simulator.Day {
        let f = scenario.faults
        relayDown = []
        clock.ms = time(day: d, hour: 7)
        if scenario.encrypted { try grantKeys() }
        if let lost, d == f.lostDeviceDay {
            untrusted.insert(lost)
            trace.add("\(stamp) node \(lost) (teacher) lost its phone")
        }
        if let lost, d == f.lostDeviceDay + 1,
            let admin = county.devices(of: county.nodes[lost].school!).first(where: { county.nodes[$0].kind == .admin })
        {
            clock.ms = time(day: d, hour: 7) + 1_800_000
            let revocation = try Revocation.issue(
                by: county.authority, subject: county.nodes[lost].key.publicKey, revokedAt: lostAt, reason: "手机丢失")
            let payload = AdminPayload.revocation(revocation).encoded
            _ = try county.nodes[admin].log.appendAuthored(by: county.nodes[admin].key, scope: .admin, payload: payload, now: clock.ms)
            if scenario.encrypted { try grantKeys(only: [admin]) }  // the rotation, as `admin publish` does
            let dr = county.nodes[county.districtRelay]
            _ = try dr.log.appendAuthored(by: dr.key, scope: .admin, payload: payload, now: clock.ms)
            trace.add("\(stamp) the district revoked node \(lost); school admin node \(admin) carries the revocation")
        }
        if let malicious, d == f.maliciousDay {
            untrusted.insert(malicious)
            trace.add("\(stamp) node \(malicious) (teacher) turned malicious")
        }
        let turned = malicious.map { d >= f.maliciousDay && untrusted.contains($0) } ?? false
        try countyRules(day: d)

        for hour in 8..<17 {
            clock.ms = time(day: d, hour: hour)
            for i in county.nodes.indices where !county.nodes[i].isRelay && !(turned && i == malicious) {
                if i == lost && untrusted.contains(i) {
                    if hour == 10 {
                        clock.ms += 1_000
                        try write(i)
                    }
                    continue
                }
                guard Double.random(in: 0..<1, using: &rng) < scenario.writesPerHour else { continue }
                clock.ms += UInt64.random(in: 1...60_000, using: &rng)
                try write(i)
            }
            if hour == 12 { try lunch(d, turned: turned) }
            if hour == 16 { try transfer(d) }
        }

        let partitioned = f.partitionFrom > 0 && (f.partitionFrom...f.partitionTo).contains(d)
        clock.ms = time(day: d, hour: 18)
        if f.partitionFrom > 0 && d == f.partitionTo + 1 { startHealing() }
        if !partitioned { try evening(d, turned: turned) }
        clock.ms = time(day: d, hour: 22)
        if !partitioned {
            for (t, r) in county.townshipRelays.enumerated() where !relayDown.contains(t) {
                guard Double.random(in: 0..<1, using: &rng) < scenario.districtNightly else { continue }
                clock.ms += 1_000
                try sync(r, county.districtRelay, link: Self.districtLink, label: "night", admin: false)
            }
        }
        clock.ms = time(day: d, hour: 23)
        return try metrics(day: d, partitioned: partitioned)
    }

    /// Lunch on school Wi-Fi: teachers and admins sync with a colleague; the malicious device attacks one.
    mutating func lunch(_ d: Int, turned: Bool) throws {
        for s in 0..<scenario.schools {
            let present = county.devices(of: s).filter { county.nodes[$0].kind != .liaison && isHonest($0) }
            for a in present where Double.random(in: 0..<1, using: &rng) < scenario.lunchSync {
                guard let b = present.filter({ $0 != a }).randomElement(using: &rng) else { continue }
                clock.ms += 1_000
                try sync(a, b, link: .perfect, label: "lunch")
                noteConvergence([a, b])
            }
        }
        if let m = malicious, turned, let school = county.nodes[m].school,
            let victim = county.devices(of: school).filter({ isHonest($0) && county.nodes[$0].kind != .liaison }).randomElement(using: &rng)
        {
            try attack(from: m, to: victim, kind: Attack.allCases[(d - scenario.faults.maliciousDay) % Attack.allCases.count])
        }
        if let l = lost, untrusted.contains(l), let school = county.nodes[l].school,
            let victim = county.devices(of: school).filter({ isHonest($0) && county.nodes[$0].kind != .liaison }).randomElement(using: &rng)
        {
            clock.ms += 1_000
            try sync(l, victim, link: .perfect, label: "thief at lunch")
        }
    }

    /// The evening: devices reach their township relay over 2G. A relay may be killed mid-sync
    /// (down until morning); the crash-prone device may crash mid-sync; relay 0 may be faulty.
    mutating func evening(_ d: Int, turned: Bool) throws {
        let f = scenario.faults
        let faulty = f.faultyRelayFrom > 0 && (f.faultyRelayFrom...f.faultyRelayTo).contains(d)
        var going: [Int] = []
        // The evening the outage ends, every phone retries the relay (on a link that holds); other evenings some have signal.
        let retry = f.partitionFrom > 0 && d == f.partitionTo + 1
        for i in county.nodes.indices
        where !county.nodes[i].isRelay && (Double.random(in: 0..<1, using: &rng) < scenario.relayEvening || retry) {
            going.append(i)
        }
        if retry { going.shuffle(using: &rng) }
        var killAt: [Int: Int] = [:]
        for t in county.townshipRelays.indices where Double.random(in: 0..<1, using: &rng) < f.relayKillChance {
            let theirs = going.filter { county.nodes[$0].township == t }
            if let victim = theirs.randomElement(using: &rng) { killAt[t] = victim }
        }
        for i in going {
            let t = county.nodes[i].township
            let relay = county.townshipRelays[t]
            clock.ms += UInt64.random(in: 1_000...120_000, using: &rng)
            guard !relayDown.contains(t) else {
                trace.add("\(stamp) node \(i): township relay \(t) is down")
                continue
            }
            if i == malicious && turned {
                try attack(from: i, to: relay, kind: Attack.allCases[(d - f.maliciousDay + 2) % Attack.allCases.count])
                continue
            }
            var link = edgeLink()
            if retry { link.cutAfterBytes = nil }
            let crashes = county.crashProne.contains(i) && Double.random(in: 0..<1, using: &rng) < f.crashChance
            if killAt[t] == i || crashes { link.cutAfterBytes = Int.random(in: 300...6_000, using: &rng) }
            try sync(
                i, relay, link: link, label: i == lost && untrusted.contains(i) ? "thief in the evening" : "evening",
                faulty: faulty && t == 0)
            if crashes {
                try county.restart(i, clock: clock)
                tally.crashes += 1
                trace.add("\(stamp) node \(i) crashed mid-sync and restarted")
            }
            if killAt[t] == i {
                try county.restart(relay, clock: clock)
                relayDown.insert(t)
                tally.relayKills += 1
                trace.add("\(stamp) township relay \(t) was killed mid-sync; it restarts in the morning")
            }
            noteConvergence([i])
        }
    }

    /// The malicious device sends one attack in its own session.
    mutating func attack(from m: Int, to victim: Int, kind: Attack) throws {
        let node = county.nodes[m]
        let school = node.school!
        let elsewhere = county.schoolScopes[(school + 1) % county.schoolScopes.count]
        let child = county.children[school][Int.random(in: 0..<county.children[school].count, using: &rng)]
        clock.ms += 1_000
        let made = try Attack.changes(
            kind, key: node.key, log: node.log, scope: node.scopes[0], elsewhere: elsewhere, child: child,
            now: clock.now(node: m), rng: &rng)
        bad.formUnion(made.ids)
        tally.attacks += 1
        trace.add("\(stamp) node \(m) attacks node \(victim): \(kind) (\(made.ids.count) change(s))")
        try sync(m, victim, link: .perfect, label: "attack \(kind)", extra: made.extra)
    }

    /// Connectivity returns once every clock has caught up: every device reaches its relay three
    /// times round, and the relays reach the district after the first two rounds.
    mutating func reunion() throws {
        let skewDays = Int((scenario.faults.maxSkewHours / 24).rounded(.up))
        clock.ms = time(day: scenario.days + 1 + (scenario.faults.skewedDevices > 0 ? skewDays : 0), hour: 9)
        relayDown = []
        // Back in signal, phones take the network's time: a clock that was behind no longer
        // holds everyone else's changes as "from the future".
        clock.skews = [:]
        if let h = heal, h.doneAt == nil {
            trace.add("\(stamp) still behind since the partition: nodes \(h.outstanding.sorted().map(String.init).joined(separator: ", "))")
        }
        for round in 1...3 {
            if scenario.encrypted && round == 2 { try grantKeys() }
            for i in county.nodes.indices where !county.nodes[i].isRelay && isHonest(i) {
                clock.ms += 1_000
                try sync(i, county.townshipRelays[county.nodes[i].township], link: .perfect, label: "reunion \(round)")
                noteConvergence([i])
            }
            // The third round only brings the district relay's last receipts down to the devices.
            for r in county.townshipRelays where round < 3 {
                clock.ms += 1_000
                try sync(r, county.districtRelay, link: Self.districtLink, label: "reunion \(round)", admin: false)
            }
        }
    }
}
