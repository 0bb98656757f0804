import ArgumentParser
import BaoxueSimulation
import Foundation

/// `baoxue-sim --scenario small|district|FILE.json [--seeds N] [--first-seed S] [--jobs J] [--days D] [--out DIR] [--trace]`
///
/// Runs N seeds (in J processes at once when J > 1), checks each, prints a line per seed and,
/// for a failure, its replay command, what failed and the last events. A county sharded by
/// township (`district`) runs each township as its own simulation, J processes at once, and
/// prints the district's figures. `--days` shortens or lengthens the run (fault days move in
/// proportion). With `--out`, writes the first seed's daily metrics and summary (CSV) and an SVG
/// chart of staleness and convergence into DIR. `--trace` prints each run's last events.
/// A failing run is minimized (`Minimizer`: faults off, fewer days, one township, while it still
/// fails) — always for a small county, with `--minimize` for a big one — and the smallest failing
/// scenario is saved as JSON (in DIR, or the temporary folder) with its replay command.
/// Exit status: 0 all passed, 1 a check failed, 2 bad arguments.
// Swift seeds Set and Dictionary hashing per process; a run must not depend on it, so the
// simulator always runs with the seed pinned (its worker processes inherit it).
if ProcessInfo.processInfo.environment["SWIFT_DETERMINISTIC_HASHING"] == nil, let path = Bundle.main.executablePath {
    setenv("SWIFT_DETERMINISTIC_HASHING", "1", 1)
    let argv = [path] + CommandLine.arguments.dropFirst()
    var cArgs = argv.map { strdup($0) } + [nil]
    execv(path, &cArgs)
    FileHandle.standardError.write(Data("cannot restart with SWIFT_DETERMINISTIC_HASHING=1: errno \(errno)\n".utf8))
    exit(2)
}
/// The command line, parsed by swift-argument-parser.
struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "baoxue-sim", abstract: "Runs the county simulator and checks each seed.")
    @Option(help: "small, county, district, or a scenario JSON file (see Simulations/scenarios/)") var scenario = "small"
    @Option(help: "how many seeds to run") var seeds = 1
    @Option(name: .customLong("first-seed"), help: "the first seed") var firstSeed: UInt64 = 1
    @Option(help: "processes at once") var jobs = 1
    @Option(help: "school days (fault days move in proportion), at least 2") var days: Int?
    @Option(help: "a folder for the first seed's metrics, summary and chart") var out: String?
    @Flag(help: "print each run's last events") var trace = false
    @Option(help: "K/J: run township K of J (a sharded county's worker)") var shard: String?
    @Flag(help: "minimize a failing run of a big county too") var minimize = false

    func validate() throws {
        guard seeds > 0 else { throw ValidationError("--seeds must be a positive number") }
        guard jobs > 0 else { throw ValidationError("--jobs must be a positive number") }
        if let days, days < 2 { throw ValidationError("--days must be a number of school days, at least 2") }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

let options: Options
do { options = try Options.parse() } catch {
    // A usage error exits 2, as the simulator always has; --help exits 0.
    let code = Options.exitCode(for: error)
    FileHandle.standardError.write(Data((Options.fullMessage(for: error) + "\n").utf8))
    exit(code == .success ? 0 : 2)
}
let scenarioName = options.scenario
var scenario: Scenario
if let builtIn = Scenario.named(scenarioName) {
    scenario = builtIn
} else if let data = FileManager.default.contents(atPath: scenarioName) {
    do { scenario = try JSONDecoder().decode(Scenario.self, from: data) } catch {
        fail("scenario \(scenarioName) is not valid JSON for a Scenario: \(error)")
    }
} else {
    fail("unknown scenario \(scenarioName): use small, county, district or a JSON file (see Simulations/scenarios/)")
}
if let days = options.days { scenario = scenario.lasting(days) }
if let problem = scenario.problem { fail("scenario \(scenarioName): \(problem)") }
let seeds = options.seeds
let first = options.firstSeed
let jobs = options.jobs
let started = Date()
let passOn = ["--scenario", scenarioName] + (options.days.map { ["--days", "\($0)"] } ?? [])

/// Starts this program again with `arguments`; returns it and its output pipe.
@Sendable func worker(_ arguments: [String]) -> (Process, Pipe) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    do { try p.run() } catch { fail("cannot start a worker: \(error)") }
    return (p, pipe)
}

