import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueTrust
import Testing

/// A member leaving a school (privacy.md §2(c)): the school admin records the departure and
/// rotates; the departed device, still certified and syncing the school, reads nothing written
/// afterwards and is sealed no key again until a certificate issued after it makes it a member.
@Suite struct MemberDepartureTests {
    let authority = Fixtures.key(0xAA)
    let admin = Fixtures.key(0x51), stays = Fixtures.key(0x52), leaves = Fixtures.key(0x53)
    let t0: UInt64 = 1_764_000_000_000
    let day: UInt64 = 86_400_000
    let school = try! ScopeID("丰南区/东镇/甲小学")
    var now: UInt64 { t0 + day }

    func device(_ key: DeviceKey) throws -> ChangeLog {
        try ChangeLog(
            inMemory: (),
            options: .init(authority: authority.publicKey, clock: { [now, day] in now + 30 * day }, reader: key, sealRequired: true))
    }

    func copy(_ from: ChangeLog, to: ChangeLog) throws {
        _ = try to.append(encoded: try from.entries(after: 0, limit: 100_000).map(\.change.encoded))
    }

    func certify(_ role: Role, _ key: DeviceKey, from: UInt64, until: UInt64? = nil, in log: ChangeLog) throws {
        let cert = try Certificate.issue(
            by: authority, subject: key.publicKey, role: role, mayIssue: false, validFrom: from, validUntil: until ?? t0 + 365 * day,
            name: "某老师", scopes: [school])
        _ = try log.appendAuthored(by: admin, scope: .admin, payload: AdminPayload.certificate(cert).encoded, now: now)
    }

    func name(_ text: String) throws -> [UInt8] {
        try RecordPayload(ops: [.set(kind: .child, record: .derived(text), field: "name", value: .text(text), pred: [])]).encoded()
    }

    @Test func aDepartedMemberReadsNothingWrittenAfterAndGetsNoKeyAgain() throws {
        let a = try device(admin)
        try certify(.schoolAdmin, admin, from: t0, in: a)
        try certify(.teacher, stays, from: t0, in: a)
        try certify(.teacher, leaves, from: t0, in: a)
        try a.grantKeys(by: admin, scope: school, now: now)
        let (s, l) = (try device(stays), try device(leaves))
        try copy(a, to: s)
        try copy(a, to: l)
        _ = try a.appendAuthored(by: admin, scope: school, payload: try name("王小明"), now: now)
        try copy(a, to: l)
        #expect(try l.child(.derived("王小明"))?.name == "王小明")

        // The teacher moves to another school; its certificate still covers this one.
        try a.recordDeparture(of: leaves.publicKey, from: school, at: now + 1_000, by: admin, now: now + 1_000)
        var status = try #require(try a.keyStatus(now: now + 2_000).first { $0.scope == school })
        #expect(status.formerRecipients == [leaves.publicKey])
        #expect(status.lacking.isEmpty)
        try a.grantKeys(by: admin, scope: school, rotate: true, now: now + 2_000)
        status = try #require(try a.keyStatus(now: now + 2_000).first { $0.scope == school })
        #expect(status.heldEpoch == 2 && status.formerRecipients.isEmpty && status.lacking.isEmpty)
        _ = try a.appendAuthored(by: admin, scope: school, payload: try name("赵小红"), now: now + 3_000)
        for log in [s, l] { try copy(a, to: log) }
        #expect(try s.child(.derived("赵小红"))?.name == "赵小红")
        #expect(try l.child(.derived("赵小红")) == nil)
        #expect(try l.child(.derived("王小明"))?.name == "王小明", "what it read before stays")
        // A plain key round (sealing the current key to newcomers) does not bring it back.
        try a.grantKeys(by: admin, scope: school, now: now + 4_000)
        try copy(a, to: l)
        #expect(try l.child(.derived("赵小红")) == nil)

        // Certified anew after leaving (it came back), it is a member again: the next round seals the key to it.
        try certify(.teacher, leaves, from: now + 5_000, in: a)
        status = try #require(try a.keyStatus(now: now + 6_000).first { $0.scope == school })
        #expect(status.lacking == [leaves.publicKey])
        try a.grantKeys(by: admin, scope: school, now: now + 6_000)
        try copy(a, to: l)
        #expect(try l.child(.derived("赵小红"))?.name == "赵小红")
    }

    @Test func onlyWhoGrantsTheSchoolsKeysMayRecordADepartureAndAnExpiredMemberIsFormer() throws {
        let a = try device(admin)
        try certify(.schoolAdmin, admin, from: t0, in: a)
        try certify(.teacher, stays, from: t0, in: a)
        try certify(.teacher, leaves, from: t0, until: now + day, in: a)
        try a.grantKeys(by: admin, scope: school, now: now)
        let s = try device(stays)
        try copy(a, to: s)
        let forged = try s.recordDeparture(of: admin.publicKey, from: school, at: now, by: stays, now: now)
        try copy(s, to: a)
        #expect(try a.quarantined().map(\.id) == [forged.id])
        #expect(try a.quarantined().map(\.reason) == ["role_forbids"])
        #expect(throws: PrivacyError.self) { try MemberDeparture(bytes: Array(forged.payload.dropLast())) }
        #expect(try MemberDeparture(bytes: forged.payload) == MemberDeparture(member: admin.publicKey, leftAt: now))
        // The leaving teacher's certificate ran out: it is a former recipient and the round rotates.
        let later = try #require(try a.keyStatus(now: now + 2 * day).first { $0.scope == school })
        #expect(later.formerRecipients == [leaves.publicKey])
        #expect(try #require(try a.keyStatus(now: now).first { $0.scope == school }).formerRecipients.isEmpty)
    }
}
