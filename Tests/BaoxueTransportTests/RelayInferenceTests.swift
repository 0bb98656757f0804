import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueStore
import BaoxueSynthetic
import BaoxueTesting
import BaoxueTrust
import Testing

/// privacy.md §4 played as the attacker: a township's relay database alone, after a roster import,
/// three weeks of field work (absences day by day, visits, persuasion, an admin's follow-up of the
/// ledger children) and transfers. `RelayInference` tries every clear field; none may tell the
/// ledger children from the rest better than chance, and no ID number may be found. The same
/// attacker, given one linking field per child (what v1's content key id was), separates them.
@Suite struct RelayInferenceTests {
    let authority = Fixtures.key(0xAA)
    let district = Fixtures.key(0x41)
    let teacher = Fixtures.key(0x42), liaison = Fixtures.key(0x46), admin = Fixtures.key(0x44), teacherB = Fixtures.key(0x43)
    let relayKey = Fixtures.key(0x45)
    let t0: UInt64 = 1_764_000_000_000
    let day: UInt64 = 86_400_000
    let schoolA = try! ScopeID("丰南区/东镇/甲小学")
    let schoolB = try! ScopeID("丰南区/东镇/乙小学")
    let children = 200

    func device(_ key: DeviceKey) throws -> ChangeLog {
        try ChangeLog(
            inMemory: (),
            options: .init(authority: authority.publicKey, clock: { [t0, day] in t0 + 40 * day }, reader: key, sealRequired: true))
    }

    func copy(_ from: ChangeLog, to: ChangeLog) throws {
        _ = try to.append(encoded: try from.entries(after: 0, limit: 1_000_000).map(\.change.encoded))
    }

    struct Township {
        let relay: ChangeLog
        let districtLog: ChangeLog
        let flagged: [Bool]
        let ids: [String]
        let records: [[UInt8]]
    }

    func township(seed: UInt64) throws -> Township {
        var rng = SeededGenerator(seed: seed)
        let synthetic = SyntheticDistrict(seed: seed, children: children, schools: 1)
        let d = try device(district)
        let now = t0 + day
        for (role, key, scopes) in [
            (Role.districtAdmin, district, [schoolA, schoolB]), (.relay, relayKey, [schoolA, schoolB]), (.teacher, teacher, [schoolA]),
            (.liaison, liaison, [schoolA]), (.schoolAdmin, admin, [schoolA]), (.teacher, teacherB, [schoolB]),
        ] {
            let cert = try Certificate.issue(
                by: authority, subject: key.publicKey, role: role, mayIssue: false, validFrom: t0, validUntil: t0 + 365 * day,
                name: "某老师", scopes: scopes)
            _ = try d.appendAuthored(by: district, scope: .admin, payload: AdminPayload.certificate(cert).encoded, now: now)
        }
        try d.grantKeys(by: district, scope: schoolA, now: now)
        try d.grantKeys(by: district, scope: schoolB, now: now)
        let relay = try ChangeLog(
            inMemory: (),
            options: .init(merge: nil, authority: authority.publicKey, clock: { [t0, day] in t0 + 40 * day }, witness: relayKey))
        let (t, l, a) = (try device(teacher), try device(liaison), try device(admin))
        for log in [t, l, a, relay] { try copy(d, to: log) }
        func sync() throws {
            for log in [t, l, a, d] { try copy(log, to: relay) }
            for log in [t, l, a, d] { try copy(relay, to: log) }
        }
        // The roster import: one child per change, in the shuffled order `baoxue child import` writes.
        let today = try SimpleDate(unixMilliseconds: now)
        var ids: [String] = []
        var records: [[UInt8]] = []
        for i in 0..<children {
            for case .set(_, _, "idNumber", .text(let number), _) in synthetic.childOps(i, today: today) { ids.append(number) }
            records.append(try Hex.decode(synthetic.child(i).hex))
        }
        for i in Array(0..<children).shuffled(using: &rng) {
            let ops = synthetic.childOps(i, today: today).map { op -> RecordOp in
                guard case .set(.child, let r, let f, let v, _) = op else { return op }
                return .set(kind: .child, record: r, field: f, value: v, pred: [])
            }
            _ = try t.appendAuthored(by: teacher, scope: schoolA, payload: try RecordPayload(ops: ops).encoded(), now: now)
        }
        try sync()
        // Who is on a ledger: 40 children miss three days in a row, unexcused; 60 others are visited; 20 others miss one excused day.
        let order = Array(0..<children).shuffled(using: &rng)
        let ledger = Array(order[0..<40]).sorted()
        let visited = Array(order[40..<100]).sorted()
        let excused = Array(order[100..<120]).sorted()
        func write(_ log: ChangeLog, _ key: DeviceKey, _ ms: UInt64, _ ops: [RecordOp]) throws {
            _ = try log.appendAuthored(by: key, scope: schoolA, payload: try RecordPayload(ops: ops).encoded(), now: ms)
        }
        for k in 0..<15 {
            let ms = now + UInt64(k + 1) * day
            let date = try SimpleDate(unixMilliseconds: ms)
            let one = Absence(from: date, to: date, schoolDays: 1, excused: false)
            // The teacher records absences in class order, day by day; the liaison visits; the admin follows up.
            if (3...5).contains(k) {
                for i in ledger { try write(t, teacher, ms, [.event(Event(child: synthetic.child(i), date: date, body: .absence(one)))]) }
            }
            if k == 4 {
                for i in excused {
                    let e = Absence(from: date, to: date, schoolDays: 1, excused: true)
                    try write(t, teacher, ms, [.event(Event(child: synthetic.child(i), date: date, body: .absence(e)))])
                }
            }
            for i in visited where i % 15 == k {
                let v = Visit(participants: ["村联络员"], householdFound: true, childSeen: true, spokeTo: "母亲", agreed: "按时到校")
                try write(l, liaison, ms + 3_600_000, [.event(Event(child: synthetic.child(i), date: date, body: .visit(v)))])
            }
            if k == 7 {
                for i in ledger {
                    let p = PersuasionAttempt(method: "入户劝返", outcome: .agreedToReturn, note: "家长同意周一送校")
                    let file = RecordID.derived("case-\(seed)-\(i)")
                    try write(
                        l, liaison, ms + 3_600_000,
                        [
                            .set(kind: .caseFile, record: file, field: "child", value: .text(synthetic.child(i).hex), pred: []),
                            .set(
                                kind: .caseFile, record: file, field: "reason", value: .text(ReasonCategory.dislikesSchool.rawValue),
                                pred: []),
                            .event(Event(child: synthetic.child(i), subject: file, date: date, body: .persuasion(p))),
                        ])
                }
            }
            if k == 9 {
                for i in ledger.prefix(20) {
                    let returned = StatusFact(status: .enrolled, date: date, reason: "已返校")
                    try write(
                        a, admin, ms + 7_200_000,
                        [.set(kind: .child, record: synthetic.child(i), field: "status", value: .status(returned), pred: [])])
                }
            }
            try sync()
        }
        // Transfers: three ledger children and three others move to the other school.
        for i in ledger.suffix(3) + visited.suffix(3) {
            try d.transferChild(synthetic.child(i), from: schoolA, to: schoolB, by: district, now: now + 16 * day)
        }
        try sync()
        return Township(relay: relay, districtLog: d, flagged: (0..<children).map { ledger.contains($0) }, ids: ids, records: records)
    }

