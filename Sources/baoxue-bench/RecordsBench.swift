import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueSynthetic
import Dispatch
import Foundation

/// The records figures: a synthetic district materialized, rebuilt, queried.
enum RecordsBench {
    /// `data`: keep the district database there and reuse it on the next run (skips materializing).
    /// `rebuildOnly`: with a reused database, time the rebuild alone (to profile it, or to repeat it).
    static func run(children: Int, events: Int, data: String? = nil, rebuildOnly: Bool = false) throws {
        let today = try SimpleDate("2025-11-20")
        let now: UInt64 = 1_763_600_000_000
        let district = SyntheticDistrict(seed: 2025, children: children)
        let dir = data ?? (NSTemporaryDirectory() + "baoxue-records-\(UUID().uuidString.prefix(8))")
        let reuse = data != nil && FileManager.default.fileExists(atPath: dir + "/district.sqlite")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if data == nil { try? FileManager.default.removeItem(atPath: dir) } }
        print("records: \(children) children, \(events) events, \(district.schools.count) schools (one device per school)")

        let authors = district.schools.count
        let keys = Workload.deviceKeys(authors, fill: 0x5c)
        var tails: [ChangeID?] = Array(repeating: nil, count: authors)
        var seqs = Array(repeating: UInt64(0), count: authors)
        let scope = try ScopeID("示例区")

        /// Signs items [from, to) of the stream (children first, then events), one change each, on both cores.
        func changes(_ from: Int, _ to: Int) throws -> [[UInt8]] {
            let items = Array(from..<to)
            let byAuthor = Dictionary(grouping: items) { $0 % authors }
            let out = UnsafeMutableBufferPointer<[UInt8]>.allocate(capacity: items.count)
            out.initialize(repeating: [])
            defer {
                out.deinitialize()
                out.deallocate()
            }
            nonisolated(unsafe) let shared = out
            let starts = seqs
            let prior = tails
            let results = UnsafeMutableBufferPointer<(UInt64, ChangeID?)>.allocate(capacity: authors)
            results.initialize(repeating: (0, nil))
            defer {
                results.deinitialize()
                results.deallocate()
            }
            nonisolated(unsafe) let ends = results
            DispatchQueue.concurrentPerform(iterations: authors) { a in
                var seq = starts[a]
                var dep = prior[a]
                for item in byAuthor[a] ?? [] {
                    let ops = item < children ? district.childOps(item, today: today) : [district.eventOp(item - children, today: today)]
                    seq += 1
                    let c = try! Change.sign(
                        by: keys[a], seq: seq, timestamp: try! HLCTimestamp(milliseconds: now + seq, counter: UInt16(a)),
                        scope: scope, deps: dep.map { [$0] } ?? [], payload: try! RecordPayload(ops: ops).encoded())
                    dep = c.id
                    shared[item - from] = c.encoded
                }
                ends[a] = (seq, dep)
            }
            for a in 0..<authors {
                seqs[a] = ends[a].0
                tails[a] = ends[a].1
            }
            return Array(out)
        }

        let log = try ChangeLog(path: dir + "/district.sqlite", options: .init(verifyThreads: 2))
        let total = children + events
        var materialize = 0.0
        var signing = 0.0
        var done = reuse ? total : 0
        if reuse {
            if !rebuildOnly { _ = try changes(0, total) }  // advances the authors' chains past the stored changes
            print("reusing \(dir)/district.sqlite")
        }
        while done < total {
            let end = min(total, done + 20_000)
            var chunk: [[UInt8]] = []
            signing += try Measure.seconds { chunk = try changes(done, end) }
            materialize += try Measure.seconds {
                let batches = stride(from: 0, to: chunk.count, by: 1000).map { Array(chunk[$0..<min($0 + 1000, chunk.count)]) }
                _ = try Blocking.run { try await log.appendPipelined(batches) }
            }
            done = end
            FileHandle.standardError.write(Data("  … \(done)/\(total) changes\n".utf8))
        }
        if !reuse {
            print(
                String(
                    format: "sign (not counted): %.0f s; verify + append + materialize %d changes: %.0f s = %.0f changes/s", signing, total,
                    materialize, Double(total) / materialize))
        }

        let start = Date()
        var applied = 0.0
        let rebuild = try Measure.seconds {
            try log.rebuildViews { done, all in if done == all { applied = Date().timeIntervalSince(start) } }
        }
        print(
            String(
                format: "  of which applying the changes: %.1f s; indexes, child rows and absence openers after: %.1f s",
                applied, rebuild - applied))
        print(String(format: "rebuild all views from the log: %.1f s = %.0f changes/s", rebuild, Double(total) / rebuild))
        if rebuildOnly && reuse { return }

        // Incremental: one batch of 1,000 new changes, then 200 single changes.
        let fresh = try changes(total, total + 1_200)
        let batch = try Measure.seconds { _ = try log.append(encoded: Array(fresh.prefix(1_000))) }
        var singles: [Double] = []
        for e in fresh.suffix(200) { singles.append(try Measure.seconds { _ = try log.append(encoded: [e]) }) }
        singles.sort()
        print(
            String(
                format: "incremental apply of 1,000 new changes: %.0f ms; one change: median %.2f ms, p99 %.2f ms (each a durable commit)",
                batch * 1000, singles[singles.count / 2] * 1000, singles[singles.count * 99 / 100] * 1000))
        // The same on a connection that does not fsync each commit: the apply work itself.
        try log.checkpoint()
        let quick = try ChangeLog(path: dir + "/district.sqlite", options: .init(durable: false))
        let more = try changes(total + 1_200, total + 1_400)
        var applies: [Double] = []
        for e in more { applies.append(try Measure.seconds { _ = try quick.append(encoded: [e]) }) }
        applies.sort()
        print(
            String(
                format: "one change verified + applied + committed without fsync: median %.2f ms, p99 %.2f ms",
                applies[applies.count / 2] * 1000, applies[applies.count * 99 / 100] * 1000))

        var times: [Double] = []
        var rows = 0
        for _ in 0..<5 {
            for school in district.schools {
                times.append(try Measure.seconds { rows += try log.ledger(.suspectedDropout, school: school.name).count })
            }
        }
        times.sort()
        print(
            String(
                format:
                    "ledger query (suspected dropouts of one school, sorted by name), %d queries: p50 %.2f ms, p99 %.2f ms (%d rows in "
                    + "all)",
                times.count, times[times.count / 2] * 1000, times[times.count * 99 / 100] * 1000, rows))
        try log.checkpoint()
        let size = (try FileManager.default.attributesOfItem(atPath: dir + "/district.sqlite")[.size] as? Int) ?? 0
        print(
            String(
                format: "database on disk: %.0f MiB = %.1f KiB per child (log + views, %d events)",
                Double(size) / 1_048_576, Double(size) / 1024 / Double(children), events))
    }
}
