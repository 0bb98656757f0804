import BaoxueSimulation
import Foundation

/// `baoxue-sim --scenario small|FILE.json [--seeds N] [--first-seed S] [--out DIR]`: runs N seeds,
/// checks each, prints a line per seed and the seed of any failure with its trace, and writes
/// the metrics of the first seed as CSV and an SVG chart into DIR. Exit 1 if any check failed.
let args = Array(CommandLine.arguments.dropFirst())
func value(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

let scenarioName = value("--scenario") ?? "small"
let scenario: Scenario
if scenarioName == "small" {
    scenario = .small
} else if let data = FileManager.default.contents(atPath: scenarioName) {
    do { scenario = try JSONDecoder().decode(Scenario.self, from: data) } catch { fail("scenario \(scenarioName) is not valid JSON for a Scenario: \(error)") }
} else {
    fail("unknown scenario \(scenarioName): use small or a JSON file (see Simulations/scenarios/)")
}
guard let seeds = Int(value("--seeds") ?? "1"), seeds > 0 else { fail("--seeds must be a positive number") }
guard let first = UInt64(value("--first-seed") ?? "1") else { fail("--first-seed must be a number") }

var failed = 0
let started = Date()
for seed in first..<(first + UInt64(seeds)) {
    do {
        let r = try Simulator.run(scenario, seed: seed)
        print("seed \(seed): \(r.authored) changes, \(r.syncs) syncs (\(r.cutSyncs) cut), \(r.bytes) bytes, \(r.conflicts) conflicts, digest \(r.digest)\(r.failures.isEmpty ? "" : ", FAILED")")
        if !r.failures.isEmpty {
            failed += 1
            print("  replay: baoxue-sim --scenario \(scenarioName) --first-seed \(seed) --seeds 1")
            for f in r.failures { print("  " + f) }
            for line in r.trace.suffix(40) { print("    " + line) }
        }
        if seed == first, let out = value("--out") {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try r.metricsCSV.write(toFile: out + "/metrics-seed-\(seed).csv", atomically: true, encoding: .utf8)
            try Chart.svg(r.days, schools: scenario.schools, title: "\(scenario.name), seed \(seed)")
                .write(toFile: out + "/convergence-seed-\(seed).svg", atomically: true, encoding: .utf8)
        }
    } catch {
        failed += 1
        print("seed \(seed): error \(error)")
    }
}
print(String(format: "%d seed(s), %d failed, %.1f s", seeds, failed, Date().timeIntervalSince(started)))
exit(failed == 0 ? 0 : 1)