/// The townships of a sharded county not yet handed to a worker process, and what each printed.
final class TownshipQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private var next = 0
    private var finished: [Int: (output: String, status: Int32)] = [:]

    init(count: Int) { self.count = count }

    func take() -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func finish(_ township: Int, output: String, status: Int32) { lock.withLock { finished[township] = (output, status) } }

    /// In township order.
    var results: [(output: String, status: Int32)] { lock.withLock { (0..<count).compactMap { finished[$0] } } }
}

/// Runs one scenario and seed, prints its line (and, on failure, how to replay it); true when every check passed.
func runOne(_ s: Scenario, seed: UInt64, label: String, replay: String, details: Bool) -> (Bool, Simulator.Summary?) {
    do {
        let began = Date()
        let r = try Simulator.run(s, seed: seed) { day in
            // Long runs report every tenth day on stderr, so a person sees they are moving.
            if s.schools * s.teachersPerSchool > 200 && day % 10 == 0 {
                FileHandle.standardError.write(
                    Data(String(format: "\(label): day %d of %d, %.0f s\n", day, s.days, Date().timeIntervalSince(began)).utf8))
            }
        }
        let m = r.summary
        print(
            "\(label): \(m.authored) changes, \(m.syncs) syncs (\(m.cutSyncs) cut, \(m.refusedSyncs) refused), "
                + "\(m.conflicts) conflicts, \(m.badChanges) bad changes, digest \(r.digest)\(r.failures.isEmpty ? "" : ", FAILED")")
        if !r.failures.isEmpty {
            print("  replay: baoxue-sim \(replay)")
            for f in r.failures.prefix(20) { print("  " + f) }
            if s.schools * s.teachersPerSchool <= 200 || options.minimize {
                try minimized(s, seed: seed)
            } else {
                print("  (add --minimize for the smallest scenario that still fails; the last events:)")
                for line in r.trace.suffix(40) { print("    " + line) }
            }
        }
        if options.trace { for line in r.trace { print("    " + line) } }
        if details {
            for line in m.lines { print("  " + line) }
            print(
                String(
                    format: "  time: set-up %.1f s, %d days %.1f s, reunion and checks %.1f s", r.seconds.setUp, s.days, r.seconds.days,
                    r.seconds.end))
            if let out = options.out {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let tag = s.shardByTownship || s.firstTownship == 0 ? "seed-\(seed)" : "township-\(s.firstTownship)-seed-\(seed)"
                try r.metricsCSV.write(toFile: out + "/metrics-\(tag).csv", atomically: true, encoding: .utf8)
                try r.summaryCSV.write(toFile: out + "/summary-\(tag).csv", atomically: true, encoding: .utf8)
                try Chart.svg(r.days, schools: s.schools, title: "\(s.name), seed \(seed)")
                    .write(toFile: out + "/convergence-\(tag).svg", atomically: true, encoding: .utf8)
            }
        }
        return (r.failures.isEmpty, m)
    } catch {
        print("\(label): error \(error)")
        return (false, nil)
    }
}

/// Shrinks a failing run (`Minimizer`), saves the smallest failing scenario as JSON and prints
/// how to replay it, what it still fails, and its events about the nodes and schools named.
func minimized(_ s: Scenario, seed: UInt64) throws {
    guard let m = try Minimizer.minimize(s, seed: seed) else {
        print("  (the failure did not recur when replayed)")
        return
    }
    let folder = options.out ?? NSTemporaryDirectory()
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let file = (folder as NSString).appendingPathComponent("minimal-\(s.name.replacingOccurrences(of: " ", with: "-"))-seed-\(seed).json")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(m.scenario).write(to: URL(fileURLWithPath: file))
    print(
        "  minimal (\(m.runs) runs; \(m.kept.isEmpty ? "nothing could be removed" : m.kept.joined(separator: ", "))): "
            + "baoxue-sim --scenario \(file) --first-seed \(seed) --trace")
    for f in m.result.failures.prefix(10) { print("    " + f) }
    let relevant = Minimizer.relevant(m.result.trace, to: m.result.failures)
    print("  its events about what failed (\(relevant.count) of \(m.result.trace.count)):")
    for line in relevant.suffix(60) { print("    " + line) }
}

