import BaoxueCore
import BaoxueSodium
import BaoxueStore
import Foundation
import GRDB

/// Prints the foundation's figures in one run: bare verify, bare insert,
/// verified append (1 and 2 cores) and memory while appending many changes.
/// Usage: baoxue-bench [--changes N] [--million M]   (M = 0 skips the memory run)
let args = CommandLine.arguments
func intArg(_ name: String, _ fallback: Int) -> Int {
    args.firstIndex(of: name).flatMap { args.indices.contains($0 + 1) ? Int(args[$0 + 1]) : nil } ?? fallback
}
if args.contains("records") {
    let data = args.firstIndex(of: "--data").flatMap { args.indices.contains($0 + 1) ? args[$0 + 1] : nil }
    try RecordsBench.run(
        children: intArg("--children", 120_000), events: intArg("--events", 600_000), data: data,
        rebuildOnly: args.contains("--rebuild-only"))
    exit(0)
}
if args.contains("ui") {
    let sizes =
        args.firstIndex(of: "--children").flatMap {
            args.indices.contains($0 + 1) ? args[$0 + 1].split(separator: ",").compactMap { Int($0) } : nil
        } ?? [5_000, 120_000]
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        let data = args.firstIndex(of: "--data").flatMap { args.indices.contains($0 + 1) ? args[$0 + 1] : nil }
        do { try await UIBench.run(sizes: sizes, rounds: intArg("--rounds", 40), data: data) } catch { print("ui bench failed: \(error)") }
        done.signal()
    }
    done.wait()
    exit(0)
}
if args.contains("concurrent") {
    try ConcurrentWritesBench.run(writes: intArg("--writes", 10_000))
    exit(0)
}
if args.contains("privacy") {
    try PrivacyBench.run(children: intArg("--children", 1_250), events: intArg("--events", 3_000))
    exit(0)
}
if args.contains("log-storage") {
    let changes = intArg("--changes", 100_000)
    if changes > 0 { try LogStorageBench.run(count: changes) }
    let scope = intArg("--scope", 1_000_000)
    if scope > 0 { try LogStorageBench.scopeSets(n: scope) }
    exit(0)
}
if args.contains("writer") {
    try WriterBench.run(count: intArg("--changes", 30_000), rounds: intArg("--rounds", 5))
    exit(0)
}
if args.contains("verify") {
    try VerifyBench.run(count: intArg("--changes", 1_000_000))
    exit(0)
}
if args.contains("relay") {
    let sizes =
        args.firstIndex(of: "--devices").flatMap {
            args.indices.contains($0 + 1) ? args[$0 + 1].split(separator: ",").compactMap { Int($0) } : nil
        }
        ?? [100, 1_000, 5_000]
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("baoxue").path
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        // --store sqlite,postgres: side by side, one SQLite relay and two PostgreSQL relay processes.
        let stores: [RelayLoadBench.Store] =
            (args.firstIndex(of: "--store").map { args.indices.contains($0 + 1) ? args[$0 + 1] : "" } ?? "sqlite")
            .split(separator: ",").map { $0 == "postgres" ? .postgres(processes: 2) : .sqlite }
        do { try await RelayLoadBench.run(sizes: sizes, perDay: intArg("--per-day", 30), baoxue: binary, stores: stores) } catch {
            print("relay load failed: \(error)")
        }
        done.signal()
    }
    done.wait()
    exit(0)
}
if args.contains("sync") {
    let sizes =
        args.firstIndex(of: "--sizes").flatMap {
            args.indices.contains($0 + 1) ? args[$0 + 1].split(separator: ",").compactMap { Int($0) } : nil
        }
        ?? [10_000, 100_000, 1_000_000]
    print("baoxue-bench sync; \(ProcessInfo.processInfo.activeProcessorCount) cores")
    let dump = args.firstIndex(of: "--dump-sets").flatMap { args.indices.contains($0 + 1) ? args[$0 + 1] : nil }
    try SyncBench.reconciliationTable(sizes: sizes, dumpSets: dump)
    try SyncBench.perScope(n: 10_000)
    try SyncBench.newReplica(n: 100_000)
    let bulk = intArg("--bulk", 100_000)
    if bulk > 0 {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { for threads in [1, 2] { try await SyncBench.bulk(count: bulk, verifyThreads: threads) } } catch {
                print("bulk sync failed: \(error)")
            }
            done.signal()
        }
        done.wait()
    }
    exit(0)
}
let n = intArg("--changes", 30_000)
let big = intArg("--million", 1_000_000)
let dir = NSTemporaryDirectory() + "baoxue-bench-\(UUID().uuidString.prefix(8))"
try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: dir) }

print(
    "baoxue-bench: \(n) single-op changes from 50 authors, batches of 1,000, median of 3 runs; libsodium \(Sodium.version); "
        + "\(ProcessInfo.processInfo.activeProcessorCount) cores"
)
let (encoded, _) = Workload.changes(count: n, authors: 50)
let parsed = encoded.map { try! Change.decode($0) }

// 1. Bare libsodium verification, one core.
let verifyTime = Measure.median {
    for c in parsed {
        precondition(Ed25519.verify(signature: c.signature.bytes[...], message: c.signedBytes, publicKey: c.author.bytes[...]))
    }
}
let verifyRate = Double(n) / verifyTime
print("bare libsodium verify (1 core):        \(Measure.rate(n, verifyTime))")

