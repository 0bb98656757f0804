import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueTrust
import Testing

/// With an authority pinned, only certified, permitted changes apply; the
/// rest are quarantined — kept, never applied, and re-checked when a
/// certificate arrives. Each defence has a case that fails without it.
@Suite struct TrustGateTests {
    let authority = Fixtures.key(0xAA)
    let device = Fixtures.key(0x11)
    let t0: UInt64 = 1_764_000_000_000
    let day: UInt64 = 86_400_000
    let school = try! ScopeID("丰南区/东镇/示例小学")

    func log() throws -> ChangeLog { try ChangeLog(inMemory: (), options: .init(authority: authority.publicKey)) }

    func visit() throws -> [UInt8] {
        try RecordPayload(ops: [
            .event(
                Event(
                    child: RecordID.derived("c1"), date: try SimpleDate(year: 2025, month: 11, day: 24),
                    body: .visit(
                        Visit(participants: ["张老师"], householdFound: true, childSeen: true, spokeTo: "母亲", agreed: "下周返校"))))
        ]).encoded()
    }

    func closeOut() throws -> [UInt8] {
        try RecordPayload(ops: [
            .closeOut(
                child: RecordID.derived("c1"), ledger: .suspectedDropout,
                closes: [OpID(change: try ChangeID(bytes: [UInt8](repeating: 9, count: 32)), index: 0)],
                evidence: [String(repeating: "ab", count: 32)], note: "已返校")
        ]).encoded()
    }

    func change(
        _ key: DeviceKey, seq: UInt64, scope: ScopeID? = nil, payload: [UInt8], at ms: UInt64? = nil, deps: [ChangeID] = []
    ) throws -> Change {
        try Change.sign(
            by: key, seq: seq, timestamp: try HLCTimestamp(milliseconds: ms ?? t0 + day + seq, counter: 0),
            scope: scope ?? school, deps: deps, payload: payload)
    }

    func certificateChange(_ cert: Certificate, by key: DeviceKey, seq: UInt64) throws -> Change {
        try change(key, seq: seq, scope: .admin, payload: AdminPayload.certificate(cert).encoded)
    }

    func cert(
        _ role: Role, issuer: DeviceKey? = nil, subject: DeviceKey? = nil, scopes: [String] = ["丰南区/东镇/示例小学"],
        mayIssue: Bool = false, days: UInt64 = 365
    ) throws -> Certificate {
        try Certificate.issue(
            by: issuer ?? authority, subject: (subject ?? device).publicKey, role: role, mayIssue: mayIssue,
            validFrom: t0, validUntil: t0 + days * day, name: "张老师", scopes: scopes.map { try ScopeID($0) })
    }

    func states(_ log: ChangeLog) throws -> [ChangeState] { try log.entries(after: 0, limit: 100).map(\.state) }

    @Test func anUncertifiedDeviceIsQuarantinedUntilItsCertificateArrives() throws {
        let l = try log()
        let first = try change(device, seq: 1, payload: try visit())
        let second = try change(device, seq: 2, payload: try visit(), deps: [first.id])
        let report = try l.append([first, second])
        #expect(report.quarantined == 2 && report.applied == 0)
        #expect(try l.quarantined().map(\.reason) == ["no_certificate", "no_certificate"])
        // The certificate travels as an `_admin` change; any device may carry it.
        let carrier = Fixtures.key(0x22)
        let r2 = try l.append([try certificateChange(try cert(.teacher), by: carrier, seq: 1)])
        #expect(r2.applied == 3)
        #expect(try states(l) == [.applied, .applied, .applied])
        #expect(try l.quarantined().isEmpty)
        #expect(try l.events(child: RecordID.derived("c1"), kind: "visit").count == 2)
    }

    @Test func theWrongRoleTheWrongScopeAndAnExpiredCertificateAreEachQuarantined() throws {
        let l = try log()
        _ = try l.append([try certificateChange(try cert(.liaison, days: 30), by: device, seq: 1)])
        let visitOK = try change(device, seq: 2, payload: try visit())
        let close = try change(device, seq: 3, payload: try closeOut(), deps: [visitOK.id])
        _ = try l.append([visitOK, close])
        let other = Fixtures.key(0x12)
        _ = try l.append([try certificateChange(try cert(.schoolAdmin, subject: other, days: 30), by: other, seq: 1)])
        let elsewhere = try change(other, seq: 2, scope: try ScopeID("丰南区/西镇/某小学"), payload: try visit())
        let late = try change(other, seq: 3, payload: try visit(), at: t0 + 40 * day)
        _ = try l.append([elsewhere, late])
        #expect(try l.quarantined().map(\.reason) == ["role_forbids", "outside_scope", "not_valid_at"])
        #expect(try l.count(.applied) == 3)
    }

