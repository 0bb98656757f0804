import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueSodium
import BaoxueStore
import Foundation

extension Simulation {
    /// The honest devices (not relays, not the lost phone, not the malicious device).
    /// Honest devices of a school (township admins, which hold several, are checked by scope).
    var honestDevices: [Int] { county.nodes.indices.filter { county.nodes[$0].school != nil && isHonest($0) } }

    // MARK: Partition healing

    /// The partition ends now: every honest device must come to hold every honest change written before.
    mutating func startHealing() {
        let ids = authored.map { list in list.filter { !untrustedAuthor($0.change) }.map(\.change.id) }
        heal = Heal(at: clock.ms, ids: ids, outstanding: Set(honestDevices), doneAt: nil)
        trace.add("\(stamp) the partition ends")
    }

    /// `untrusted` holds at most the lost and the malicious device, so a scan is as cheap as a set.
    func untrustedAuthor(_ c: Change) -> Bool { untrusted.contains { county.nodes[$0].key.publicKey == c.author } }

    /// After a sync: devices of `nodes` that now hold everything written before the partition ended leave the wait list.
    mutating func noteConvergence(_ nodes: [Int]) {
        guard var h = heal, h.doneAt == nil else { return }
        for n in nodes where h.outstanding.contains(n) {
            let log = county.nodes[n].log
            if h.ids[county.nodes[n].school!].reversed().allSatisfy({ (try? log.contains($0)) == true }) {
                h.outstanding.remove(n)
                h.caughtUp[n] = clock.ms
            }
        }
        if h.outstanding.isEmpty {
            h.doneAt = clock.ms
            trace.add("\(stamp) every honest device holds what was written before the partition ended")
        }
        heal = h
    }

    // MARK: Daily metrics

    /// Staleness over (a sample of at most 200) honest devices, counting honest changes only;
    /// views compared while the county is small.
    mutating func metrics(day d: Int, partitioned: Bool) throws -> Simulator.Day {
        let devices = honestDevices
        let stride = max(1, devices.count / 200)
        var stale: [Double] = []
        for (k, i) in devices.enumerated() where k % stride == 0 {
            let node = county.nodes[i]
            let list = authored[node.school!]
            // A device never loses what it holds, so the prefix it held yesterday need not be asked again;
            // the rest is checked against what it holds, read in one query (not a query per change).
            var prefix = heldPrefix[i] ?? 0
            let held = prefix < list.count ? Set(try node.log.members(of: node.scopes[0]).map(\.packed)) : []
            func lacks(_ j: Int) -> Bool { !untrustedAuthor(list[j].change) && !held.contains(PackedChangeID(list[j].change.id)) }
            while prefix < list.count && !lacks(prefix) { prefix += 1 }
            heldPrefix[i] = prefix
            let newestLacking = (prefix..<list.count).reversed().first { lacks($0) }
            stale.append(newestLacking.map { Double(clock.ms - list[$0].at) / 3_600_000 } ?? 0)
        }
        stale.sort()
        return Simulator.Day(
            day: d, authored: authored.reduce(0) { $0 + $1.count }, syncs: tally.syncs, bytes: tally.bytes,
            agreeing: devices.count <= 400 ? try agreeingSchools() : -1,
            staleP50: percentile(stale, 0.5), staleP99: percentile(stale, 0.99), partitioned: partitioned)
    }

    /// Schools whose honest devices all show the same views.
    func agreeingSchools() throws -> Int {
        var count = 0
        for s in 0..<scenario.schools {
            let digests = try county.devices(of: s).filter { isHonest($0) }.map { try county.nodes[$0].log.viewDigests() }
            if digests.allSatisfy({ $0 == digests[0] }) { count += 1 }
        }
        return count
    }

    // MARK: The checks

