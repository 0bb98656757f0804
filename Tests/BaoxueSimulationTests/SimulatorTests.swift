import BaoxueSimulation
import Foundation
import Testing

/// The small scenario over many seeds: every check passes, and a seed replays byte for byte.
@Suite struct SimulatorTests {
    /// Each run's checks: no loss, everything honest applied, equal views and change sets per scope,
    /// every concurrent edit surfaced and none invented, every malicious or stolen change refused.
    @Test(.tags(.soak), .enabled(if: soakEnabled, "a soak test: bash tools/run test --fast skips it"), arguments: 0..<4)
    func smallScenarioPassesItsChecks(group: UInt64) throws {
        var conflicts = 0
        var bad = 0
        var quarantined = 0
        var crashes = 0
        var kills = 0
        for seed in (group * 5)..<(group * 5 + 5) {
            let r = try Simulator.run(.small, seed: seed)
            #expect(r.failures.isEmpty, "seed \(seed): \(r.failures.prefix(5)); replay with baoxue-sim --first-seed \(seed)")
            conflicts += r.summary.conflicts
            bad += r.summary.badChanges
            quarantined += r.summary.badCopiesQuarantined
            crashes += r.summary.crashes
            kills += r.summary.relayKills
        }
        #expect(conflicts > 0, "the scenario makes concurrent edits, so the conflict check is not vacuous")
        #expect(bad > 0 && quarantined > 0, "malicious and stolen changes reached honest replicas and were refused there")
        #expect(crashes + kills > 0, "crashes and relay kills happened")
    }

    /// Issue 21's county month: two townships' policies (one changed mid-month), voids, provisional
    /// children merged on day 20; every device's November and December reports agree with its
    /// colleagues' byte for byte and with the oracle from the signed ops.
    @Test(.tags(.soak), .enabled(if: soakEnabled, "a soak test: bash tools/run test --fast skips it"))
    func theCountyMonthsReportsAgreeWithTheOracle() throws {
        let r = try Simulator.run(.county, seed: 3)
        #expect(r.failures.isEmpty, "\(r.failures.prefix(5)); replay with baoxue-sim --scenario county --first-seed 3")
        let december = r.trace.filter { $0.contains("2025-12-01–2025-12-31:") }
        #expect(december.count == Scenario.county.schools, "each school's December was compared")
        #expect(december.contains { !$0.contains("opened 0,") }, "entries opened, so the comparison is not vacuous: \(december)")
        var short = Scenario.county
        short.days = 20
        #expect(short.problem != nil, "the county rules need all of December")
    }

    @Test func theSameSeedGivesTheSameTraceAndDigest() throws {
        let a = try Simulator.run(.small, seed: 7)
        let b = try Simulator.run(.small, seed: 7)
        #expect(a.digest == b.digest && a.traceDigest == b.traceDigest && a.metricsCSV == b.metricsCSV && a.summary == b.summary)
        #expect(try Simulator.run(.small, seed: 8).traceDigest != a.traceDigest)
    }

