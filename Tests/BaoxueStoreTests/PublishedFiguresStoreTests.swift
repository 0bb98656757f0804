import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueTrust
import Testing

/// A school's monthly figures published in clear (trust.md §10): a relay, which holds no key and no
/// record views, lists them; figures from a teacher, for another school, or signed before the month
/// was over are quarantined and listed nowhere; a later correction stands.
@Suite struct PublishedFiguresStoreTests {
    let trust = TrustGateTests()
    let schoolAdmin = Fixtures.key(0x51)
    let otherAdmin = Fixtures.key(0x52)
    let teacher = Fixtures.key(0x53)
    let school = try! ScopeID("丰南区/东镇/示例小学")

    func figures(_ month: Int, suspected: Int, by key: DeviceKey, seq: UInt64, signed: String) throws -> Change {
        let counts = [40, 37, suspected, 1, 2, 1, 1, 6, 3, 2, 4, 0, 1, 1, 0, 0, 2, 1, 1, 4, 12, 1]
        let f = try PublishedFigures(school: school, year: 2026, month: month, counts: counts)
        let ms = UInt64(try SimpleDate(signed).dayNumber) * 86_400_000 + 9 * 3_600_000
        return try Change.sign(
            by: key, seq: seq, timestamp: try HLCTimestamp(milliseconds: ms, counter: 0), scope: .admin, deps: [],
            payload: AdminPayload.figures(f).encoded)
    }

    func certificates() throws -> [Change] {
        let c = Fixtures.key(0x22)
        return [
            try trust.certificateChange(try trust.cert(.schoolAdmin, subject: schoolAdmin, days: 800), by: c, seq: 1),
            try trust.certificateChange(
                try trust.cert(.schoolAdmin, subject: otherAdmin, scopes: ["丰南区/东镇/另一小学"], days: 800), by: c, seq: 2),
            try trust.certificateChange(try trust.cert(.teacher, subject: teacher, days: 800), by: c, seq: 3),
        ]
    }

    @Test func aRelayListsASchoolsFiguresAndRefusesAnyoneElses() throws {
        // A relay (no record views) whose clock reads 5 January 2027.
        let relayKey = Fixtures.key(0x5F)
        let now = UInt64(try SimpleDate("2027-01-05").dayNumber) * 86_400_000
        let relay = try ChangeLog(
            inMemory: (), options: .init(merge: nil, authority: trust.authority.publicKey, clock: { now }, witness: relayKey))
        _ = try relay.append(
            try certificates() + [
                try trust.certificateChange(
                    try trust.cert(.relay, subject: relayKey, scopes: ["丰南区/东镇"], days: 800), by: Fixtures.key(0x22), seq: 4)
            ])
        _ = try relay.append([
            try figures(11, suspected: 3, by: teacher, seq: 10, signed: "2026-12-01"),
            try figures(11, suspected: 3, by: otherAdmin, seq: 1, signed: "2026-12-01"),
            try figures(12, suspected: 3, by: schoolAdmin, seq: 1, signed: "2026-12-30"),
        ])
        #expect(try relay.quarantined().map(\.reason).sorted() == ["malformed", "outside_scope", "role_forbids"])
        #expect(try relay.publishedFigures().isEmpty)

        let november = try figures(11, suspected: 3, by: schoolAdmin, seq: 2, signed: "2026-11-30")
        let corrected = try figures(11, suspected: 4, by: schoolAdmin, seq: 3, signed: "2026-12-02")
        // In either order, the later publication of the month stands.
        _ = try relay.append([corrected])
        _ = try relay.append([november])
        let listed = try relay.publishedFigures()
        #expect(listed.count == 1 && listed[0].figures.period == "2026-11" && listed[0].figures[.suspectedOpen] == 4)
        #expect(listed[0].change == corrected.id && listed[0].author == schoolAdmin.publicKey)
    }
}
