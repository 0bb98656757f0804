import BaoxueCore
import BaoxueNoise
import BaoxueRecords
import BaoxueStore
import BaoxueSync
import BaoxueSynthetic
import BaoxueTransport
import BaoxueTrust
import Foundation

/// The cost of end-to-end encryption on the hot paths (issue 9), side by side:
/// a teacher's device appends field records one change at a time (each its own
/// durable commit), a colleague syncs them all over a perfect simulated link
/// (verify, decrypt, merge, commit), then queries the ledger. Same workload,
/// same keys, with and without a scope key, alternating; median of five runs each.
enum PrivacyBench {
    static let scope = try! ScopeID("丰南区/东镇/示例小学")

    struct Figures { var append = 0.0, sync = 0.0, query = 0.0, bytes = 0.0, changes = 0.0 }

    static func run(children: Int, events: Int) throws {
        print(
            "baoxue-bench privacy: \(children) children (one change each), then \(events) field changes appended one by one; "
                + "median of 5 runs; \(ProcessInfo.processInfo.activeProcessorCount) cores")
        var plain: [Figures] = []
        var sealed: [Figures] = []
        for _ in 0..<5 {
            plain.append(try once(children: children, events: events, encrypted: false))
            sealed.append(try once(children: children, events: events, encrypted: true))
        }
        func median(_ xs: [Figures], _ k: KeyPath<Figures, Double>) -> Double { xs.map { $0[keyPath: k] }.sorted()[xs.count / 2] }
        let rows: [(String, KeyPath<Figures, Double>, Int)] = [
            ("append (one durable commit per change)", \.append, events),
            ("sync to a colleague (verify, decrypt, merge)", \.sync, children + events),
            ("ledger + children query (x100)", \.query, 100),
        ]
        print(SyncBench.pad("", 46) + SyncBench.pad("plain", 14) + SyncBench.pad("encrypted", 14) + "slower by")
        for (label, k, n) in rows {
            let p = median(plain, k)
            let e = median(sealed, k)
            print(
                SyncBench.pad(label, 46) + SyncBench.pad(String(format: "%.0f/s", Double(n) / p), 14)
                    + SyncBench.pad(String(format: "%.0f/s", Double(n) / e), 14) + String(format: "%+.1f %%", (e / p - 1) * 100))
        }
        // What sealing costs in bytes (sync and storage carry the encoded changes): the sealed header, tags and
        // sealed child id are a fixed 97 bytes a change; the rest is padding (privacy.md §3.4).
        let (pb, eb, n) = (plain[0].bytes, sealed[0].bytes, sealed[0].changes)
        let padding = eb - pb - 97 * n
        print(
            SyncBench.pad("bytes per record change (encoded, signed)", 46) + SyncBench.pad(String(format: "%.0f B", pb / n), 14)
                + SyncBench.pad(String(format: "%.0f B", eb / n), 14)
                + String(
                    format: "%+.1f %% (padding %.0f B a change, %.1f %%)",
                    (eb / pb - 1) * 100, padding / n, padding / pb * 100))
    }

    static func once(children: Int, events: Int, encrypted: Bool) throws -> Figures {
        let dir = NSTemporaryDirectory() + "baoxue-privacy-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let authority = try DeviceKey(seed: [UInt8](repeating: 0xA0, count: 32))
        let admin = try DeviceKey(seed: [UInt8](repeating: 0xA1, count: 32))
        let writerKey = try DeviceKey(seed: [UInt8](repeating: 0xA2, count: 32))
        let readerKey = try DeviceKey(seed: [UInt8](repeating: 0xA3, count: 32))
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        func log(_ name: String, _ key: DeviceKey) throws -> ChangeLog {
            try ChangeLog(path: dir + "/" + name, options: .init(authority: authority.publicKey, reader: key))
        }
        let setup = try log("admin.sqlite", admin)
        let writer = try log("writer.sqlite", writerKey)
        let reader = try log("reader.sqlite", readerKey)
        for (role, key) in [(Role.schoolAdmin, admin), (.teacher, writerKey), (.teacher, readerKey)] {
            let cert = try Certificate.issue(
                by: authority, subject: key.publicKey, role: role, validFrom: now - 86_400_000,
                validUntil: now + 365 * 86_400_000, name: "教师", scopes: [scope])
            _ = try setup.appendAuthored(by: admin, scope: .admin, payload: AdminPayload.certificate(cert).encoded, now: now)
        }
        if encrypted { try setup.grantKeys(by: admin, scope: scope, now: now) }
        let start = try setup.entries(after: 0, limit: 100).map(\.change.encoded)
        _ = try writer.append(encoded: start)
        _ = try reader.append(encoded: start)

        let district = SyntheticDistrict(seed: 7, children: children, schools: 1)
        let today = try SimpleDate(unixMilliseconds: now)
        for i in 0..<children {
            _ = try writer.appendAuthored(
                by: writerKey, scope: scope, payload: try RecordPayload(ops: district.childOps(i, today: today)).encoded(), now: now)
        }
        let payloads = try (0..<events).map { i in
            let child = district.child(i % children)
            let body: EventBody =
                i % 3 == 0
                ? .absence(Absence(from: try today.adding(days: -2), to: today, schoolDays: 3, excused: false))
                : .visit(Visit(participants: ["王老师"], householdFound: true, childSeen: i % 2 == 0, spokeTo: "母亲", agreed: "下周一返校"))
            return try RecordPayload(ops: [.event(Event(child: child, date: today, body: body))]).encoded()
        }
        var f = Figures()
        f.append = try Measure.seconds {
            for p in payloads { _ = try writer.appendAuthored(by: writerKey, scope: scope, payload: p, now: now) }
        }
        let written = try writer.entries(after: 0, limit: 1_000_000).map(\.change).filter {
            $0.scope == scope && $0.author == writerKey.publicKey
        }
        f.bytes = Double(written.reduce(0) { $0 + $1.encoded.count })
        f.changes = Double(written.count)
        f.sync = try Measure.seconds {
            func endpoint(_ log: ChangeLog, _ key: DeviceKey, _ role: NoiseHandshake.Role, _ scopes: [ScopeID]) throws -> SyncEndpoint {
                SyncEndpoint(
                    session: try SyncSession(
                        role: role, key: key,
                        policy: SyncPolicy(grants: [writerKey.publicKey: .allScopes, readerKey.publicKey: .allScopes]),
                        scopes: scopes, source: StoreSyncSource(log), now: 0), store: log)
            }
            var i = try endpoint(reader, readerKey, .initiator, [.admin, scope])
            var r = try endpoint(writer, writerKey, .responder, [])
            let report = SimulatedLink.run(initiator: &i, responder: &r, conditions: .perfect)
            guard case .success(let s)? = report.initiator, s.receivedChanges >= children + events else {
                throw SyncError.malformed("privacy bench sync failed: \(String(describing: report.initiator))")
            }
        }
        guard try reader.children().count == children else { throw SyncError.malformed("the colleague does not read the children") }
        f.query = try Measure.seconds {
            for _ in 0..<100 {
                _ = try reader.ledger(.suspectedDropout)
                _ = try reader.children(limit: 50)
            }
        }
        return f
    }
}
