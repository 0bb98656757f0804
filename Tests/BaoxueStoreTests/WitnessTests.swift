import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueTrust
import Testing

/// Relay receipts (trust.md §6): a relay countersigns what it stores first, in
/// the same transaction; a revoked device's changes that no relay witnessed
/// before the revocation are flagged for review. Each case fails without its defence.
@Suite struct WitnessTests {
    let trust = TrustGateTests()
    var authority: DeviceKey { trust.authority }
    var device: DeviceKey { trust.device }
    let relayKey = Fixtures.key(0x77)
    let carrier = Fixtures.key(0x22)
    var t0: UInt64 { trust.t0 }
    var day: UInt64 { trust.day }

    final class Clock: @unchecked Sendable { var now: UInt64 = 0 }

    /// A relay's log: it witnesses what it stores; it holds its own certificate and the teacher's.
    func relay(_ clock: Clock) throws -> ChangeLog {
        let l = try ChangeLog(inMemory: (), options: .init(authority: authority.publicKey, clock: { clock.now }, witness: relayKey))
        _ = try l.append([
            try trust.certificateChange(try trust.cert(.relay, subject: relayKey, scopes: ["丰南区/东镇"]), by: carrier, seq: 1),
            try trust.certificateChange(try trust.cert(.teacher), by: carrier, seq: 2),
        ])
        return l
    }

    func everything(_ l: ChangeLog) throws -> [[UInt8]] { try l.entries(after: 0, limit: 10_000).map(\.change.encoded) }

    @Test func aRelayCountersignsWhatItStoresFirstAndOnlyThat() throws {
        let clock = Clock()
        clock.now = t0 + day
        let r = try relay(clock)
        let a = try trust.change(device, seq: 1, payload: try trust.visit(), at: t0 + day - 5)
        let b = try trust.change(device, seq: 2, payload: try trust.visit(), at: t0 + day - 4, deps: [a.id])
        let report = try r.append([a, b])
        #expect(report.inserted == 2 && report.receipts == 1)
        #expect(try r.witnesses(of: a.id).map(\.relay) == [relayKey.publicKey])
        // Witness time = the receipt's HLC: the relay's clock, or just after the latest change it holds.
        let at = try #require(try r.witnesses(of: a.id).first?.at)
        #expect(at >= t0 + day && at < t0 + day + 10)
        // The same changes again: nothing new stored, nothing witnessed again.
        #expect(try r.append([a, b]).receipts == 0)
        // A device replica receives the changes and the receipt, and learns who witnessed them.
        let d = try trust.log()
        _ = try d.append(encoded: try everything(r))
        #expect(try d.quarantined().isEmpty)
        #expect(try d.witnesses(of: b.id).map(\.relay) == [relayKey.publicKey])
        // Receipts touch no record view: incremental equals rebuilt, and the rebuild keeps the witnesses.
        let digests = try d.viewDigests()
        try d.rebuildViews()
        #expect(try d.viewDigests() == digests)
        #expect(try d.witnesses(of: b.id).count == 1)
    }

    /// Two relays exchanging everything: each witnesses the device's changes once, never the other's receipts.
    @Test func relaysDoNotWitnessEachOthersReceipts() throws {
        let clock = Clock()
        clock.now = t0 + day
        let township = try relay(clock)
        let districtKey = Fixtures.key(0x78)
        let district = try ChangeLog(
            inMemory: (), options: .init(authority: authority.publicKey, clock: { clock.now }, witness: districtKey))
        _ = try district.append([
            try trust.certificateChange(try trust.cert(.relay, subject: districtKey, scopes: ["丰南区"]), by: carrier, seq: 3)
        ])
        _ = try township.append([try trust.change(device, seq: 1, payload: try trust.visit(), at: t0 + day - 5)])
        for _ in 0..<3 {
            _ = try district.append(encoded: try everything(township))
            _ = try township.append(encoded: try everything(district))
        }
        // Township: 2 certificates, the visit, its receipt, the district's receipt, the district's certificate.
        #expect(try township.count(nil) == 6)
        #expect(try district.count(nil) == 6)
        #expect(try township.quarantined().isEmpty && district.quarantined().isEmpty)
    }

    /// Only a relay covering the scope may witness: a teacher's "receipt" is quarantined and counts for nothing.
    @Test func aReceiptFromANonRelayIsQuarantined() throws {
        let l = try trust.log()
        _ = try l.append([try trust.certificateChange(try trust.cert(.teacher), by: carrier, seq: 1)])
        let visit = try trust.change(device, seq: 1, payload: try trust.visit())
        let fake = try trust.change(carrier, seq: 2, payload: try WitnessReceipt(ids: [visit.id]).encoded)
        _ = try l.append([try trust.certificateChange(try trust.cert(.teacher, subject: carrier), by: carrier, seq: 3), visit, fake])
        #expect(try l.quarantined().map(\.reason) == ["role_forbids"])
        #expect(try l.witnesses(of: visit.id).isEmpty)
    }

    /// A stolen phone whose clock was set back: what a relay witnessed before the revocation
    /// stands; a change dated before it but first seen by a relay after it is flagged.
    @Test func aBackdatedChangeOfARevokedDeviceIsFlaggedUnwitnessed() throws {
        let clock = Clock()
        clock.now = t0 + day
        let r = try relay(clock)
        let honest = try trust.change(device, seq: 1, payload: try trust.visit(), at: t0 + day - 10)
        _ = try r.append([honest])
        // Revoked at day 10; on day 11 the thief syncs a change dated day 5.
        let revokedAt = t0 + 10 * day
        _ = try r.append([
            try trust.revocationChange(
                try Revocation.issue(by: authority, subject: device.publicKey, revokedAt: revokedAt, reason: "手机被盗"),
                by: carrier, seq: 3)
        ])
        clock.now = t0 + 11 * day
        let backdated = try trust.change(device, seq: 2, payload: try trust.visit(), at: t0 + 5 * day, deps: [honest.id])
        #expect(try r.append([backdated]).receipts == 1)
        let d = try trust.log()
        _ = try d.append(encoded: try everything(r))
        let flagged = try d.unwitnessed()
        #expect(flagged.count == 1)
        #expect(flagged.first?.author == device.publicKey && flagged.first?.revokedAt == revokedAt)
        #expect(flagged.first?.changes == [backdated.id])
        // Both stay applied (dated before the revocation) until a person reviews them.
        #expect(try d.events(child: RecordID.derived("c1"), kind: "visit").count == 2)
    }
}
