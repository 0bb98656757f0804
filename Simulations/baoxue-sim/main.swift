import BaoxueSimulation
import Foundation

/// `baoxue-sim --scenario small|district|FILE.json [--seeds N] [--first-seed S] [--jobs J] [--out DIR] [--trace]`
///
/// Runs N seeds (in J processes at once when J > 1), checks each, prints a line per seed and,
/// for a failure, its replay command, what failed and the last events. With `--out`, writes the
/// first seed's daily metrics (CSV), its summary (CSV) and an SVG chart of staleness and
/// convergence into DIR. `--trace` prints each seed's last events. Exit status: 0 all passed, 1 a check failed, 2 bad arguments.
let args = Array(CommandLine.arguments.dropFirst())
func value(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

let known: Set<String> = ["--scenario", "--seeds", "--first-seed", "--jobs", "--out", "--trace"]
for (i, a) in args.enumerated() where a.hasPrefix("--") && !known.contains(a) && (i == 0 || !known.contains(args[i - 1])) {
    fail("unknown option \(a); use --scenario, --seeds, --first-seed, --jobs, --out, --trace")
}
let scenarioName = value("--scenario") ?? "small"
let scenario: Scenario
if let builtIn = Scenario.named(scenarioName) {
    scenario = builtIn
} else if let data = FileManager.default.contents(atPath: scenarioName) {
    do { scenario = try JSONDecoder().decode(Scenario.self, from: data) } catch { fail("scenario \(scenarioName) is not valid JSON for a Scenario: \(error)") }
} else {
    fail("unknown scenario \(scenarioName): use small, district or a JSON file (see Simulations/scenarios/)")
}
if let problem = scenario.problem { fail("scenario \(scenarioName): \(problem)") }
guard let seeds = Int(value("--seeds") ?? "1"), seeds > 0 else { fail("--seeds must be a positive number") }
guard let first = UInt64(value("--first-seed") ?? "1") else { fail("--first-seed must be a number") }
guard let jobs = Int(value("--jobs") ?? "1"), jobs > 0 else { fail("--jobs must be a positive number") }
let started = Date()

/// Parallel sweep: this program again, once per slice of seeds, all at once; their lines are printed as each ends.
if jobs > 1 && seeds > 1 {
    let slices = min(jobs, seeds)
    var processes: [(Process, Pipe)] = []
    var next = first
    for k in 0..<slices {
        let count = seeds / slices + (k < seeds % slices ? 1 : 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        p.arguments = ["--scenario", scenarioName, "--seeds", "\(count)", "--first-seed", "\(next)"]
            + (k == 0 ? (value("--out").map { ["--out", $0] } ?? []) : [])
        let pipe = Pipe()
        p.standardOutput = pipe
        do { try p.run() } catch { fail("cannot start a worker: \(error)") }
        processes.append((p, pipe))
        next += UInt64(count)
    }
    var failed = 0
    for (p, pipe) in processes {
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        for line in output.split(separator: "\n") where !line.hasSuffix(" s") || !line.contains("seed(s)") { print(line) }
        if p.terminationStatus != 0 { failed += 1 }
    }
    print("\(seeds) seed(s) in \(slices) processes, \(failed == 0 ? "all passed" : "\(failed) process(es) saw failures"), "
        + String(format: "%.1f s", Date().timeIntervalSince(started)))
    exit(failed == 0 ? 0 : 1)
}

var failed = 0
for seed in first..<(first + UInt64(seeds)) {
    do {
        let r = try Simulator.run(scenario, seed: seed)
        let s = r.summary
        print("seed \(seed): \(s.authored) changes, \(s.syncs) syncs (\(s.cutSyncs) cut, \(s.refusedSyncs) refused), "
            + "\(s.conflicts) conflicts, \(s.badChanges) bad changes, digest \(r.digest)\(r.failures.isEmpty ? "" : ", FAILED")")
        if !r.failures.isEmpty {
            failed += 1
            print("  replay: baoxue-sim --scenario \(scenarioName) --first-seed \(seed) --seeds 1")
            for f in r.failures.prefix(20) { print("  " + f) }
            for line in r.trace.suffix(40) { print("    " + line) }
        }
        if args.contains("--trace") { for line in r.trace { print("    " + line) } }
        if seed == first {
            for line in s.lines { print("  " + line) }
            if let out = value("--out") {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                try r.metricsCSV.write(toFile: out + "/metrics-seed-\(seed).csv", atomically: true, encoding: .utf8)
                try r.summaryCSV.write(toFile: out + "/summary-seed-\(seed).csv", atomically: true, encoding: .utf8)
                try Chart.svg(r.days, schools: scenario.schools, title: "\(scenario.name), seed \(seed)")
                    .write(toFile: out + "/convergence-seed-\(seed).svg", atomically: true, encoding: .utf8)
            }
        }
    } catch {
        failed += 1
        print("seed \(seed): error \(error)")
    }
}
print(String(format: "%d seed(s), %d failed, %.1f s", seeds, failed, Date().timeIntervalSince(started)))
exit(failed == 0 ? 0 : 1)