// 2. Bare SQLite insert of the same bytes, one transaction, same pragmas.
let bare = try DatabasePool(
    path: dir + "/bare.sqlite",
    configuration: {
        var c = Configuration()
        c.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return c
    }())
let insertTime = try Measure.median {
    try bare.write { db in
        try db.execute(sql: "DROP TABLE IF EXISTS t; CREATE TABLE t (id BLOB PRIMARY KEY, bytes BLOB NOT NULL)")
    }
    try bare.write { db in
        let stmt = try db.makeStatement(sql: "INSERT INTO t (id, bytes) VALUES (?, ?)")
        for c in parsed { try stmt.execute(arguments: [Data(c.id.bytes), Data(c.encoded)]) }
    }
}
print("bare SQLite insert (1 transaction):    \(Measure.rate(n, insertTime))")

// 2b. Where the time of a verified append goes.
let decodeTime = Measure.median { _ = try! BatchVerifier.verify(encoded, threads: 1) }
let parseTime = Measure.median { for e in encoded { _ = try! Change.decodeVerified(e) } }
print("decode without verify (1 core):        \(Measure.rate(n, parseTime))")
print("decode+verify only (1 core):           \(Measure.rate(n, decodeTime))")
// What two cores can verify at all, nothing else running: the ceiling of the pipelined append on two.
let decodeTime2 = Measure.median { _ = try! BatchVerifier.verify(encoded, threads: 2) }
print(
    "decode+verify only (2 cores):          \(Measure.rate(n, decodeTime2))"
        + String(format: "  = %.0f%% of bare verify", Double(n) / decodeTime2 / verifyRate * 100))
var preRun = 0
let preCPU = Measure.cpuSeconds()
let preTime = try Measure.median {
    preRun += 1
    let preLog = try ChangeLog(path: dir + "/pre-\(preRun).sqlite", options: .init(merge: nil))
    var i = 0
    while i < parsed.count {
        _ = try preLog.append(Array(parsed[i..<min(i + 1000, parsed.count)]))
        i += 1000
    }
}
print(
    "append pre-verified, batches of 1,000: \(Measure.rate(n, preTime))"
        + String(format: "; CPU %.1f µs per change", (Measure.cpuSeconds() - preCPU) / Double(3 * n) * 1e6))

// 3. The project's verify + append, batches of 1,000.
func verifiedAppend(threads: Int, pipelined: Bool) throws -> Double {
    let log = try ChangeLog(path: dir + "/log-\(UUID().uuidString).sqlite", options: .init(verifyThreads: threads, merge: nil))
    let batches = stride(from: 0, to: encoded.count, by: 1000).map { Array(encoded[$0..<min($0 + 1000, encoded.count)]) }
    let t = try Measure.seconds {
        if pipelined {
            _ = try Blocking.run { try await log.appendPipelined(batches) }
        } else {
            for b in batches { _ = try log.append(encoded: b) }
        }
    }
    let applied = try log.count(.applied)
    precondition(applied == n)
    return t
}
for (threads, pipelined, label) in [
    (1, false, "verified append, 1 core, batch by batch"),
    (1, true, "verified append, 1 verify core, pipelined"),
    (2, true, "verified append, 2 verify cores, pipelined"),
] {
    var wall = 0.0
    let cpuBefore = Measure.cpuSeconds()
    let t = try Measure.median { wall += try verifiedAppend(threads: threads, pipelined: pipelined) }
    let busy = (Measure.cpuSeconds() - cpuBefore) / wall
    let pad = String(repeating: " ", count: max(0, 43 - label.count))
    print(
        "\(label):\(pad)\(Measure.rate(n, t))  = \(String(format: "%.0f", Double(n) / t / verifyRate * 100))% of bare verify"
            + String(format: "; CPU %.0f%% of one core, %.1f µs per change", busy * 100, busy * wall / Double(3 * n) * 1e6))
}

// 4. Memory while appending `big` changes, generated and appended in rounds.
if big > 0 {
    let log = try ChangeLog(path: dir + "/big.sqlite", options: .init(verifyThreads: 2, merge: nil))
    let authors = 100
    let round = 20_000
    var last: [ChangeID?] = Array(repeating: nil, count: authors)
    var seq: UInt64 = 1
    var appended = 0
    var samples: [String] = []
    let start = Measure.memory().rss
    let t = try Measure.seconds {
        while appended < big {
            let (chunk, tails) = Workload.changes(count: round, authors: authors, firstSeq: seq, keySalt: 7, previous: last)
            last = tails
            seq += UInt64(round / authors)
            let batches = stride(from: 0, to: chunk.count, by: 1000).map { Array(chunk[$0..<min($0 + 1000, chunk.count)]) }
            _ = try Blocking.run { try await log.appendPipelined(batches) }
            appended += chunk.count
            if appended % 100_000 == 0 {
                samples.append(String(format: "%dk:%.0f", appended / 1000, Measure.memory().rss))
                FileHandle.standardError.write(Data("  … \(appended) appended\n".utf8))
            }
        }
    }
    let applied = try log.count(.applied)
    precondition(applied == appended)
    let m = Measure.memory()
    print(
        "append \(appended) changes (sign+verify+append): \(String(format: "%.0f", t)) s; RSS MiB at start "
            + "\(String(format: "%.0f", start)), by count \(samples.joined(separator: " ")); peak \(String(format: "%.0f", m.peak)) MiB"
    )
}
