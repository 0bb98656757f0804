import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import BaoxueTrust
import Foundation

/// One run's moving parts: the county, the seeded random source, what was
/// written, and the running tallies. `Simulator.run` drives it day by day;
/// `Checks` judges it at the end.
///
/// Invariant: every random choice comes from `rng`, in a fixed order, so a
/// seed replays the same run; the only clock is `clock`.
struct Simulation {
    let scenario: Scenario
    let seed: UInt64
    let clock = SimClock()
    var county: County
    var rng: SeededGenerator
    let work: [FieldWork]

    /// Honest changes written, per school, with the simulated time each was written.
    var authored: [[(change: Change, at: UInt64)]]
    /// Changes no honest replica may apply: the thief's, the malicious device's attacks.
    var bad: Set<ChangeID> = []
    /// Nodes whose keys are not trusted any more (the lost phone, the malicious device).
    var untrusted: Set<Int> = []
    var lost: Int?
    var lostAt: UInt64 = 0
    var malicious: Int?
    /// Changes the lost phone wrote that never left it: gone with the phone, not counted as lost by the system.
    var goneWithPhone = 0
    /// Township relays that are down until the next morning (killed).
    var relayDown: Set<Int> = []
    /// Transfers written: the child, its old and new school, the content key ids its grant carries.
    var transfers: [(child: RecordID, from: Int, to: Int, bundles: Set<ChangeID>, carried: Set<ChangeID>)] = []

    /// With `countyRules`: the policies the township admins published, oldest first.
    var policies: [(township: Int, policy: DistrictPolicy)] = []

    var tally = Tally()
    var trace = Trace()
    var heal: Heal?
    /// Per device: how many of its school's `authored` changes, from the first, it is known to hold.
    var heldPrefix: [Int: Int] = [:]

    /// The partition's end: what every honest device must catch up on, and when it did.
    struct Heal {
        let at: UInt64
        /// Per school, the honest changes written before the partition ended.
        let ids: [[ChangeID]]
        var outstanding: Set<Int>
        /// When each device caught up.
        var caughtUp: [Int: UInt64] = [:]
        var doneAt: UInt64?
    }

    /// Running counts for the metrics.
    struct Tally {
        var syncs = 0, cuts = 0, refused = 0, bytes = 0, crashes = 0, relayKills = 0, attacks = 0
        /// Key grants and rotations written; writes refused because the writer held no key yet.
        var grants = 0, noKey = 0
        /// Transfers between schools written (child grant, 转出, 转入).
        var transfers = 0
        /// Bytes through each node (both directions of its syncs).
        var nodeBytes: [Int: Int] = [:]
        /// `nodeBytes` when the school days began and when they ended (enrolment and the reunion are not daily traffic).
        var daysBegan: [Int: Int] = [:]
        var daysEnded: [Int: Int] = [:]
        func dailyBytes(_ node: Int) -> Int { daysEnded[node, default: 0] - daysBegan[node, default: 0] }
    }

    init(_ scenario: Scenario, seed: UInt64) throws {
        self.scenario = scenario
        self.seed = seed
        rng = SeededGenerator(seed: seed)
        county = try County(scenario, seed: seed, clock: clock)
        // With `countyRules` each school's work also touches the child it will find without papers.
        work = county.children.enumerated().map { s, children in
            FieldWork(children: scenario.countyRules ? children + [Self.provisionalChild(seed: seed, school: s)] : children)
        }
        authored = Array(repeating: [], count: scenario.schools)
    }

    var start: UInt64 { county.start }
    func time(day: Int, hour: Int) -> UInt64 { start + UInt64(day) * 86_400_000 + UInt64(hour) * 3_600_000 }
    var stamp: String { stamp(clock.ms) }
    /// Simulated time `ms` as the trace writes it: `d<day> HH:MM` since the county's start.
    func stamp(_ ms: UInt64) -> String {
        "d\((ms - start) / 86_400_000) \(String(format: "%02d:%02d", (ms - start) / 3_600_000 % 24, (ms - start) / 60_000 % 60))"
    }
    func isHonest(_ i: Int) -> Bool { !untrusted.contains(i) }

