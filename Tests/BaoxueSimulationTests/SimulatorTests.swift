import BaoxueSimulation
import Testing

/// The small scenario over many seeds: every check passes, and a seed replays byte for byte.
@Suite struct SimulatorTests {
    /// Each run's checks include conflicts: every concurrent edit surfaced on every device, none invented.
    @Test(arguments: 0..<4) func smallScenarioPassesItsChecks(group: UInt64) throws {
        var total = 0
        for seed in (group * 10)..<(group * 10 + 10) {
            let r = try Simulator.run(.small, seed: seed)
            #expect(r.failures.isEmpty, "seed \(seed): \(r.failures); replay with Simulator.run(.small, seed: \(seed))")
            #expect(r.authored > 0 && r.syncs >= 12)
            total += r.conflicts
        }
        #expect(total > 0, "the scenario makes concurrent edits, so the conflict check is not vacuous")
    }

    @Test func theSameSeedGivesTheSameTraceAndDigest() throws {
        let a = try Simulator.run(.small, seed: 7), b = try Simulator.run(.small, seed: 7)
        #expect(a.digest == b.digest && a.trace == b.trace && a.metricsCSV == b.metricsCSV)
        #expect(try Simulator.run(.small, seed: 8).digest != a.digest)
    }

    /// Metrics per day (staleness is above 0 while devices are apart), and the chart draws all three series.
    @Test func metricsAndChart() throws {
        let r = try Simulator.run(.small, seed: 3)
        #expect(r.days.count == Scenario.small.days)
        #expect(r.days.contains { $0.staleP99 > 0 }, "someone is behind at some point")
        #expect(r.metricsCSV.hasPrefix("day,authored,syncs,bytes,schools_agreeing,staleness_p50_h,staleness_p99_h\n"))
        let svg = Chart.svg(r.days, schools: 2, title: "small <3>")
        #expect(svg.hasPrefix("<svg") && svg.components(separatedBy: "<polyline").count == 4 && svg.contains("small &lt;3&gt;"))
    }
}
