import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTransport
import Foundation

/// Figures of the sync issue, side by side in one run:
/// reconciliation overhead against naive id exchange and version vectors,
/// and bulk-sync throughput over loopback against the verified-append rate.
enum SyncBench {
    /// A scope's items: `shared` synthetic ids plus real signed changes on each side only.
    struct Source: SyncDataSource {
        let sorted: ReconciliationSet
        let changes: [ChangeID: [UInt8]]
        func items(in scope: ScopeID) throws(SyncError) -> ReconciliationSet { sorted }
        func encodedChanges(_ ids: [ChangeID]) throws(SyncError) -> [[UInt8]] {
            var out: [[UInt8]] = []
            for id in ids {
                guard let c = changes[id] else { throw .store("missing") }
                out.append(c)
            }
            return out
        }
    }

    static let scope = try! ScopeID("township-0001")
    static let year: UInt64 = 365 * 86_400_000
    static let start: UInt64 = 1_735_689_600_000

    static func synthetic(_ n: Int, _ rng: inout SeededGenerator) -> [SyncItem] {
        (0..<n).map { _ in
            var id = [UInt8](repeating: 0, count: 32)
            for i in stride(from: 0, to: 32, by: 8) {
                let r = rng.next()
                for k in 0..<8 { id[i + k] = UInt8(truncatingIfNeeded: r >> UInt64(8 * k)) }
            }
            let ms = start + rng.next() % year
            return SyncItem(timestamp: ms << 16, id: try! ChangeID(bytes: id))
        }
    }

    static func real(_ n: Int, key: DeviceKey, _ rng: inout SeededGenerator) -> [Change] {
        (0..<n).map { i in
            try! Change.sign(
                by: key, seq: UInt64(i + 1), timestamp: try! HLCTimestamp(milliseconds: start + rng.next() % year, counter: 0),
                scope: scope, deps: [], payload: Array(repeating: UInt8(i & 0xFF), count: 180))
        }
    }

    struct Row {
        var bytes = 0, changeBytes = 0, roundTrips = 0
        var wallMs = 0.0, edgeMs = 0.0
    }

    /// One full session (handshake, hello, reconcile, transfer, acks) between two in-memory sides.
    static func session(
        shared: [SyncItem], onlyA: [Change], onlyB: [Change], conditions: LinkConditions, scopes: Int = 1
    ) throws -> (Row, SimulatedLink.Report) {
        let ka = try DeviceKey(seed: [UInt8](repeating: 0xA1, count: 32))
        let kb = try DeviceKey(seed: [UInt8](repeating: 0xB2, count: 32))
        func source(_ own: [Change]) -> Source {
            Source(
                sorted: ReconciliationSet(shared + own.map(SyncItem.init(change:))),
                changes: Dictionary(uniqueKeysWithValues: own.map { ($0.id, $0.encoded) }))
        }
        let sa = source(onlyA)
        let sb = source(onlyB)
        let sink: SyncEndpoint.BatchSink = { .success($0.count) }
        var i = SyncEndpoint(
            session: try SyncSession(
                role: .initiator, key: ka, policy: SyncPolicy(grants: [kb.publicKey: .allScopes]),
                scopes: scopes == 1 ? [scope] : (0..<scopes).map { try! ScopeID("township-\($0)") },
                source: sa, now: 0), sink: sink)
        var r = SyncEndpoint(
            session: try SyncSession(
                role: .responder, key: kb, policy: SyncPolicy(grants: [ka.publicKey: .allScopes]),
                source: sb, now: 0), sink: sink)
        var report: SimulatedLink.Report!
        let wall = Measure.seconds { report = SimulatedLink.run(initiator: &i, responder: &r, conditions: conditions) }
        guard case .success(let s)? = report.initiator, case .success? = report.responder else {
            throw SyncError.malformed(
                "bench session failed: \(String(describing: report.initiator)) / \(String(describing: report.responder)) phases "
                    + "\(i.session.phase) \(r.session.phase) t=\(report.durationMs) bytes "
                    + "\(report.bytesFromInitiator)/\(report.bytesFromResponder)"
            )
        }
        var row = Row()
        row.bytes = s.bytesSent + s.bytesReceived
        row.changeBytes = s.changeBytesSent + s.changeBytesReceived
        row.roundTrips = s.roundTrips
        row.wallMs = wall * 1000
        return (row, report)
    }