    /// Runs every check (failures go to the trace) and sums up the run.
    mutating func check() throws -> (Simulator.Summary, String) {
        // What must be everywhere: every honest author's change, and a lost or malicious
        // device's earlier change once an honest replica holds it.
        let honest = honestDevices
        var expected: [Set<ChangeID>] = []
        for s in 0..<scenario.schools {
            var set: Set<ChangeID> = []
            for (change, _) in authored[s] {
                if !untrustedAuthor(change) {
                    set.insert(change.id)
                    continue
                }
                if try honest.contains(where: { try county.nodes[$0].log.contains(change.id) }) { set.insert(change.id) }
            }
            expected.append(set)
        }
        var summary = Simulator.Summary()
        var heldByScope: [ScopeID: [(node: Int, ids: Set<ChangeID>)]] = [:]
        for n in county.nodes.indices where isHonest(n) {
            let node = county.nodes[n]
            let log = node.log
            var held: Set<ChangeID> = []
            for scope in node.scopes {
                let ids = Set(try log.members(of: scope).map(\.id))
                heldByScope[scope, default: []].append((n, ids.subtracting(bad)))
                held.formUnion(ids)
                let s = county.schoolScopes.firstIndex(of: scope)!
                let missing = expected[s].subtracting(ids)
                if !missing.isEmpty { trace.fail("node \(n) (\(node.kind.rawValue)) lacks \(missing.count) change(s) of school \(s)") }
            }
            let badHeld = held.intersection(bad)
            summary.badCopiesQuarantined += badHeld.count
            for id in badHeld where try log.state(of: id) == .applied {
                summary.badCopiesApplied += 1
                trace.fail("node \(n) applied malicious or stolen change \(id.hex.prefix(12))")
            }
            // Everything else must be applied — except what the lost or malicious device itself
            // signed since (a certificate it carried after equivocating is held with the rest).
            if try log.count(nil) - log.count(.applied) > badHeld.count {
                var stuck: [String] = []
                for e in try log.entries(after: 0, limit: Int.max)
                where e.state != .applied && !bad.contains(e.change.id) && !untrustedAuthor(e.change) {
                    let who = county.nodes.firstIndex { $0.key.publicKey == e.change.author }.map { "node \($0)" } ?? "?"
                    stuck.append("\(e.state) \(e.change.scope.value) by \(who) seq \(e.change.seq)")
                }
                if !stuck.isEmpty {
                    trace.fail(
                        "node \(n) (\(node.kind.rawValue)): \(stuck.count) honest change(s) stored but not applied: \(stuck.prefix(4))")
                }
            }
        }
        for (scope, holders) in heldByScope where holders.contains(where: { $0.ids != holders[0].ids }) {
            let counts = holders.map { "node \($0.node): \($0.ids.count)" }.joined(separator: ", ")
            trace.fail("the replicas holding \(scope.value) hold different changes (\(counts))")
        }
        // A transferred child is on every honest device of its new school, with the old school's
        // history under it (its changes were carried; none may wait unapplied — checked above).
        for t in transfers {
            for i in county.devices(of: t.to) where isHonest(i) {
                if try county.nodes[i].log.child(t.child)?.status == nil {
                    trace.fail("node \(i) of school \(t.to) does not show child \(t.child.hex.prefix(8)) transferred from school \(t.from)")
                }
            }
        }
        var views: [Int: [String: String]] = [:]
        for i in honest { views[i] = try county.nodes[i].log.viewDigests() }
        for s in 0..<scenario.schools {
            let digests = county.devices(of: s).filter { isHonest($0) }.compactMap { views[$0] }
            if !digests.allSatisfy({ $0 == digests[0] }) { trace.fail("the honest devices of school \(s) show different views") }
        }

        // Conflicts, worked out from the signed ops alone (a write is live unless a later write
        // named it as seen), against what every honest device shows: each surfaced, none invented.
        for s in 0..<scenario.schools {
            // The school's own changes, and those a transfer into it carries (its devices show both).
            let bundles = transfers.reduce(into: Set<ChangeID>()) { $0.formUnion($1.bundles) }
            var changes = authored[s].map(\.change).filter { expected[s].contains($0.id) && !bundles.contains($0.id) }
            for t in transfers where t.to == s {
                changes += authored[t.from].map(\.change).filter { t.carried.contains($0.id) && !bundles.contains($0.id) }
            }
            // Every member held its school's key before writing: not one record change may travel in clear.
            if scenario.encrypted, let clear = changes.first(where: { !SealedPayload.isSealed($0.payload) }) {
                trace.fail("school \(s): change \(clear.id.hex.prefix(12)) was written in clear in an encrypted school")
            }
            // The oracle reads sealed payloads with the keys an honest member of the school holds.
            guard let reader = county.devices(of: s).first(where: { isHonest($0) && county.nodes[$0].kind == .admin }) else { continue }
            let (found, edits) = try Self.conflicts(in: changes) { c in
                guard let p = try county.nodes[reader].log.readablePayload(of: c) else { throw StoreError.privacy(.noKey) }
                return p
            }
            let conflicts = Set(found.keys)
            summary.edits += edits
            summary.conflicts += conflicts.count
            for key in conflicts.sorted().prefix(3) { trace.add(describe(key, writers: found[key]!, school: s)) }
            for i in county.devices(of: s) where isHonest(i) {
                var shown: Set<String> = []
                for c in try county.nodes[i].log.conflicts() { for f in c.conflicts { shown.insert("\(c.child.hex).\(f)") } }
                // A provisional child merged into its registry record is no longer listed, nor are its conflicts (records.md §3.3).
                let merged = try county.nodes[i].log.mergedChildren(into: county.children[s][0]).map(\.hex)
                for missing in conflicts.subtracting(shown) where !merged.contains(where: { missing.hasPrefix($0) }) {
                    trace.fail("node \(i) does not show the conflict on \(missing)")
                }
                for invented in shown.subtracting(conflicts) {
                    trace.fail("node \(i) shows a conflict on \(invented) that no concurrent edits made")
                }
            }
        }

        try checkReports(expected: expected)

        let devices = county.nodes.indices.filter { !county.nodes[$0].isRelay }
        let days = Double(scenario.days)
        summary.devices = devices.count
        summary.relays = county.townshipRelays.count + 1
        summary.children = county.children.reduce(0) { $0 + $1.count }
        summary.authored = authored.reduce(0) { $0 + $1.count }
        summary.convergenceHours = heal.map { h in h.doneAt.map { Double($0 - h.at) / 3_600_000 } ?? .infinity }
        if let h = heal {
            summary.catchUpP50Hours = percentile(h.caughtUp.values.map { Double($0 - h.at) / 3_600_000 }.sorted(), 0.5)
        }
        if summary.convergenceHours == .infinity { trace.fail("some honest device never caught up after the partition") }
        summary.deviceBytesPerDay = Double(devices.reduce(0) { $0 + tally.dailyBytes($1) }) / Double(devices.count) / days
        summary.townshipRelayBytesPerDay =
            Double(county.townshipRelays.reduce(0) { $0 + tally.dailyBytes($1) })
            / Double(county.townshipRelays.count) / days
        summary.districtRelayBytesPerDay = Double(tally.dailyBytes(county.districtRelay)) / days
        let storage = try honest.map { try county.nodes[$0].log.pageBytes() }
        summary.storageMeanBytes = Double(storage.reduce(0, +)) / Double(max(1, storage.count))
        summary.storageMaxBytes = storage.max() ?? 0
        summary.syncs = tally.syncs
        summary.cutSyncs = tally.cuts
        summary.refusedSyncs = tally.refused
        summary.crashes = tally.crashes
        summary.keyGrants = tally.grants
        summary.writesWithoutKey = tally.noKey
        summary.transfers = tally.transfers
        summary.relayKills = tally.relayKills
        summary.badChanges = bad.count
        summary.goneWithPhone =
            lost.map { l in
                authored[county.nodes[l].school!].filter {
                    $0.change.author == county.nodes[l].key.publicKey && !expected[county.nodes[l].school!].contains($0.change.id)
                }.count
            } ?? 0

        var digestInput: [UInt8] = []
        for i in honest {
            for (table, digest) in views[i, default: [:]].sorted(by: { $0.key < $1.key }) {
                digestInput += Array("\(table)=\(digest);".utf8)
            }
            for head in try county.nodes[i].log.heads() { digestInput += head.bytes }
        }
        return (summary, Hex.encode(Blake2b.hash(digestInput, length: 16)))
    }