    /// A certified device's change whose record payload does not parse declares no operation the gate
    /// could check: it is refused as malformed, not let through as one that does nothing (issue 26 §6).
    @Test func aRecordPayloadThatDoesNotParseIsRefusedNotWavedThrough() throws {
        let l = try log()
        _ = try l.append([try certificateChange(try cert(.teacher), by: device, seq: 1)])
        var broken = try visit()
        broken.append(0x00)  // trailing bytes: the strict reader refuses the payload
        let bad = try change(device, seq: 2, payload: broken)
        let good = try change(device, seq: 3, payload: try visit(), deps: [bad.id])
        let report = try l.append([bad])
        #expect(report.applied == 0 && report.quarantined == 1)
        let reasons = try l.quarantined().map(\.reason)
        #expect(reasons.count == 1 && reasons.first?.hasPrefix("malformed") == true, "\(reasons)")
        #expect(try l.events(child: RecordID.derived("c1"), kind: "visit").isEmpty)
        // Honest work that depends on it is not applied either (its dependency is missing).
        #expect(try l.append([good]).applied == 0)
    }

    @Test func forgedAndWideningCertificatesDoNotCertifyAnyone() throws {
        let l = try log()
        let rogue = Fixtures.key(0x66)
        let relay = Fixtures.key(0x77)
        _ = try l.append([
            try certificateChange(try cert(.districtAdmin, issuer: device, scopes: ["丰南区"]), by: device, seq: 1),  // self-signed
            try certificateChange(try cert(.teacher, issuer: rogue), by: device, seq: 2),  // unknown issuer
        ])
        #expect(try l.quarantined().map(\.reason) == ["self_signed", "unknown_issuer"])
        // A township delegation, then a teacher certificate it issues outside its township.
        _ = try l.append([
            try certificateChange(try cert(.relay, subject: relay, scopes: ["丰南区/西镇"], mayIssue: true), by: relay, seq: 1),
            try certificateChange(try cert(.teacher, issuer: relay, scopes: ["丰南区/东镇/示例小学"]), by: relay, seq: 2),
        ])
        #expect(try l.quarantined().map(\.reason) == ["self_signed", "unknown_issuer", "delegation_widens"])
        _ = try l.append([try change(device, seq: 3, payload: try visit())])
        #expect(try l.quarantined().last?.reason == "no_certificate")
    }

    @Test func aDelegationArrivingLastReleasesTheWholeChain() throws {
        let l = try log()
        let relay = Fixtures.key(0x77)
        let teacherCert = try cert(.teacher, issuer: relay, days: 100)
        let delegation = try cert(.relay, subject: relay, scopes: ["丰南区/东镇"], mayIssue: true)
        // Certificates may be carried by anyone: here the township relay carries the teacher's.
        _ = try l.append([try change(device, seq: 1, payload: try visit())])
        _ = try l.append([try certificateChange(teacherCert, by: relay, seq: 1)])
        #expect(try l.quarantined().map(\.reason) == ["no_certificate", "unknown_issuer"])
        _ = try l.append([try certificateChange(delegation, by: authority, seq: 1)])
        #expect(try l.quarantined().isEmpty)
        #expect(try l.count(.applied) == 3)
        // The views a rebuild derives match what incremental application built (admin changes touch no view).
        let before = try l.viewDigests()
        try l.rebuildViews()
        #expect(try l.viewDigests() == before)
    }

    @Test func withoutAPinnedAuthorityNothingIsQuarantined() throws {
        let l = try ChangeLog(inMemory: ())
        let r = try l.append([try change(device, seq: 1, payload: try closeOut())])
        #expect(r.applied == 1 && r.quarantined == 0)
    }
}

