import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import BaoxueTrust
import Testing

/// A child transfers (转学, privacy.md §2(b)): the district admin hands the child's
/// content keys of every epoch of the old school to the new school; the relay carries
/// that child's old changes — and no other — with the new school's scope; the new
/// school's teacher reads them without anything being re-encrypted.
@Suite struct TransferTests {
    let authority = Fixtures.key(0xAA)
    let district = Fixtures.key(0x41)
    let teacherA = Fixtures.key(0x42), teacherB = Fixtures.key(0x43), adminB = Fixtures.key(0x44)
    let relayKey = Fixtures.key(0x45)
    let t0: UInt64 = 1_764_000_000_000
    let day: UInt64 = 86_400_000
    let schoolA = try! ScopeID("丰南区/东镇/甲小学")
    let schoolB = try! ScopeID("丰南区/西镇/乙小学")
    let moving = RecordID.derived("moving-child"), staying = RecordID.derived("staying-child")
    var now: UInt64 { t0 + day }

    func cert(_ role: Role, _ subject: DeviceKey, _ scopes: [ScopeID]) throws -> Certificate {
        try Certificate.issue(
            by: authority, subject: subject.publicKey, role: role, mayIssue: false,
            validFrom: t0, validUntil: t0 + 365 * day, name: "李老师", scopes: scopes)
    }

    func device(_ key: DeviceKey) throws -> ChangeLog {
        try ChangeLog(inMemory: (), authority: authority.publicKey, clock: { [now] in now + 3_600_000 }, reader: key, sealRequired: true)
    }

    func copy(_ from: ChangeLog, to: ChangeLog) throws {
        _ = try to.append(encoded: try from.entries(after: 0, limit: 100_000).map(\.change.encoded))
    }

    func set(_ child: RecordID, _ field: String, _ value: FieldValue, pred: [OpID] = []) throws -> [UInt8] {
        try RecordPayload(ops: [.set(kind: .child, record: child, field: field, value: value, pred: pred)]).encoded()
    }

    /// One sync session of `device` (asking for `scope`) with the relay, over the simulated link.
    func sync(_ device: ChangeLog, key: DeviceKey, scope: ScopeID, relay: ChangeLog) throws -> SyncSummary {
        var i = try SyncEndpoint.make(
            role: .initiator, key: key, store: device, policy: SyncPolicy(grants: [relayKey.publicKey: .allScopes]),
            scopes: [.admin, scope], now: 0)
        var r = try SyncEndpoint.make(
            role: .responder, key: relayKey, store: relay, policy: SyncPolicy(grants: [key.publicKey: .allScopes]), now: 0)
        return try #require(SimulatedLink.run(initiator: &i, responder: &r).initiator).get()
    }

    /// The district's replica with every certificate, both schools keyed; school A rotated once,
    /// so the moving child's history spans two epochs.
    func world() throws -> (district: ChangeLog, a: ChangeLog, relay: ChangeLog, first: Change) {
        let d = try device(district)
        for (role, key, scopes) in [
            (Role.districtAdmin, district, [schoolA, schoolB]), (.relay, relayKey, [schoolA, schoolB]),
            (.teacher, teacherA, [schoolA]), (.teacher, teacherB, [schoolB]), (.schoolAdmin, adminB, [schoolB]),
        ] {
            _ = try d.appendAuthored(
                by: district, scope: .admin, payload: AdminPayload.certificate(try cert(role, key, scopes)).encoded, now: now)
        }
        try d.grantKeys(by: district, scope: schoolA, now: now)
        try d.grantKeys(by: district, scope: schoolB, now: now)
        let a = try device(teacherA)
        try copy(d, to: a)
        let first = try a.appendAuthored(by: teacherA, scope: schoolA, payload: try set(moving, "name", .text("王小明")), now: now)
        _ = try a.appendAuthored(by: teacherA, scope: schoolA, payload: try set(staying, "name", .text("赵小红")), now: now)
        try copy(a, to: d)
        try d.grantKeys(by: district, scope: schoolA, rotate: true, now: now)
        try copy(d, to: a)
        _ = try a.appendAuthored(by: teacherA, scope: schoolA, payload: try set(moving, "grade", .number(5)), now: now)
        _ = try a.appendAuthored(by: teacherA, scope: schoolA, payload: try set(staying, "grade", .number(3)), now: now)
        try copy(a, to: d)
        let relay = try ChangeLog(
            inMemory: (), merge: nil, authority: authority.publicKey, clock: { [now] in now + 3_600_000 }, witness: relayKey)
        try copy(d, to: relay)
        return (d, a, relay, first)
    }

