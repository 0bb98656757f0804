import BaoxueCore
import BaoxueRecords
import BaoxueSodium
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import Foundation

/// Runs a scenario from one seed, deterministically, on the project's real
/// code: in-memory SQLite replicas (`ChangeLog`), real signatures, real
/// `SyncSession`s over `SimulatedLink` in virtual time. Teachers write in
/// school hours, colleagues meet at lunch on Wi-Fi, some reach the township
/// relay in the evening over 2G (some of those syncs are cut), and at the end
/// everyone reaches the relay.
///
/// Invariant: the same scenario and seed give the same trace and digest.
public enum Simulator {
    /// What one run ended with and what the checks found.
    public struct Result: Sendable {
        public let seed: UInt64
        /// BLAKE2b over every replica's view digests and heads: equal runs, equal digest.
        public let digest: String
        public let authored: Int
        public let syncs: Int
        public let cutSyncs: Int
        public let bytes: Int
        /// Child fields left with concurrent values at the end (each one checked on every device).
        public let conflicts: Int
        /// Empty when every check passed.
        public let failures: [String]
        /// One line per day: day, authored so far, syncs, bytes, schools whose devices agree, staleness p50/p99.
        public let metricsCSV: String
        /// Every event, in order (what to replay when a check fails).
        public let trace: [String]
        /// The same metrics as values, for the chart.
        public let days: [Day]
    }

    /// One simulated day's metrics, taken in the evening after the relay syncs.
    public struct Day: Sendable, Equatable {
        public let day: Int
        public let authored: Int
        public let syncs: Int
        public let bytes: Int
        /// Schools whose devices all show the same views.
        public let agreeing: Int
        /// Staleness across devices (hours): the age of the newest change of its school a device lacks.
        public let staleP50: Double
        public let staleP99: Double

        static let header = "day,authored,syncs,bytes,schools_agreeing,staleness_p50_h,staleness_p99_h"
        var csv: String { String(format: "%d,%d,%d,%d,%d,%.1f,%.1f", day, authored, syncs, bytes, agreeing, staleP50, staleP99) }
    }

    final class Clock: @unchecked Sendable { var ms: UInt64 = 1_764_000_000_000 }

    struct Device {
        let key: DeviceKey
        let log: ChangeLog
        let school: Int
    }