extension TrustGateTests {
    /// A clock more than 24 h ahead is held until local time catches up; then it applies.
    @Test func aChangeFromTheFutureWaitsForLocalTime() throws {
        final class Clock: @unchecked Sendable { var now: UInt64 = 0 }
        let clock = Clock()
        clock.now = t0 + 2 * day
        let l = try ChangeLog(inMemory: (), options: .init(authority: authority.publicKey, clock: { clock.now }))
        _ = try l.append([try certificateChange(try cert(.teacher), by: Fixtures.key(0x22), seq: 1)])
        let ahead = try change(device, seq: 1, payload: try visit(), at: t0 + 5 * day)
        #expect(try l.append([ahead]).quarantined == 1)
        #expect(try l.quarantined().map(\.reason) == ["future_clock"])
        clock.now = t0 + 4 * day + 1  // within 24 h of the change now
        let next = try l.append([try change(device, seq: 2, payload: try visit(), at: t0 + 5 * day + 1, deps: [ahead.id])])
        #expect(next.applied == 2)
        #expect(try l.quarantined().isEmpty)
    }

    /// A held change from the future does not drag this replica's clock along: its own next
    /// change is stamped at its own time and applies here. (Before, a relay that stored one
    /// stamped its own certificates days ahead, held them, and refused every newcomer.)
    @Test func aHeldChangeFromTheFutureDoesNotMoveTheLocalClock() throws {
        final class Clock: @unchecked Sendable { var now: UInt64 = 0 }
        let clock = Clock()
        clock.now = t0 + 2 * day
        let carrier = Fixtures.key(0x22)
        let l = try ChangeLog(inMemory: (), options: .init(authority: authority.publicKey, clock: { clock.now }))
        _ = try l.append([
            try certificateChange(try cert(.teacher), by: carrier, seq: 1),
            try certificateChange(try cert(.teacher, subject: carrier), by: carrier, seq: 2),
        ])
        #expect(try l.append([try change(device, seq: 1, payload: try visit(), at: t0 + 5 * day)]).quarantined == 1)
        let own = try l.appendAuthored(by: carrier, scope: school, payload: try visit(), now: clock.now)
        #expect(own.timestamp.milliseconds < t0 + 3 * day)
        #expect(try l.state(of: own.id) == .applied)
    }

    /// A withheld change shows as a hole: "missing from author X since seq N".
    @Test func aWithheldChangeShowsAsAGap() throws {
        let l = try ChangeLog(inMemory: ())
        let chain = Fixtures.chain(device, count: 5)
        _ = try l.append(Array(chain[0..<2]) + Array(chain[3...]))
        let gaps = try l.sequenceGaps()
        #expect(gaps.count == 1 && gaps[0].author == device.publicKey && gaps[0].missingFrom == 3 && gaps[0].waiting == 2)
        _ = try l.append([chain[2]])
        #expect(try l.sequenceGaps().isEmpty)
    }
}

extension TrustGateTests {
    func revocationChange(_ r: Revocation, by key: DeviceKey, seq: UInt64) throws -> Change {
        try change(key, seq: seq, scope: .admin, payload: AdminPayload.revocation(r).encoded)
    }

    /// A lost phone: what it wrote before the revocation stays; what is dated after is quarantined,
    /// also when the revocation arrives after those changes were applied (views rebuilt without them).
    @Test func aRevokedDeviceKeepsItsPastAndLosesItsFuture() throws {
        let l = try log()
        let carrier = Fixtures.key(0x22)
        _ = try l.append([try certificateChange(try cert(.teacher), by: carrier, seq: 1)])
        let before = try change(device, seq: 1, payload: try visit(), at: t0 + 10 * day)
        let after = try change(device, seq: 2, payload: try visit(), at: t0 + 20 * day, deps: [before.id])
        _ = try l.append([before, after])
        #expect(try l.events(child: RecordID.derived("c1"), kind: "visit").count == 2)
        let revocation = try Revocation.issue(by: authority, subject: device.publicKey, revokedAt: t0 + 15 * day, reason: "手机丢失")
        let r = try l.append([try revocationChange(revocation, by: carrier, seq: 2)])
        #expect(r.quarantined == 1)
        #expect(try l.quarantined().map(\.reason) == ["revoked"])
        #expect(try l.events(child: RecordID.derived("c1"), kind: "visit").count == 1)
        // Writing after the revocation, even with a valid certificate: quarantined.
        _ = try l.append([try change(device, seq: 3, payload: try visit(), at: t0 + 21 * day, deps: [after.id])])
        #expect(try l.quarantined().map(\.reason) == ["revoked", "revoked"])
        // Views match a rebuild from the log.
        let digests = try l.viewDigests()
        try l.rebuildViews()
        #expect(try l.viewDigests() == digests)
    }