    func relayChanges(_ town: Township) throws -> [Change] {
        try town.relay.entries(after: 0, limit: 1_000_000).map(\.change).filter { $0.scope != .admin }
    }

    @Test(arguments: [UInt64(1), 2])
    func fromTheRelaysDatabaseAloneLedgerChildrenLookLikeTheRest(seed: UInt64) throws {
        let town = try township(seed: seed)
        let changes = try relayChanges(town)
        #expect(changes.count > 400, "seed \(seed)")
        let inference = RelayInference(
            changes: changes.filter { $0.scope == schoolA }, flagged: town.flagged, idNumbers: town.ids,
            recordIDs: town.records)
        print(
            "relay inference, seed \(seed): \(inference.children) children, \(inference.flagged) on ledgers; worst "
                + "\(inference.worst.strategy) AUC \(inference.worst.auc), bound 0.5 ± \(inference.bound); ID numbers found "
                + "\(inference.idNumbersFound)")
        #expect(inference.findings.count == 14)
        #expect(!inference.separates, "seed \(seed): \(inference.worst)")
        #expect(inference.idNumbersFound == 0, "seed \(seed)")
        // Every sealed change of the school is a whole number of 128-byte steps of plaintext (privacy.md §3.4).
        let sizes = changes.filter { $0.scope == schoolA && SealedPayload.isSealed($0.payload) }.map(\.payload.count)
        #expect(sizes.allSatisfy { ($0 - 92) % SealedPadding.step == 0 || $0 > 4096 + 92 }, "seed \(seed)")
        print(
            "sealed payload sizes, seed \(seed): \(Dictionary(grouping: sizes, by: { $0 }).mapValues(\.count).sorted { $0.key < $1.key })")

        // The control: the same attacker given what v1 showed in clear (one id per child, here the
        // child the district's replica reads in each change) tells the ledger children apart.
        var childOf: [ChangeID: [UInt8]] = [:]
        for c in changes where c.scope == schoolA {
            if let p = try town.districtLog.readablePayload(of: c), let child = p.soleChild { childOf[c.id] = try Hex.decode(child.hex) }
        }
        let known = childOf
        let control = RelayInference(
            changes: changes.filter { $0.scope == schoolA }, flagged: town.flagged, idNumbers: [], recordIDs: [],
            link: { known[$0.id] })
        // Shuffled, the import's order no longer maps changes to roster rows, so the attacker given the
        // link must also be given the order: rows sorted as the import wrote them.
        #expect(control.findings.count == 16)
        let linked = control.findings.filter { $0.strategy.hasSuffix("given link") }
        #expect(linked.allSatisfy { abs($0.auc - 0.5) <= control.bound }, "the shuffle alone defeats the row mapping")
        let imports = Array(changes.filter { $0.scope == schoolA && SealedPayload.isSealed($0.payload) }.prefix(children))
        let importedRows = imports.map { c in town.records.firstIndex(of: known[c.id] ?? []) ?? 0 }
        let inImportOrder = RelayInference(
            changes: changes.filter { $0.scope == schoolA }, flagged: importedRows.map { town.flagged[$0] }, idNumbers: [],
            recordIDs: [], link: { known[$0.id] })
        #expect(inImportOrder.separates)
        #expect(inImportOrder.worst.strategy.hasSuffix("given link") && inImportOrder.worst.auc > 0.9)
    }
}