    // MARK: Writing

    /// Node `i` records what its role allows, chosen from what its replica shows. The crash-prone
    /// device may crash mid-append: the transaction rolls back and it restarts from its file.
    mutating func write(_ i: Int) throws {
        let node = county.nodes[i]
        guard let school = node.school else { return }
        let role = node.certificate.role
        let today = try SimpleDate(unixMilliseconds: clock.now(node: i))
        var local = rng
        let crash = county.crashProne.contains(i) && Double.random(in: 0..<1, using: &rng) < scenario.faults.crashChance
        let build: (RecordSnapshot) throws(StoreError) -> [RecordOp] = { [work] s throws(StoreError) in
            var ops = try work[school].ops(s, rng: &local, today: today).filter {
                Permissions.operation(of: $0).allowedRoles.contains(role)
            }
            if ops.isEmpty { ops = [.add(kind: .child, record: work[school].children[0], set: "focus", element: "migrant")] }
            if crash { throw StoreError.io(path: "simulated power cut", errno: 5) }
            return ops
        }
        if crash {
            let before = try node.log.count(nil)
            do {
                _ = try node.log.appendOperations(by: node.key, scope: node.scopes[0], now: clock.now(node: i), build)
            } catch {}
            try county.restart(i, clock: clock)
            tally.crashes += 1
            let after = try county.nodes[i].log.count(nil)
            trace.add("\(stamp) node \(i) crashed mid-append and restarted (\(before) → \(after) changes stored)")
            if after != before { trace.fail("node \(i): a crashed append left \(after - before) change(s) behind") }
            return
        }
        let written = Result { () throws(StoreError) in
            try node.log.appendOperations(by: node.key, scope: node.scopes[0], now: clock.now(node: i), build)
        }
        rng = local
        if case .failure(.noScopeKey) = written {
            // Its school is encrypted and its grant has not reached it: nothing is written in clear.
            tally.noKey += 1
            trace.add("\(stamp) node \(i) holds no key for its school yet: nothing written")
            return
        }
        let change = try written.get()
        if i == lost && clock.ms >= lostAt {
            bad.insert(change.id)
            trace.add("\(stamp) the lost phone (node \(i)) wrote \(change.id.hex.prefix(12))")
        } else {
            authored[school].append((change, clock.ms))
            trace.add("\(stamp) node \(i) (\(node.kind.rawValue)) wrote \(change.id.hex.prefix(12))")
        }
    }

    /// Each school admin (or only `only`) seals its school's key to the members it knows that lack
    /// it, or rotates it when a revoked device holds the current one (privacy.md §2).
    mutating func grantKeys(only: [Int]? = nil) throws {
        for a in only ?? county.nodes.indices.filter({ county.nodes[$0].kind == .admin && isHonest($0) }) {
            let node = county.nodes[a]
            let now = clock.now(node: a)
            let status = try node.log.keyStatus(now: now).first { $0.scope == node.scopes[0] }
            let rotate = !(status?.revokedRecipients.isEmpty ?? true)
            guard status?.heldEpoch == nil || rotate || !(status?.lacking.isEmpty ?? true) else { continue }
            if status?.encrypted == true && status?.heldEpoch == nil && !rotate { continue }  // another admin's key has not reached it
            _ = try node.log.grantKeys(by: node.key, scope: node.scopes[0], rotate: rotate, now: now)
            tally.grants += 1
            trace.add("\(stamp) admin node \(a) \(rotate ? "rotated" : "granted") the key of school \(node.school ?? -1)")
        }
    }

    // MARK: Syncing