    /// A colleague synced with the thief before anyone knew and then wrote on top of a stolen
    /// change: the colleague's work stays applied (and one that arrives waiting on the stolen
    /// change goes on once it is revoked); only the stolen change leaves the views. Found by
    /// the county simulator: before, the honest work went back to pending for ever.
    @Test func honestWorkOnTopOfARevokedChangeStaysApplied() throws {
        let l = try log()
        let other = try log()
        let carrier = Fixtures.key(0x22)
        let colleague = Fixtures.key(0x33)
        let certs = [
            try certificateChange(try cert(.teacher), by: carrier, seq: 1),
            try certificateChange(try cert(.teacher, subject: colleague), by: carrier, seq: 2),
        ]
        _ = try l.append(certs)
        _ = try other.append(certs)
        let stolen = try change(device, seq: 1, payload: try visit(), at: t0 + 20 * day)
        let honest = try change(colleague, seq: 1, payload: try visit(), at: t0 + 21 * day, deps: [stolen.id])
        _ = try l.append([stolen, honest])
        #expect(try states(l) == [.applied, .applied, .applied, .applied])
        let revocation = try revocationChange(
            try Revocation.issue(by: authority, subject: device.publicKey, revokedAt: t0 + 15 * day, reason: "手机丢失"),
            by: carrier, seq: 3)
        _ = try l.append([revocation])
        #expect(try l.state(of: stolen.id) == .quarantined && l.state(of: honest.id) == .applied)
        #expect(try l.events(child: RecordID.derived("c1"), kind: "visit").count == 1)
        #expect(try l.heads().contains(honest.id) && !l.heads().contains(stolen.id))
        // Another replica gets the colleague's change first (pending on the stolen one), then the revocation, then the stolen change.
        _ = try other.append([honest])
        #expect(try other.state(of: honest.id) == .pending)
        _ = try other.append([revocation])
        _ = try other.append([stolen])
        #expect(try other.state(of: stolen.id) == .quarantined && other.state(of: honest.id) == .applied)
        #expect(try other.viewDigests() == l.viewDigests())
        let digests = try l.viewDigests()
        try l.rebuildViews()
        #expect(try l.viewDigests() == digests)
    }

    /// Only the authority revokes: a revocation signed by anyone else changes nothing.
    @Test func aRevocationNotFromTheAuthorityIsIgnored() throws {
        let l = try log()
        let carrier = Fixtures.key(0x22)
        _ = try l.append([try certificateChange(try cert(.teacher), by: carrier, seq: 1)])
        let forged = try Revocation.issue(by: Fixtures.key(0x66), subject: device.publicKey, revokedAt: t0, reason: "x")
        _ = try l.append([try revocationChange(forged, by: carrier, seq: 2)])
        #expect(try l.quarantined().map(\.reason) == ["unknown_issuer"])
        #expect(try l.append([try change(device, seq: 1, payload: try visit())]).applied == 1)
    }

    /// A sealed payload that does not parse (too short, or an unknown class) declares nothing: it is
    /// refused as malformed, not let through as a change that performs no operation.
    @Test func anUnparsableSealedPayloadIsQuarantinedAsMalformed() throws {
        let l = try log()
        _ = try l.append([try certificateChange(try cert(.teacher), by: Fixtures.key(0x22), seq: 1)])
        let sealed = try change(device, seq: 1, payload: SealedPayload.magic + [UInt8](repeating: 1, count: 40))
        let unknown = try change(device, seq: 2, payload: SealedPayload.magic + [UInt8](repeating: 7, count: 400), deps: [sealed.id])
        _ = try l.append([sealed, unknown])
        #expect(try l.quarantined().map(\.reason) == ["malformed", "malformed"])
        #expect(try l.count(.applied) == 1, "only the certificate")
    }
}