    static func reconciliationTable(sizes: [Int], dumpSets: String?) throws {
        print(
            """

            Reconciliation: two replicas share n changes of one scope and differ in d (d/2 only on each side).
            'recon B' = the RECONCILE message bodies alone (what the reference Negentropy's messages are compared
            with); RT = replies the initiator waited for; 'fill' = mean size of the replies the 60 kB budget cut,
            as a share of it; 'cpu' = reconciliation alone, both sides in one process.
            'overhead' = every byte of the whole session on the wire (preamble, Noise handshake, hello/accept,
            reconcile, batch headers, acks, done, frame lengths and AEAD tags) minus the missing changes' own bytes.
            'wall' = CPU time of the whole session in one process (both sides); '2G' = virtual time of the same
            session on a 50 kbit/s, 300 ms one-way link. naive = initiator sends all n ids (32 B each), responder
            answers with a bitmap and its missing ids.
            """)
        print(
            pad("n", 9) + pad("d", 7) + pad("recon B", 10) + pad("RT", 4) + pad("fill", 6) + pad("cpu ms", 8)
                + pad("| overhead B", 14) + pad("wall ms", 9) + pad("2G s", 8) + pad("| naive B", 12) + pad("naive 2G s", 11))
        var rng = SeededGenerator(seed: 2026)
        let ka = try DeviceKey(seed: [UInt8](repeating: 0x0A, count: 32))
        let kb = try DeviceKey(seed: [UInt8](repeating: 0x0B, count: 32))
        for n in sizes {
            let shared = synthetic(n, &rng)
            for d in [0, 2, 10, 1_000, n / 100].enumerated().filter({ !([0, 2, 10, 1_000].prefix($0.offset).contains($0.element)) }).map(
                \.element)
            {
                let a = real(d / 2, key: ka, &rng)
                let b = real(d - d / 2, key: kb, &rng)
                let setA = ReconciliationSet(shared + a.map(SyncItem.init(change:)))
                let setB = ReconciliationSet(shared + b.map(SyncItem.init(change:)))
                if let dir = dumpSets { try dump(setA, setB, to: dir + "/n\(n)-d\(d).set") }
                var exchange: ReconcileExchange.Outcome!
                let cpu = Measure.seconds { exchange = try? ReconcileExchange.run(initiator: setA, responder: setB) }
                let row: Row
                let edge: SimulatedLink.Report
                do {
                    guard let exchange, Set(exchange.initiatorSends) == Set(a.map(SyncItem.init(change:))) else {
                        throw SyncError.malformed("reconciliation missed a difference")
                    }
                    row = try session(shared: shared, onlyA: a, onlyB: b, conditions: .perfect).0
                    edge = try session(shared: shared, onlyA: a, onlyB: b, conditions: .edge).1
                } catch {
                    print(pad("\(n)", 9) + pad("\(d)", 7) + "failed: \(error)")
                    continue
                }
                let overhead = row.bytes - row.changeBytes
                let naive = 32 * (n + a.count) + (n + a.count + 7) / 8 + 32 * b.count + 290
                let naiveEdge = Double(naive) / (50_000 / 8) + 0.6 * 2.5
                let full = exchange.fullMessages
                let fill = full.isEmpty ? "–" : "\(full.reduce(0, +) * 100 / (full.count * Reconciler.messageBudget))%"
                print(
                    pad("\(n)", 9) + pad("\(d)", 7) + pad("\(exchange.bodyBytes)", 10) + pad("\(exchange.roundTrips)", 4)
                        + pad(fill, 6) + pad(String(format: "%.1f", cpu * 1000), 8)
                        + pad("| \(overhead)", 14) + pad(String(format: "%.0f", row.wallMs), 9)
                        + pad(String(format: "%.1f", edge.durationMs / 1000), 8)
                        + pad("| \(naive)", 12) + pad(String(format: "%.1f", naiveEdge), 11))
            }
        }
    }

    /// A new phone: it holds nothing of a scope of n changes and receives all of it.
    static func newReplica(n: Int) throws {
        var rng = SeededGenerator(seed: 9)
        let key = try DeviceKey(seed: [UInt8](repeating: 0x0C, count: 32))
        let changes = real(n, key: key, &rng)
        var row = Row()
        var exchange: ReconcileExchange.Outcome!
        for empty in [true, false] {
            let full = ReconciliationSet(changes.map(SyncItem.init(change:)))
            exchange =
                try empty
                ? ReconcileExchange.run(initiator: ReconciliationSet(), responder: full)
                : ReconcileExchange.run(initiator: full, responder: ReconciliationSet())
            row = try session(shared: [], onlyA: empty ? [] : changes, onlyB: empty ? changes : [], conditions: .perfect).0
            print(
                """
                New replica (\(empty ? "initiator" : "responder") holds nothing) receives \(n) changes \
                (\(row.changeBytes) B): reconciliation \(exchange.bodyBytes) B \
                = \(String(format: "%.4f", Double(exchange.bodyBytes) * 100 / Double(row.changeBytes))) % of the changes' bytes \
                in \(exchange.roundTrips) RT; whole-session overhead \(row.bytes - row.changeBytes) B
                """)
        }
    }