    /// Metrics per day (staleness is above 0 while devices are apart), the summary's figures, and the chart.
    @Test func metricsAndChart() throws {
        let r = try Simulator.run(.small, seed: 3)
        #expect(r.days.count == Scenario.small.days)
        #expect(r.days.contains { $0.staleP99 > 0 }, "someone is behind at some point")
        #expect(r.days.contains { $0.partitioned })
        #expect(r.metricsCSV.hasPrefix("day,authored,syncs,bytes,schools_agreeing,staleness_p50_h,staleness_p99_h,partitioned\n"))
        let s = r.summary
        #expect(
            s.devices == 4 * (3 + 1 + 1) + 2 && s.relays == 3, "per school 3 teachers, a liaison, an admin; a township admin per township")
        #expect(s.transfers > 0, "the township admins moved children between schools (and the checks held)")
        #expect(s.edits > 0 && s.deviceBytesPerDay > 0 && s.townshipRelayBytesPerDay > s.deviceBytesPerDay && s.storageMeanBytes > 0)
        #expect(s.convergenceHours.map { $0 > 0 && $0.isFinite } == true)
        let svg = Chart.svg(r.days, schools: 4, title: "small <3>")
        #expect(svg.hasPrefix("<svg") && svg.components(separatedBy: "<polyline").count == 4 && svg.contains("small &lt;3&gt;"))
    }

    /// A scenario file: missing keys keep their defaults; a bad one is refused with its reason.
    @Test func scenarioFromJSON() throws {
        let s = try JSONDecoder().decode(Scenario.self, from: Data(#"{"name": "x", "townships": 3, "faults": {"crashChance": 0.5}}"#.utf8))
        #expect(s.townships == 3 && s.schoolsPerTownship == Scenario().schoolsPerTownship && s.faults.crashChance == 0.5)
        #expect(s.faults.lostDeviceDay == Scenario.Faults().lostDeviceDay && s.problem == nil)
        var bad = s
        bad.lunchSync = 2
        #expect(bad.problem?.contains("lunchSync") == true)
        #expect(throws: Simulator.SimulationError.self) { try Simulator.run(bad, seed: 1) }
    }

    /// A sharded county: a township is a scenario of its own, a worker's summary line reads back
    /// whole, and the district's figures add up from the townships'.
    @Test func shardsAndTheirSummaries() throws {
        let d = Scenario.district
        #expect(d.schools == 96 && d.schools * (d.teachersPerSchool + d.liaisonsPerSchool + d.adminsPerSchool) == 5_952)
        #expect(d.schools * d.childrenPerSchool == 120_000 && d.problem == nil)
        let shard = d.shard(5)
        #expect(shard.townships == 1 && shard.firstTownship == 5 && !shard.shardByTownship && shard.problem == nil)
        let short = d.lasting(10)
        #expect(short.days == 10 && short.problem == nil && short.faults.partitionTo < 10 && short.faults.lostDeviceDay >= 1)

        var a = Simulator.Summary()
        a.devices = 10
        a.authored = 100
        a.conflicts = 3
        a.deviceBytesPerDay = 1_000
        a.storageMeanBytes = 300
        a.districtRelayBytesPerDay = 50
        a.convergenceHours = 20
        a.catchUpP50Hours = 5
        a.storageMaxBytes = 400
        a.badCopiesApplied = 0
        var b = a
        b.devices = 30
        b.deviceBytesPerDay = 2_000
        b.convergenceHours = 40
        b.storageMaxBytes = 900
        #expect(Simulator.Summary(csv: a.csv) == a)
        #expect(Simulator.Summary(csv: "1,2,3") == nil)
        let t = Simulator.Summary.combining([a, b])
        #expect(t.devices == 40 && t.authored == 200 && t.conflicts == 6 && t.relays == 3)
        #expect(t.deviceBytesPerDay == 1_750 && t.districtRelayBytesPerDay == 100 && t.convergenceHours == 40 && t.storageMaxBytes == 900)
    }

    /// The checks catch a broken replica (an injected bug: one teacher's syncs silently do nothing),
    /// and the minimizer keeps the failure while it turns every fault off, drops a township and
    /// shortens the run: the smallest scenario that still fails, replayable from its seed.
    @Test func aBrokenReplicaIsCaughtAndTheFailureMinimized() throws {
        var broken = Scenario.small.lasting(4)
        broken.faults.sabotage = true
        let m = try #require(try Minimizer.minimize(broken, seed: 11))
        var none = Scenario.Faults.none
        none.sabotage = true
        none.maxSkewHours = broken.faults.maxSkewHours
        #expect(m.scenario.faults == none && m.scenario.townships == 1 && m.scenario.days == 2 && m.scenario.transfersPerDay == 0)
        #expect(m.result.failures.contains { $0.contains("lacks") }, "\(m.result.failures)")
        let again = try Simulator.run(m.scenario, seed: 11)
        #expect(again.failures == m.result.failures && again.traceDigest == m.result.traceDigest, "the minimal run replays exactly")
        let relevant = Minimizer.relevant(m.result.trace, to: m.result.failures)
        #expect(!relevant.isEmpty && relevant.count <= m.result.trace.count)
        #expect(try Minimizer.minimize(Scenario.small.lasting(4), seed: 11) == nil, "without the bug the same run passes")
    }
}
