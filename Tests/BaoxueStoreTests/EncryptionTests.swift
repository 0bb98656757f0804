import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// Record payloads sealed under scope keys (privacy.md): members read, the relay
/// carries without reading, a revoked device reads nothing written after the rotation.
@Suite struct EncryptionTests {
    let authority = Fixtures.key(0xAA)
    let admin = Fixtures.key(0x31)
    let t1 = Fixtures.key(0x32), t2 = Fixtures.key(0x33), t3 = Fixtures.key(0x34)
    let relayKey = Fixtures.key(0x35)
    let t0: UInt64 = 1_764_000_000_000
    let day: UInt64 = 86_400_000
    let school = try! ScopeID("丰南区/东镇/示例小学")
    let child1 = RecordID.derived("child-1"), child2 = RecordID.derived("child-2")
    var now: UInt64 { t0 + day }
    let secondID = "11010520100101001" + String(ResidentID.checkCharacter(for: "11010520100101001"))

    func cert(_ role: Role, _ subject: DeviceKey) throws -> Certificate {
        try Certificate.issue(
            by: authority, subject: subject.publicKey, role: role, mayIssue: false,
            validFrom: t0, validUntil: t0 + 365 * day, name: "张老师", scopes: [school])
    }

    func device(_ key: DeviceKey, path: String? = nil, witness: Bool = false) throws -> ChangeLog {
        let clock: @Sendable () -> UInt64 = { [now] in now + 3_600_000 }
        if let path {
            return try ChangeLog(
                path: path,
                options: .init(
                    merge: witness ? nil : RecordMerge(), authority: authority.publicKey, clock: clock, witness: witness ? key : nil,
                    reader: witness ? nil : key))
        }
        return try ChangeLog(inMemory: (), options: .init(authority: authority.publicKey, clock: clock, reader: key))
    }

    /// Everything `from` stores, offered to `to` (a sync without the protocol).
    func copy(_ from: ChangeLog, to: ChangeLog) throws {
        _ = try to.append(encoded: try from.entries(after: 0, limit: 100_000).map(\.change.encoded))
    }

    func profile(_ child: RecordID, name: String, id: String, phone: String) throws -> [UInt8] {
        try RecordPayload(ops: [
            .set(kind: .child, record: child, field: "name", value: .text(name), pred: []),
            .set(kind: .child, record: child, field: "idNumber", value: .text(id), pred: []),
            .set(kind: .child, record: child, field: "guardianPhone", value: .text(phone), pred: []),
        ]).encoded()
    }

    /// The admin's replica with every certificate published and the scope's first key granted.
    func keyedAdmin(members: [(Role, DeviceKey)]) throws -> ChangeLog {
        let a = try device(admin)
        for (role, key) in [(Role.schoolAdmin, admin), (.relay, relayKey)] + members {
            _ = try a.appendAuthored(by: admin, scope: .admin, payload: AdminPayload.certificate(try cert(role, key)).encoded, now: now)
        }
        try a.grantKeys(by: admin, scope: school, now: now)
        return a
    }

    func fileBytes(_ path: String) -> [UInt8] {
        ["", "-wal"].flatMap { Array(FileManager.default.contents(atPath: path + $0) ?? Data()) }
    }

    @Test func theRelayStoresAndChecksWhatItCannotReadAndMembersReadIt() throws {
        let a = try keyedAdmin(members: [(.teacher, t1), (.teacher, t2)])
        let w1 = try device(t1)
        let w2 = try device(t2)
        let dir = Fixtures.temporaryDirectory("relay-e2e")
        let relay = try device(relayKey, path: dir + "/relay.sqlite", witness: true)
        try copy(a, to: w1)
        let written = try w1.appendAuthored(
            by: t1, scope: school,
            payload: try profile(child1, name: "王小明", id: "11010519491231002X", phone: "13812345678"), now: now)
        #expect(SealedPayload.isSealed(written.payload))
        #expect(try w1.child(child1)?.name == "王小明")
        try copy(w1, to: relay)
        #expect(try relay.state(of: written.id) == .applied)
        try copy(relay, to: w2)
        #expect(try w2.child(child1)?.name == "王小明")
        try relay.checkpoint()
        let disk = fileBytes(dir + "/relay.sqlite")
        #expect(disk.count > 0)
        for secret in ["王小明", "11010519491231002X", "13812345678"] {
            #expect(disk.firstRange(of: Array(secret.utf8)) == nil, "\(secret) found on the relay's disk")
        }
        // The relay enforces roles from the declared operations: a teacher's sealed close-out is quarantined.
        let closeOut = try RecordPayload(ops: [
            .closeOut(
                child: child1, ledger: .suspectedDropout,
                closes: [OpID(change: written.id, index: 0)],
                evidence: [String(repeating: "ab", count: 32)], note: "已返校")
        ]).encoded()
        let forbidden = try w1.appendAuthored(by: t1, scope: school, payload: closeOut, now: now)
        #expect(SealedPayload.isSealed(forbidden.payload))
        try copy(w1, to: relay)
        #expect(try relay.state(of: forbidden.id) == .quarantined)
        #expect(try relay.quarantined().first { $0.id == forbidden.id }?.reason == "role_forbids")
        // A teacher may not hand out keys either.
        let grant = try w1.grantKeys(by: t1, scope: school, rotate: true, now: now)
        try copy(w1, to: relay)
        #expect(try relay.state(of: grant.id) == .quarantined)
        // The district reads everything: the authority's key is a recipient of every grant.
        let bureau = try ChangeLog(
            inMemory: (), options: .init(authority: authority.publicKey, clock: { [now] in now + 3_600_000 }, reader: authority))
        try copy(relay, to: bureau)
        #expect(try bureau.child(child1)?.name == "王小明")
        // The views re-derive from the log, decrypting again.
        let before = try w2.viewDigests()
        try w2.rebuildViews()
        #expect(try w2.viewDigests() == before)
    }