    /// "record.field" of every child field whose live writes (those no other write names in its
    /// `pred`) carry more than one value, with the changes that wrote those values; and the
    /// number of child-field writes.
    static func conflicts(in changes: [Change], open: (Change) throws -> RecordPayload) throws -> ([String: [ChangeID]], Int) {
        var writes: [String: [(op: OpID, value: FieldValue)]] = [:]
        var seen: Set<OpID> = []
        var edits = 0
        for change in changes {
            for (i, op) in try open(change).ops.enumerated() {
                guard case .set(.child, let record, let field, let value, let pred) = op else { continue }
                writes["\(record.hex).\(field)", default: []].append((OpID(change: change.id, index: UInt16(i)), value))
                seen.formUnion(pred)
                edits += 1
            }
        }
        var out: [String: [ChangeID]] = [:]
        for (key, w) in writes {
            let live = w.filter { !seen.contains($0.op) }
            if Set(live.map(\.value)).count > 1 { out[key] = live.map(\.op.change) }
        }
        return (out, edits)
    }

    /// One line on who made a conflict: the writers of its live values and when (for the trace).
    func describe(_ key: String, writers: [ChangeID], school s: Int) -> String {
        let wanted = Set(writers)
        let found = authored[s].filter { wanted.contains($0.change.id) }
        let lines = found.map { change, at in
            let who = county.nodes.firstIndex { $0.key.publicKey == change.author }.map { "node \($0)" } ?? "?"
            return "\(who) at \(stamp(at))"
        }
        return "conflict on \(key.suffix(12)): " + lines.joined(separator: ", ")
    }
}