    /// The two sets in the format `tools/reference/negentropy_compare.cpp` reads.
    static func dump(_ a: ReconciliationSet, _ b: ReconciliationSet, to path: String) throws {
        var w = ByteWriter(capacity: 24 + 40 * (a.count + b.count))
        w.raw(Array("BXSETS01".utf8))
        for n in [a.count, b.count] { w.raw(withUnsafeBytes(of: UInt64(n).littleEndian) { Array($0) }) }
        for item in Array(a) + Array(b) {
            w.raw(withUnsafeBytes(of: item.timestamp.littleEndian) { Array($0) })
            w.raw(item.idBytes)
        }
        try Data(w.bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Bytes one more scope costs when nothing differs: 1 scope against 21 scopes, n items in each.
    static func perScope(n: Int) throws {
        var rng = SeededGenerator(seed: 7)
        let shared = synthetic(n, &rng)
        let one = try session(shared: shared, onlyA: [], onlyB: [], conditions: .perfect, scopes: 1).0
        let many = try session(shared: shared, onlyA: [], onlyB: [], conditions: .perfect, scopes: 21).0
        print(
            """

            d = 0 across scopes (n = \(n) per scope): 1 scope \(one.bytes) B in \(one.roundTrips) RT; \
            21 scopes \(many.bytes) B in \(many.roundTrips) RT \
            → \((many.bytes - one.bytes) / 20) B per additional scope (goal < 100), \
            fixed session cost \(one.bytes - (many.bytes - one.bytes) / 20) B
            """)
    }

    /// 10^5 changes from one replica to an empty one over loopback TCP, both file-backed and durable.
    static func bulk(count: Int, verifyThreads: Int) async throws {
        let dir = NSTemporaryDirectory() + "baoxue-syncbench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (encoded, _) = Workload.changes(count: count, authors: 50)
        let batches = stride(from: 0, to: encoded.count, by: 1_000).map { Array(encoded[$0..<min(encoded.count, $0 + 1_000)]) }
        let reference = try ChangeLog(path: dir + "/reference.sqlite", options: .init(merge: nil))
        let started = DispatchTime.now().uptimeNanoseconds
        _ = try await reference.appendPipelined(batches)
        let appendTime = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let appendRate = Double(count) / appendTime
        let source = try ChangeLog(path: dir + "/a.sqlite", options: .init(merge: nil, durable: false))
        _ = try await source.appendPipelined(batches)
        let target = try ChangeLog(path: dir + "/b.sqlite", options: .init(verifyThreads: verifyThreads, merge: nil))
        let ka = try DeviceKey(seed: [UInt8](repeating: 0xA1, count: 32))
        let kb = try DeviceKey(seed: [UInt8](repeating: 0xB2, count: 32))
        let server = try await SyncServer.start(
            host: "127.0.0.1", port: 0,
            makeEndpoint: { now throws(SyncError) in
                try SyncEndpoint.make(
                    role: .responder, key: kb, store: target, policy: SyncPolicy(grants: [ka.publicKey: .allScopes]), now: now,
                    pipelined: StreamingAppender(log: target))
            },
            onSession: { end in
                if case .failure(let e) = end.result { print("responder failed: \(e)") }
            })
        let endpoint = try SyncEndpoint.make(
            role: .initiator, key: ka, store: source, policy: SyncPolicy(grants: [kb.publicKey: .allScopes]),
            scopes: [Workload.scope], now: 0)
        let t0 = DispatchTime.now().uptimeNanoseconds
        let summary = try await SyncClient.sync(host: "127.0.0.1", port: server.port, endpoint: endpoint)
        let syncTime = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        await server.stop()
        let stored = try target.count(nil)
        let rate = Double(summary.sentChanges) / syncTime
        print(
            """

            Bulk sync over loopback TCP: \(count) changes to an empty replica \
            (receiver verifies on \(verifyThreads) thread(s) while the previous batch commits FULL, then acks)
            verified append, pipelined, same machine and run:  \(Int(appendRate)) changes/s
            sync over TCP (Noise, reconcile, batches, acks):   \(Int(rate)) changes/s  \
            (\(String(format: "%.1f", syncTime)) s, \(stored) stored, \(summary.bytesSent >> 20) MiB sent)
            ratio:                                             \(Int((rate / appendRate * 100).rounded())) %  (goal ≥ 50 %)
            """)
    }

    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
}