    @Test func theNewSchoolReadsTheChildsHistoryOfEveryEpochAndNothingElse() throws {
        let (d, _, relay, _) = try world()
        let b = try device(teacherB)
        _ = try sync(b, key: teacherB, scope: schoolB, relay: relay)
        #expect(try b.child(moving) == nil)

        try d.transferChild(moving, from: schoolA, to: schoolB, by: district, now: now)
        try copy(d, to: relay)
        // The relay's set for school B now holds the grant (and its receipt) and the moving child's two
        // changes of school A, of both epochs; not the staying child's two.
        let relaySet = Set(try relay.members(of: schoolB).map(\.id))
        let bSet = Set(try b.members(of: schoolB).map(\.id))
        #expect(relaySet.subtracting(bSet).count == 4)
        let summary = try sync(b, key: teacherB, scope: schoolB, relay: relay)
        #expect(summary.receivedChanges == 4)
        let moved = try #require(try b.child(moving))
        #expect(moved.name == "王小明" && moved.grade == 5)
        #expect(try b.child(staying) == nil)
        #expect(try b.members(of: schoolA).count == 2)
        #expect(try b.carried(into: schoolB) == [schoolA: 2])
        // Both sides now compute the same carried set: nothing more to exchange.
        let again = try sync(b, key: teacherB, scope: schoolB, relay: relay)
        #expect(again.receivedChanges == 0 && again.sentChanges == 0)
        // A rebuild reads them again from the log alone.
        let before = try b.viewDigests()
        try b.rebuildViews()
        #expect(try b.viewDigests() == before)
    }

    /// The relay keeps each scope's set and later reads only what was stored since: a change the
    /// old school writes about the moving child after the transfer joins the new school's set, one
    /// about the staying child does not, exactly as a replica reading the whole log afresh finds.
    @Test func aLaterChangeUnderACarriedKeyJoinsTheNewSchoolsSet() throws {
        let (d, a, relay, _) = try world()
        try d.transferChild(moving, from: schoolA, to: schoolB, by: district, now: now)
        try copy(d, to: relay)
        let before = Set(try relay.members(of: schoolB).map(\.id))
        let late = try a.appendAuthored(by: teacherA, scope: schoolA, payload: try set(moving, "className", .text("三班")), now: now)
        let other = try a.appendAuthored(by: teacherA, scope: schoolA, payload: try set(staying, "className", .text("二班")), now: now)
        try copy(a, to: relay)
        let after = try relay.members(of: schoolB)
        #expect(Set(after.map(\.id)) == before.union([late.id]))
        #expect(!after.map(\.id).contains(other.id))
        let fresh = try ChangeLog(inMemory: (), merge: nil, authority: authority.publicKey, clock: { [now] in now + 3_600_000 })
        try copy(relay, to: fresh)
        #expect(try fresh.members(of: schoolB) == after)
    }

    @Test func changesThatArriveBeforeTheirTransferWaitAndThenApply() throws {
        let (d, _, relay, _) = try world()
        let grant = try d.transferChild(moving, from: schoolA, to: schoolB, by: district, now: now)
        try copy(d, to: relay)
        let b = try device(teacherB)
        // Everything but the grant first, in any order: the old school's changes cannot be read yet.
        let all = try relay.entries(after: 0, limit: 100_000).map(\.change)
        _ = try b.append(encoded: all.filter { $0.id != grant.id }.reversed().map(\.encoded))
        #expect(try b.child(moving) == nil)
        _ = try b.append(encoded: [grant.encoded])
        #expect(try b.child(moving)?.name == "王小明" && b.child(moving)?.grade == 5)
        #expect(try b.child(staying) == nil)
    }

    @Test func onlyAnAdminOfBothSchoolsMayHandOverAChild() throws {
        let (d, _, relay, _) = try world()
        // The new school's own admin holds no key of school A: it cannot even write the grant.
        let b = try device(adminB)
        try copy(d, to: b)
        #expect(throws: StoreError.noScopeKey(schoolA)) { try b.transferChild(moving, from: schoolA, to: schoolB, by: adminB, now: now) }
        #expect(throws: StoreError.self) { try d.transferChild(moving, from: schoolA, to: schoolA, by: district, now: now) }
        // A forged grant, signed by a teacher of the new school, is quarantined everywhere and carries nothing.
        let keys = [ScopeKey.generate(scope: schoolA).contentKey(child: moving)]
        let forged = try ChildGrant.make(source: schoolA, child: moving, keys: keys, to: [teacherB.publicKey]).encoded
        let tb = try device(teacherB)
        try copy(d, to: tb)
        let change = try tb.appendAuthored(by: teacherB, scope: schoolB, payload: forged, now: now)
        _ = try relay.append(encoded: [change.encoded])
        #expect(try relay.quarantined().map(\.id) == [change.id])
        #expect(try relay.carried(into: schoolB).isEmpty)
        // An admin of school B alone (a grant claiming school A as its source) is refused the same way.
        let adminBGrant = try b.appendAuthored(by: adminB, scope: schoolB, payload: forged, now: now)
        _ = try relay.append(encoded: [adminBGrant.encoded])
        #expect(try relay.quarantined().map(\.reason) == ["role_forbids", "outside_scope"])
    }
}