    @Test func aRevokedDeviceCannotReadWhatIsWrittenAfterTheRotation() throws {
        let a = try keyedAdmin(members: [(.teacher, t1), (.teacher, t2), (.teacher, t3)])
        let w1 = try device(t1)
        let w2 = try device(t2)
        let lost = try device(t3)
        try copy(a, to: w1)
        _ = try w1.appendAuthored(
            by: t1, scope: school, payload: try profile(child1, name: "王小明", id: "11010519491231002X", phone: "13812345678"), now: now)
        try copy(w1, to: lost)
        #expect(try lost.child(child1)?.name == "王小明")

        let revocation = try Revocation.issue(by: authority, subject: t3.publicKey, revokedAt: now + 60_000, reason: "手机丢失")
        _ = try a.appendAuthored(by: admin, scope: .admin, payload: AdminPayload.revocation(revocation).encoded, now: now + 120_000)
        #expect(try a.keyStatus(now: now).first { $0.scope == school }?.revokedRecipients == [t3.publicKey])
        try a.grantKeys(by: admin, scope: school, rotate: true, now: now + 180_000)
        let status = try #require(try a.keyStatus(now: now).first { $0.scope == school })
        #expect(status.heldEpoch == 2 && status.newestEpoch == 2 && status.revokedRecipients.isEmpty)

        try copy(a, to: w1)
        let secret = try w1.appendAuthored(
            by: t1, scope: school, payload: try profile(child2, name: "李小红", id: secondID, phone: "13900001111"),
            now: now + 240_000)
        // The lost phone gets every byte (a copied relay disk, say) and still reads nothing new.
        try copy(w1, to: lost)
        #expect(try lost.contains(secret.id))
        #expect(try lost.child(child2) == nil)
        // Its own revocation came with it: a remote wipe. The keys and what it could read before are gone too.
        let lostStatus = try #require(try lost.keyStatus(now: now).first { $0.scope == school })
        #expect(lostStatus.heldEpoch == nil && lostStatus.unreadable == 2)
        #expect(try lost.child(child1) == nil)
        try copy(w1, to: w2)
        #expect(try w2.child(child2)?.name == "李小红")
        #expect(try w2.child(child1)?.name == "王小明")
    }

    @Test func aNewMemberWaitsForItsGrantAndMayNotWriteInClear() throws {
        let a = try keyedAdmin(members: [(.teacher, t1)])
        let w1 = try device(t1)
        try copy(a, to: w1)
        _ = try w1.appendAuthored(
            by: t1, scope: school, payload: try profile(child1, name: "王小明", id: "11010519491231002X", phone: "13812345678"), now: now)
        // t2 is certified after the grant was written.
        _ = try a.appendAuthored(by: admin, scope: .admin, payload: AdminPayload.certificate(try cert(.teacher, t2)).encoded, now: now)
        let late = try device(t2)
        try copy(a, to: late)
        try copy(w1, to: late)
        #expect(try late.child(child1) == nil)
        #expect(throws: StoreError.noScopeKey(school)) {
            try late.appendAuthored(
                by: t2, scope: school, payload: try profile(child2, name: "李四", id: secondID, phone: "13900001111"), now: now)
        }
        #expect(try late.count(nil) == (try a.count(nil)) + 1)  // nothing of the refused write was stored
        #expect(try a.keyStatus(now: now).first { $0.scope == school }?.lacking == [t2.publicKey])
        try a.grantKeys(by: admin, scope: school, now: now)  // the same epoch, sealed to the newcomer too
        try copy(a, to: late)
        #expect(try late.child(child1)?.name == "王小明")
        #expect(try late.keyStatus(now: now).first { $0.scope == school }?.unreadable == 0)
        #expect(try late.keyStatus(now: now).first { $0.scope == school }?.heldEpoch == 1)
    }
}
