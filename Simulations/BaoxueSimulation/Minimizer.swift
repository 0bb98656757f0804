import Foundation

/// Shrinks a failing run to the smallest scenario that still fails with the same seed:
/// each fault turned off in turn (kept off when the failure remains), then fewer school
/// days, then one township. What it returns replays with `baoxue-sim --scenario FILE
/// --first-seed SEED`; its trace is the minimal event trace printed with the failure.
///
/// Why by scenario and not by event: a run is a function of (scenario, seed), so a smaller
/// scenario is a smaller, still exact, replay; dropping single events would not be.
public enum Minimizer {
    /// One simplification: its name (for the report) and the scenario it gives.
    struct Step: Sendable {
        let name: String
        let apply: @Sendable (Scenario) -> Scenario
    }

    static let steps: [Step] = [
        Step(name: "no malicious device") { var s = $0; s.faults.maliciousDay = 0; return s },
        Step(name: "no lost phone") { var s = $0; s.faults.lostDeviceDay = 0; return s },
        Step(name: "no faulty relay") { var s = $0; s.faults.faultyRelayFrom = 0; s.faults.faultyRelayTo = 0; return s },
        Step(name: "no partition") { var s = $0; s.faults.partitionFrom = 0; s.faults.partitionTo = 0; return s },
        Step(name: "no relay kills") { var s = $0; s.faults.relayKillChance = 0; return s },
        Step(name: "no crashes") { var s = $0; s.faults.crashChance = 0; return s },
        Step(name: "no skewed clocks") { var s = $0; s.faults.skewedDevices = 0; return s },
        Step(name: "no cut syncs") { var s = $0; s.cutChance = 0; return s },
        Step(name: "no transfers") { var s = $0; s.transfersPerDay = 0; return s },
        Step(name: "one township") { var s = $0; s.townships = 1; return s },
    ]

    /// What minimizing found: the scenario, the simplifications kept, and its failing run.
    public struct Outcome: Sendable {
        public let scenario: Scenario
        public let kept: [String]
        public let result: Simulator.Result
        /// Runs tried (the first, failing one included).
        public let runs: Int
    }

    /// Nil when `scenario` does not fail with `seed`.
    public static func minimize(_ scenario: Scenario, seed: UInt64) throws -> Outcome? {
        var best = try Simulator.run(scenario, seed: seed)
        guard !best.failures.isEmpty else { return nil }
        var current = scenario, kept: [String] = [], runs = 1
        func attempt(_ candidate: Scenario, _ name: String) throws {
            guard candidate != current, candidate.problem == nil else { return }
            runs += 1
            let r = try Simulator.run(candidate, seed: seed)
            if !r.failures.isEmpty { current = candidate; best = r; kept.append(name) }
        }
        for step in steps { try attempt(step.apply(current), step.name) }
        // Fewer days, halving while it still fails (fault days move in proportion).
        var days = current.days
        while days > 2 {
            days = max(2, days / 2)
            let before = current.days
            try attempt(current.lasting(days), "\(days) days")
            if current.days == before { break }
        }
        return Outcome(scenario: current, kept: kept, result: best, runs: runs)
    }

    /// The trace lines about the nodes and schools the failures name, and the county-wide
    /// events (partitions, relays, revocations): what to read first.
    public static func relevant(_ trace: [String], to failures: [String]) -> [String] {
        var nodes: Set<String> = [], schools: Set<String> = []
        for f in failures {
            for m in f.matches(of: /node (\d+)/) { nodes.insert(String(m.1)) }
            for m in f.matches(of: /school (\d+)/) { schools.insert(String(m.1)) }
        }
        return trace.filter { line in
            line.matches(of: /node (\d+)/).contains { nodes.contains(String($0.1)) }
                || line.matches(of: /school (\d+)/).contains { schools.contains(String($0.1)) }
                || line.contains("partition") || line.contains("relay") && line.contains("killed") || line.contains("revoked")
        }
    }
}
