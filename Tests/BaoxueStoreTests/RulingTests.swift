import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueTrust
import Testing

/// Only a district admin rules (trust.md §8): accepting a change held for its clock,
/// and deciding which change of an equivocating pair stands.
@Suite struct RulingTests {
    let trust = TrustGateTests()
    let admin = Fixtures.key(0x33)
    let carrier = Fixtures.key(0x22)
    var t0: UInt64 { trust.t0 }
    var day: UInt64 { trust.day }

    final class Clock: @unchecked Sendable { var now: UInt64 = 0 }

    func setUp(_ l: ChangeLog) throws {
        _ = try l.append([
            try trust.certificateChange(try trust.cert(.teacher), by: carrier, seq: 1),
            try trust.certificateChange(try trust.cert(.districtAdmin, subject: admin, scopes: ["丰南区"]), by: carrier, seq: 2),
            try trust.certificateChange(try trust.cert(.teacher, subject: carrier), by: carrier, seq: 3),
        ])
    }

    func ruling(_ kind: Ruling.Kind, _ target: ChangeID, by key: DeviceKey, seq: UInt64) throws -> Change {
        try trust.change(key, seq: seq, scope: .admin, payload: AdminPayload.ruling(Ruling(kind: kind, target: target)).encoded)
    }

    @Test func aDistrictAdminAcceptsAChangeHeldForItsClockAndNobodyElseCan() throws {
        let clock = Clock()
        clock.now = t0 + 2 * day
        let l = try ChangeLog(inMemory: (), options: .init(authority: trust.authority.publicKey, clock: { clock.now }))
        try setUp(l)
        let ahead = try trust.change(trust.device, seq: 1, payload: try trust.visit(), at: t0 + 5 * day)
        _ = try l.append([ahead])
        #expect(try l.quarantined().map(\.reason) == ["future_clock"])
        _ = try l.append([try ruling(.acceptClock, ahead.id, by: carrier, seq: 4)])
        #expect(try l.quarantined().map(\.reason) == ["future_clock", "role_forbids"], "a teacher cannot rule")
        _ = try l.append([try ruling(.acceptClock, ahead.id, by: admin, seq: 1)])
        #expect(try l.quarantined().map(\.reason) == ["role_forbids"])
        #expect(try l.events(child: RecordID.derived("c1"), kind: "visit").count == 1)
    }

    @Test func upholdingOneChangeOfAnEquivocationReleasesTheAuthorButNotTheOther() throws {
        let l = try trust.log()
        try setUp(l)
        let d = trust.device
        let first = try trust.change(d, seq: 1, payload: try trust.visit())
        let chosen = try trust.change(d, seq: 2, payload: try trust.visit(), deps: [first.id])
        let rival = try trust.change(d, seq: 2, payload: try trust.closeOut(), deps: [first.id])
        let later = try trust.change(d, seq: 3, payload: try trust.visit(), deps: [chosen.id])
        _ = try l.append([first, chosen, rival, later])
        #expect(try l.count(.held) == 3)
        #expect(try l.events(child: RecordID.derived("c1"), kind: "visit").count == 1)
        _ = try l.append([try ruling(.uphold, chosen.id, by: admin, seq: 1)])
        let q = try l.quarantined().map(\.reason)
        let states = try l.entries(after: 0, limit: 100).map { "\($0.change.seq):\($0.state)" }
        #expect(q.isEmpty, "\(q) \(states)")
        #expect(try l.count(.held) == 1, "only the rejected change stays held, as proof \(states)")
        // Later changes of the upheld author apply as usual.
        #expect(try l.append([try trust.change(d, seq: 4, payload: try trust.visit(), deps: [later.id])]).applied == 1)
        #expect(try l.entries(after: 0, limit: 100).first { $0.change.id == rival.id }?.state == .held)
        #expect(try l.events(child: RecordID.derived("c1"), kind: "visit").count == 3 + 1)
        #expect(try l.equivocations().count == 1, "the equivocation stays on record")
        let digests = try l.viewDigests()
        try l.rebuildViews()
        #expect(try l.viewDigests() == digests)
    }
}
