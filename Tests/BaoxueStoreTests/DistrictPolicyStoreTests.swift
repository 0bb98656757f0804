import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueTrust
import Testing

/// A district admin publishes the district's thresholds as a signed `_admin` change (trust.md §9):
/// every replica evaluates each day's absences with the policy in force then, whatever order the
/// policy and the absences arrive in; a policy from anyone else, for another district, or dated
/// before it was signed changes nothing.
@Suite struct DistrictPolicyStoreTests {
    let trust = TrustGateTests()
    let admin = Fixtures.key(0x41)
    let otherAdmin = Fixtures.key(0x42)
    let teacher = Fixtures.key(0x43)
    let child = RecordID.derived("policy-store-child")
    let school = try! ScopeID("丰南区/东镇/示例小学")

    func at(_ day: String) throws -> UInt64 { UInt64(try SimpleDate(day).dayNumber) * 86_400_000 + 9 * 3_600_000 }

    func change(_ key: DeviceKey, _ seq: UInt64, scope: ScopeID? = nil, _ payload: [UInt8], on day: String) throws -> Change {
        try Change.sign(
            by: key, seq: seq, timestamp: try HLCTimestamp(milliseconds: try at(day), counter: 0),
            scope: scope ?? school, deps: [], payload: payload)
    }

    func certificates() throws -> [Change] {
        let c = Fixtures.key(0x22)
        return [
            try trust.certificateChange(try trust.cert(.teacher, subject: teacher), by: c, seq: 1),
            try trust.certificateChange(try trust.cert(.districtAdmin, subject: admin, scopes: ["丰南区"]), by: c, seq: 2),
            try trust.certificateChange(try trust.cert(.districtAdmin, subject: otherAdmin, scopes: ["古冶区"]), by: c, seq: 3),
        ]
    }

    func policy(_ district: String, from: String, absenceDays: Int, by key: DeviceKey, seq: UInt64, signed: String) throws -> Change {
        var rules = Policy.fengnan
        rules.unexcusedAbsenceDaysForLedger = absenceDays
        let p = try DistrictPolicy(district: try ScopeID(district), effective: try SimpleDate(from), rules: rules)
        return try change(key, seq, scope: .admin, AdminPayload.policy(p).encoded, on: signed)
    }

    func absence(_ day: String, seq: UInt64) throws -> Change {
        let op = RecordOp.event(
            Event(
                child: child, date: try SimpleDate(day),
                body: .absence(
                    Absence(from: try SimpleDate(day), to: try SimpleDate(day), schoolDays: 1, excused: false))))
        return try change(teacher, seq, try RecordPayload(ops: [op]).encoded(), on: day)
    }

    @Test func absencesAreJudgedByThePolicyInForceOnTheirDayInAnyArrivalOrder() throws {
        // Monday 9 to Wednesday 11 November 2026; the 丰南区 policy (5 days) applies from the 9th, signed on the 6th.
        let week = try ["2026-11-09", "2026-11-10", "2026-11-11"].enumerated().map { try absence($0.element, seq: UInt64($0.offset + 1)) }
        let fiveDays = try policy("丰南区", from: "2026-11-09", absenceDays: 5, by: admin, seq: 1, signed: "2026-11-06")

        let without = try trust.log()
        _ = try without.append(try certificates() + week)
        #expect(try without.ledger(.suspectedDropout).map(\.child) == [child], "three days open the entry under the built-in rules")

        let policyFirst = try trust.log()
        let policyLast = try trust.log()
        _ = try policyFirst.append(try certificates() + [fiveDays] + week)
        _ = try policyLast.append(try certificates() + week)
        _ = try policyLast.append([fiveDays])
        for log in [policyFirst, policyLast] {
            #expect(try log.quarantined().isEmpty)
            #expect(try log.ledger(.suspectedDropout).isEmpty, "three days are not five in 丰南区 from the 9th")
            #expect(try log.policyBook().entries.map(\.policy.district.value) == ["丰南区"])
        }
        #expect(try policyFirst.viewDigests() == policyLast.viewDigests(), "the same views whatever the order")

        let more = try [absence("2026-11-12", seq: 4), absence("2026-11-13", seq: 5)]
        _ = try policyLast.append(more)
        #expect(try policyLast.ledger(.suspectedDropout).map(\.child) == [child], "the fifth day opens it")
        let digests = try policyLast.viewDigests()
        try policyLast.rebuildViews()
        #expect(try policyLast.viewDigests() == digests, "a rebuild derives the same entries")
    }

    @Test func aPolicyFromATeacherForAnotherDistrictOrDatedBeforeItWasSignedChangesNothing() throws {
        let week = try ["2026-11-09", "2026-11-10", "2026-11-11"].enumerated().map { try absence($0.element, seq: UInt64($0.offset + 1)) }
        let log = try trust.log()
        _ = try log.append(try certificates() + week)
        _ = try log.append([
            try policy("丰南区", from: "2026-11-09", absenceDays: 5, by: teacher, seq: 10, signed: "2026-11-06"),
            try policy("丰南区", from: "2026-11-09", absenceDays: 5, by: otherAdmin, seq: 1, signed: "2026-11-06"),
            try policy("丰南区", from: "2026-11-09", absenceDays: 5, by: admin, seq: 1, signed: "2026-11-10"),
        ])
        #expect(try log.quarantined().map(\.reason).sorted() == ["malformed", "outside_scope", "role_forbids"])
        #expect(try log.policyBook().entries.isEmpty)
        #expect(try log.ledger(.suspectedDropout).map(\.child) == [child], "the entry stands under the built-in rules")
    }

    @Test func todaysListsUseTheChildsDistrictPolicy() throws {
        // A leave of 10 days: over the built-in 7, not over a policy's 14.
        let leave = RecordOp.event(
            Event(
                child: child, date: try SimpleDate("2026-11-09"),
                body: .leave(
                    Leave(from: try SimpleDate("2026-11-09"), to: try SimpleDate("2026-11-18"), reason: "病假", approvedBy: "班主任"))))
        let named = RecordOp.set(kind: .child, record: child, field: "name", value: .text("王小红"), pred: [])
        let log = try trust.log()
        _ = try log.append(
            try certificates() + [try change(teacher, 1, try RecordPayload(ops: [named, leave]).encoded(), on: "2026-11-09")])
        let day = try SimpleDate("2026-11-12")
        #expect(try log.visitsDue(today: day).map(\.child) == [child])
        var rules = Policy.fengnan
        rules.leaveDaysRequiringVisit = 14
        rules.contactIntervalDays = 30
        let p = try DistrictPolicy(district: try ScopeID("丰南区/东镇"), effective: try SimpleDate("2026-11-10"), rules: rules)
        _ = try log.append([try change(admin, 1, scope: .admin, AdminPayload.policy(p).encoded, on: "2026-11-10")])
        #expect(try log.visitsDue(today: day).isEmpty, "14 days in 东镇 from the 10th")
        #expect(try log.visitsDue(today: try SimpleDate("2026-11-09")).map(\.child) == [child], "before it, the built-in 7")
    }
}