    /// The session node `i` runs: no hand-kept peer list, admission by presented certificates
    /// (trust.md §7), exactly as two enrolled devices or a device and a relay do it.
    func endpoint(_ i: Int, role: SyncRole, scopes: [ScopeID], source: (any SyncDataSource)? = nil) throws -> SyncEndpoint {
        let node = county.nodes[i]
        let log = node.log
        let key = node.key
        let now = clock.now(node: i)
        let session = try SyncSession(
            role: role == .initiator ? .initiator : .responder, key: key, policy: SyncPolicy(), scopes: scopes,
            source: source ?? StoreSyncSource(log), now: clock.ms - start, certificates: [node.certificate.encoded]
        )
        // The same driver as over TCP: it answers the session's `.vouch` from the node's trust store.
        return SyncEndpoint(session: session, store: log) { peer, presented in
            (try? log.admitPresented(presented, peer: peer, carrier: key, at: now)).flatMap { $0 }.map { .within($0) }
        }
    }

    /// One sync over `link`: node `a` opens it, node `b` answers. Returns whether it completed.
    @discardableResult
    mutating func sync(
        _ a: Int, _ b: Int, link: LinkConditions, label: String, admin: Bool = true,
        extra: [[UInt8]] = [], faulty: Bool = false
    ) throws -> Bool {
        if scenario.faults.sabotage, clock.ms >= time(day: 1, hour: 0),
            let broken = county.devices(of: 0).first(where: { county.nodes[$0].kind == .teacher }),
            a == broken || b == broken
        {
            return false  // the injected bug: this replica's syncs do nothing, and say nothing
        }
        let scopes = (admin ? [ScopeID.admin] : []) + county.nodes[a].scopes
        let source: (any SyncDataSource)? = extra.isEmpty ? nil : PretendingSource(base: StoreSyncSource(county.nodes[a].log), extra: extra)
        var initiator = try endpoint(a, role: .initiator, scopes: scopes, source: source)
        var responder = try endpoint(
            b, role: .responder, scopes: [],
            source: faulty ? FaultyRelaySource(base: StoreSyncSource(county.nodes[b].log), salt: UInt8(seed & 0xFF)) : nil)
        let report = SimulatedLink.run(initiator: &initiator, responder: &responder, conditions: link, startMs: clock.ms - start)
        let bytes = report.bytesFromInitiator + report.bytesFromResponder
        tally.syncs += 1
        tally.bytes += bytes
        tally.nodeBytes[a, default: 0] += bytes
        tally.nodeBytes[b, default: 0] += bytes
        if report.cut { tally.cuts += 1 }
        let outcome: String
        var ok = false
        switch report.initiator {
        case .success(let s)?:
            outcome = "sent \(s.sentChanges) received \(s.receivedChanges)"
            ok = true
        case .failure(let e)?:
            if case .peerAborted(_, let reason) = e { outcome = "ended \(e.name): \(reason)" } else { outcome = "ended \(e.name)" }
            if case .peerNotAllowed = e { tally.refused += 1 }
        case nil: outcome = "no result"
        }
        trace.add("\(stamp) \(label): node \(a) ↔ node \(b): \(outcome)\(report.cut ? " (cut)" : "")\(faulty ? " [faulty relay]" : "")")
        return ok
    }

    /// A 2G evening link, cut part-way with the scenario's chance.
    mutating func edgeLink() -> LinkConditions {
        var link = LinkConditions.edge
        link.seed = rng.next()
        if Double.random(in: 0..<1, using: &rng) < scenario.cutChance { link.cutAfterBytes = Int.random(in: 200...20_000, using: &rng) }
        return link
    }

    /// The township office's line to the district: 1 Mbit/s, 50 ms.
    static let districtLink = LinkConditions(latencyMs: 50, bytesPerSecond: 125_000)
}

/// The run's events: a running digest of all of them (for replay comparison) and the
/// last few hundred (to print with a failure); plus failures found along the way.
struct Trace {
    private(set) var digest: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var tail: [String] = []
    private(set) var count = 0
    private(set) var failures: [String] = []

    mutating func add(_ line: String) {
        for byte in line.utf8 { digest = (digest ^ UInt64(byte)) &* 0x100_0000_01b3 }
        digest = (digest ^ 0x0a) &* 0x100_0000_01b3
        count += 1
        tail.append(line)
        if tail.count > 4_000 { tail.removeFirst(1_000) }
    }

    mutating func fail(_ line: String) { failures.append(line) }
}
