import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import BaoxueTrust
import Testing

/// A child transfers (转学, privacy.md §2(b)): the district admin hands the child's old
/// changes and its content keys of every epoch of the old school to the new school, sealed in
/// one change of the new school; the relay learns nothing of which child; the new school's
/// teacher reads that child's history — and no other — without anything being re-encrypted.
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
        try ChangeLog(
            inMemory: (),
            options: .init(authority: authority.publicKey, clock: { [now] in now + 3_600_000 }, reader: key, sealRequired: true))
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
            inMemory: (), options: .init(merge: nil, authority: authority.publicKey, clock: { [now] in now + 3_600_000 }, witness: relayKey)
        )
        try copy(d, to: relay)
        return (d, a, relay, first)
    }

    /// The scope keys of `scope` sealed to `key`, read from the member grants in `log` (as a member would).
    func keys(of scope: ScopeID, for key: DeviceKey, in log: ChangeLog) throws -> [ScopeKey] {
        try log.entries(after: 0, limit: 100_000).map(\.change).filter { $0.scope == scope && MemberGrant.isGrant($0.payload) }
            .compactMap { try MemberGrant(bytes: $0.payload).open(as: key, scope: scope) }
    }

    @Test func theNewSchoolReadsTheChildsHistoryOfEveryEpochAndNothingElse() throws {
        let (d, _, relay, _) = try world()
        let b = try device(teacherB)
        _ = try sync(b, key: teacherB, scope: schoolB, relay: relay)
        #expect(try b.child(moving) == nil)

        let written = try d.transferChild(moving, from: schoolA, to: schoolB, by: district, now: now)
        #expect(written.count == 1)
        try copy(d, to: relay)
        // The relay's set for school B gains the transfer and its receipt: no change of school A.
        let relaySet = Set(try relay.members(of: schoolB).map(\.id))
        let bSet = Set(try b.members(of: schoolB).map(\.id))
        #expect(relaySet.subtracting(bSet).count == 2)
        let summary = try sync(b, key: teacherB, scope: schoolB, relay: relay)
        #expect(summary.receivedChanges == 2)
        let moved = try #require(try b.child(moving))
        #expect(moved.name == "王小明" && moved.grade == 5)
        #expect(try b.child(staying) == nil)
        // The old school's two changes about the child, of both epochs, are in the device's log.
        #expect(try b.members(of: schoolA).count == 2)
        #expect(try b.carried(into: schoolB) == [schoolA: 2])
        let again = try sync(b, key: teacherB, scope: schoolB, relay: relay)
        #expect(again.receivedChanges == 0 && again.sentChanges == 0)
        // A rebuild reads them again from the log alone.
        let before = try b.viewDigests()
        try b.rebuildViews()
        #expect(try b.viewDigests() == before)
    }

    /// What the relay holds says nothing of which child moved: no child id, no content key id of
    /// the child, no change of the old school in the new school's set, and the transfer is one
    /// change of a padded size in the new school, like any other admin change.
    @Test func theRelaySeesNoChildInATransfer() throws {
        let (d, _, relay, _) = try world()
        let written = try d.transferChild(moving, from: schoolA, to: schoolB, by: district, now: now)
        try copy(d, to: relay)
        let stored = try relay.entries(after: 0, limit: 100_000).map(\.change)
        let childBytes = try Hex.decode(moving.hex)
        let contentIDs = try keys(of: schoolA, for: teacherA, in: d).map { $0.contentKey(child: moving).id }
        #expect(contentIDs.count == 2)
        for c in stored {
            #expect(c.encoded.firstRange(of: childBytes) == nil)
            for id in contentIDs { #expect(c.encoded.firstRange(of: id) == nil) }
        }
        let aIDs = Set(stored.filter { $0.scope == schoolA }.map(\.id))
        #expect(Set(try relay.members(of: schoolB).map(\.id)).isDisjoint(with: aIDs))
        let transfer = try SealedPayload(bytes: try #require(written.first).payload)
        #expect(transfer.declared == .admin)
        #expect(try d.transferBundle(in: written[0])?.changes.count == 2)
    }

    /// The transfer may reach a device before the certificates of the old school's teachers: the
    /// changes it holds wait in quarantine like any change, and apply when the certificates come.
    @Test func aTransferAheadOfTheOldSchoolsCertificatesWaitsForThem() throws {
        let (d, _, relay, _) = try world()
        try d.transferChild(moving, from: schoolA, to: schoolB, by: district, now: now)
        try copy(d, to: relay)
        let b = try device(teacherB)
        let all = try relay.entries(after: 0, limit: 100_000).map(\.change)
        let teacherACert = all.filter {
            guard $0.scope == .admin, case .certificate(let c)? = try? AdminPayload.decode($0.payload) else { return false }
            return c.subject == teacherA.publicKey
        }
        #expect(teacherACert.count == 1)
        let rest = all.filter { !teacherACert.map(\.id).contains($0.id) && ($0.scope == .admin || $0.scope == schoolB) }
        _ = try b.append(encoded: rest.map(\.encoded))
        #expect(try b.child(moving) == nil)
        #expect(try b.quarantined().count == 2)
        _ = try b.append(encoded: teacherACert.map(\.encoded))
        #expect(try b.child(moving)?.name == "王小明" && b.child(moving)?.grade == 5)
        #expect(try b.quarantined().isEmpty)
    }

    @Test func onlyAnAdminOfBothSchoolsMayHandOverAChild() throws {
        let (d, a, relay, first) = try world()
        // The new school's own admin holds no key of school A: it cannot even write the transfer.
        let b = try device(adminB)
        try copy(d, to: b)
        #expect(throws: StoreError.noScopeKey(schoolA)) { try b.transferChild(moving, from: schoolA, to: schoolB, by: adminB, now: now) }
        #expect(throws: StoreError.self) { try d.transferChild(moving, from: schoolA, to: schoolA, by: district, now: now) }
        // A forged transfer: school B's admin got the child's first change and its key some other way and
        // hands them to its school. The relay cannot tell (it sees an admin's change of B); every reader
        // finds its author may not grant keys in school A, records it as rejected and applies none of it.
        let keyA = try #require(try keys(of: schoolA, for: teacherA, in: a).first)
        let keyB = try #require(try keys(of: schoolB, for: adminB, in: d).first)
        let bundle = try TransferBundle(source: schoolA, child: moving, keys: [keyA.contentKey(child: moving)], changes: [first])
        let forged = try SealedPayload.seal(bundle, key: keyB, author: adminB.publicKey, seq: 1)
        let change = try b.appendAuthored(by: adminB, scope: schoolB, payload: forged, now: now)
        #expect(change.seq == 1)
        _ = try relay.append(encoded: [change.encoded])
        #expect(try relay.quarantined().isEmpty)
        let tb = try device(teacherB)
        _ = try sync(tb, key: teacherB, scope: schoolB, relay: relay)
        #expect(try tb.child(moving) == nil)
        #expect(try tb.members(of: schoolA).isEmpty)
        // A teacher of school B cannot even declare a transfer: the relay quarantines it.
        let tbKey = try #require(try keys(of: schoolB, for: teacherB, in: tb).first)
        let byTeacher = try tb.appendAuthored(
            by: teacherB, scope: schoolB, payload: try SealedPayload.seal(bundle, key: tbKey, author: teacherB.publicKey, seq: 1), now: now)
        _ = try relay.append(encoded: [byTeacher.encoded])
        #expect(try relay.quarantined().map(\.reason) == ["role_forbids"])
    }
}