// A county sharded by township: seed `first`, its townships spread over the processes.
if scenario.shardByTownship {
    let townships = 0..<scenario.townships
    if let shard = options.shard {
        let parts = shard.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] > 0, (0..<parts[1]).contains(parts[0]) else { fail("--shard must be K/J with 0 ≤ K < J") }
        var ok = true
        for t in townships where t % parts[1] == parts[0] {
            let (passed, summary) = runOne(
                scenario.shard(t), seed: Scenario.shardSeed(first, township: t), label: "township \(t)",
                replay: passOn.joined(separator: " ") + " --first-seed \(first) --shard \(t % parts[1])/\(parts[1])", details: true)
            ok = ok && passed
            if let summary { print("SUMMARY " + summary.csv) }
        }
        exit(ok ? 0 : 1)
    }
    // One process per township, `jobs` at a time: a process that drew a short township takes the next
    // one, so the run ends near (sum of townships) / jobs rather than with the slower half's sum.
    let slices = min(jobs, scenario.townships)
    let queue = TownshipQueue(count: scenario.townships)
    let arguments = passOn + ["--first-seed", "\(first)"] + (options.out.map { ["--out", $0] } ?? [])
    let done = DispatchGroup()
    for _ in 0..<slices {
        done.enter()
        Thread { [townships = scenario.townships] in
            while let t = queue.take() {
                let (p, pipe) = worker(arguments + ["--shard", "\(t)/\(townships)"])
                let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                p.waitUntilExit()
                queue.finish(t, output: output, status: p.terminationStatus)
            }
            done.leave()
        }.start()
    }
    done.wait()
    var failed = 0
    var parts: [Simulator.Summary] = []
    for (output, status) in queue.results {
        for line in output.split(separator: "\n") {
            if line.hasPrefix("SUMMARY "), let s = Simulator.Summary(csv: String(line.dropFirst(8))) {
                parts.append(s)
            } else {
                print(line)
            }
        }
        if status != 0 { failed += 1 }
    }
    if parts.count != scenario.townships { failed += 1 }
    print(
        "\(scenario.name), seed \(first): \(parts.count) of \(scenario.townships) townships, \(scenario.days) school days, \(slices) "
            + "processes"
    )
    for line in Simulator.Summary.combining(parts).lines { print("  " + line) }
    print((failed == 0 ? "all checks passed" : "FAILED") + String(format: ", %.1f s", Date().timeIntervalSince(started)))
    exit(failed == 0 ? 0 : 1)
}

// Parallel sweep: this program again, once per slice of seeds, all at once.
if jobs > 1 && seeds > 1 {
    let slices = min(jobs, seeds)
    var next = first
    var running: [(Process, Pipe)] = []
    for k in 0..<slices {
        let count = seeds / slices + (k < seeds % slices ? 1 : 0)
        running.append(
            worker(
                passOn + ["--seeds", "\(count)", "--first-seed", "\(next)"] + (k == 0 ? (options.out.map { ["--out", $0] } ?? []) : [])))
        next += UInt64(count)
    }
    var failed = 0
    for (p, pipe) in running {
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        for line in output.split(separator: "\n") where !line.contains(" seed(s), ") { print(line) }
        if p.terminationStatus != 0 { failed += 1 }
    }
    print(
        "\(seeds) seed(s) in \(slices) processes, \(failed == 0 ? "all passed" : "\(failed) process(es) saw failures"), "
            + String(format: "%.1f s", Date().timeIntervalSince(started)))
    exit(failed == 0 ? 0 : 1)
}

var failed = 0
for seed in first..<(first + UInt64(seeds)) {
    let (passed, _) = runOne(
        scenario, seed: seed, label: "seed \(seed)",
        replay: passOn.joined(separator: " ") + " --first-seed \(seed) --seeds 1", details: seed == first)
    if !passed { failed += 1 }
}
print(String(format: "%d seed(s), %d failed, %.1f s", seeds, failed, Date().timeIntervalSince(started)))
exit(failed == 0 ? 0 : 1)