    public static func run(_ scenario: Scenario, seed: UInt64) throws -> Result {
        var rng = SeededGenerator(seed: seed)
        let clock = Clock()
        let start = clock.ms
        func key(_ label: String) throws -> DeviceKey { try DeviceKey(seed: Blake2b.hash(Array("sim-\(seed)-\(label)".utf8), length: 32)) }
        let scopes = try (0..<scenario.schools).map { try ScopeID("模拟县/乡镇/学校\($0)") }
        let relayKey = try key("relay")
        let relay = try ChangeLog(inMemory: (), clock: { clock.ms })
        var devices: [Device] = []
        for s in 0..<scenario.schools {
            for t in 0..<scenario.teachersPerSchool {
                devices.append(Device(key: try key("s\(s)t\(t)"), log: try ChangeLog(inMemory: (), clock: { clock.ms }), school: s))
            }
        }
        let work = (0..<scenario.schools).map { FieldWork(children: scenario.childrenPerSchool, seed: seed &* 31 &+ UInt64($0)) }
        /// Every change written, per school (ids, times and ops all come from these).
        var authored: [[Change]] = Array(repeating: [], count: scenario.schools)
        var days: [Day] = []
        var trace: [String] = []
        var syncs = 0, cuts = 0, bytes = 0, conflicts = 0
        var csv = Day.header + "\n"

        /// One sync over `conditions`; the initiator is a device, the responder a colleague or the relay.
        func sync(_ d: Device, with peerKey: DeviceKey, _ peerLog: ChangeLog, grant: SyncPolicy.Grant, conditions: LinkConditions, label: String) throws {
            var initiator = try SyncEndpoint.make(role: .initiator, key: d.key, store: d.log, policy: SyncPolicy(grants: [peerKey.publicKey: .allScopes]),
                                                  scopes: [scopes[d.school]], now: clock.ms - start)
            var responder = try SyncEndpoint.make(role: .responder, key: peerKey, store: peerLog, policy: SyncPolicy(grants: [d.key.publicKey: grant]),
                                                  now: clock.ms - start)
            let report = SimulatedLink.run(initiator: &initiator, responder: &responder, conditions: conditions, startMs: clock.ms - start)
            syncs += 1
            bytes += report.bytesFromInitiator + report.bytesFromResponder
            if report.cut { cuts += 1 }
            let outcome: String
            switch report.initiator {
            case .success(let s)?: outcome = "sent \(s.sentChanges) received \(s.receivedChanges)"
            case .failure(let e)?: outcome = "ended \(e.name)"
            case nil: outcome = "no result"
            }
            trace.append("t+\((clock.ms - start) / 1000)s \(label): \(outcome)\(report.cut ? " (cut)" : "")")
        }

        for day in 0..<scenario.days {
            for hour in 8..<17 {
                clock.ms = start + UInt64(day) * 86_400_000 + UInt64(hour) * 3_600_000
                for (i, d) in devices.enumerated() where Double.random(in: 0..<1, using: &rng) < scenario.writesPerHour {
                    clock.ms += UInt64.random(in: 1...60_000, using: &rng)
                    var local = rng
                    let today = try SimpleDate(unixMilliseconds: clock.ms)
                    let change = try d.log.appendOperations(by: d.key, scope: scopes[d.school], now: clock.ms) { s throws(StoreError) in
                        var ops = try work[d.school].ops(s, rng: &local, today: today)
                        if ops.isEmpty { ops = [.add(kind: .child, record: work[d.school].children[0], set: "focus", element: "migrant")] }
                        return ops
                    }
                    rng = local
                    authored[d.school].append(change)
                    trace.append("t+\((clock.ms - start) / 1000)s device \(i) wrote \(change.id.hex.prefix(12))")
                }
                if hour == 12 {
                    for s in 0..<scenario.schools where Double.random(in: 0..<1, using: &rng) < scenario.lunchSync {
                        let colleagues = devices.indices.filter { devices[$0].school == s }
                        let a = colleagues.randomElement(using: &rng)!, b = colleagues.randomElement(using: &rng)!
                        guard a != b else { continue }
                        try sync(devices[a], with: devices[b].key, devices[b].log, grant: .allScopes, conditions: .perfect, label: "lunch: device \(a) ↔ device \(b)")
                    }
                }
            }
            clock.ms = start + UInt64(day) * 86_400_000 + 18 * 3_600_000
            for (i, d) in devices.enumerated() where Double.random(in: 0..<1, using: &rng) < scenario.relayEvening {
                var link = LinkConditions.edge
                link.seed = rng.next()
                if Double.random(in: 0..<1, using: &rng) < scenario.cutChance { link.cutAfterBytes = Int.random(in: 200...20_000, using: &rng) }
                try sync(d, with: relayKey, relay, grant: .within([scopes[d.school]]), conditions: link, label: "evening: device \(i) ↔ relay")
            }
            // Staleness per device: how old the newest change of its school it lacks is (0 if it lacks none).
            var stale: [Double] = []
            for d in devices {
                let lacking = try authored[d.school].filter { try !d.log.contains($0.id) }
                stale.append(lacking.map(\.timestamp.milliseconds).max().map { Double(clock.ms - $0) / 3_600_000 } ?? 0)
            }
            stale.sort()
            let row = Day(day: day + 1, authored: authored.joined().count, syncs: syncs, bytes: bytes,
                          agreeing: try agreeing(devices, scenario), staleP50: stale[stale.count / 2],
                          staleP99: stale[min(stale.count - 1, Int(Double(stale.count) * 0.99))])
            days.append(row)
            csv += row.csv + "\n"
        }

        // Connectivity returns: everyone reaches the relay, twice round (the second brings what others pushed after them).
        clock.ms = start + UInt64(scenario.days) * 86_400_000 + 9 * 3_600_000
        for round in 0..<2 {
            for (i, d) in devices.enumerated() {
                clock.ms += 1_000
                try sync(d, with: relayKey, relay, grant: .within([scopes[d.school]]), conditions: .perfect, label: "reunion \(round + 1): device \(i) ↔ relay")
            }
        }

        var failures: [String] = []
        for (s, changes) in authored.enumerated() {
            let ids = changes.map(\.id)
            for id in ids where try !relay.contains(id) { failures.append("school \(s): change \(id.hex.prefix(12)) never reached the relay") }
            for (i, d) in devices.enumerated() where d.school == s {
                let missing = try ids.filter { try !d.log.contains($0) }
                if !missing.isEmpty { failures.append("device \(i) lacks \(missing.count) change(s) of its school") }
                let applied = try d.log.count(.applied), stored = try d.log.count(nil)
                if applied != stored { failures.append("device \(i): \(stored - applied) change(s) stored but not applied") }
            }
        }
        if try agreeing(devices, scenario) != scenario.schools { failures.append("the devices of some school show different views") }
        // Conflicts: worked out from the signed ops alone (a write is live unless a later write named
        // it as seen), compared with what every device shows: each real conflict surfaced, none invented.
        for s in 0..<scenario.schools {
            let expected = try Self.conflicts(in: authored[s])
            for (i, d) in devices.enumerated() where d.school == s {
                var shown: Set<String> = []
                for c in try d.log.conflicts() { for f in c.conflicts { shown.insert("\(c.child.hex).\(f)") } }
                for missing in expected.subtracting(shown) { failures.append("device \(i) does not show the conflict on \(missing)") }
                for invented in shown.subtracting(expected) { failures.append("device \(i) shows a conflict on \(invented) that no concurrent edits made") }
            }
            conflicts += expected.count
        }

        var digestInput: [UInt8] = []
        for d in devices {
            for (table, digest) in try d.log.viewDigests().sorted(by: { $0.key < $1.key }) { digestInput += Array("\(table)=\(digest);".utf8) }
            for head in try d.log.heads() { digestInput += head.bytes }
        }
        return Result(seed: seed, digest: Hex.encode(Blake2b.hash(digestInput, length: 16)), authored: authored.joined().count,
                      syncs: syncs, cutSyncs: cuts, bytes: bytes, conflicts: conflicts, failures: failures, metricsCSV: csv, trace: trace, days: days)
    }

    /// "record.field" of every child field whose live writes (those no other write names in its
    /// `pred`) carry more than one value: the conflicts a person must see.
    static func conflicts(in changes: [Change]) throws -> Set<String> {
        var writes: [String: [(op: OpID, value: FieldValue)]] = [:]
        var seen: Set<OpID> = []
        for change in changes {
            for (i, op) in try RecordPayload.decode(change.payload).ops.enumerated() {
                guard case .set(.child, let record, let field, let value, let pred) = op else { continue }
                writes["\(record.hex).\(field)", default: []].append((OpID(change: change.id, index: UInt16(i)), value))
                seen.formUnion(pred)
            }
        }
        return Set(writes.filter { _, w in Set(w.filter { !seen.contains($0.op) }.map(\.value)).count > 1 }.keys)
    }

    /// Schools whose devices all show the same views.
    static func agreeing(_ devices: [Device], _ scenario: Scenario) throws -> Int {
        var count = 0
        for s in 0..<scenario.schools {
            let digests = try devices.filter { $0.school == s }.map { try $0.log.viewDigests() }
            if digests.allSatisfy({ $0 == digests[0] }) { count += 1 }
        }
        return count
    }
}
