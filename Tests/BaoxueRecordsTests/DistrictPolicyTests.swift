import BaoxueCore
import BaoxueRecords
import BaoxueTesting
import Foundation
import Testing

/// A district's policy is a signed, dated fact (records.md §3.2): one strict encoding, the most
/// specific district and the latest date in force win, and absence runs use the threshold in force
/// on each day for the district of the record that covers it.
@Suite struct DistrictPolicyTests {
    static func d(_ s: String) -> SimpleDate { try! SimpleDate(s) }
    static func scope(_ s: String) -> ScopeID { try! ScopeID(s) }
    static func op(_ n: UInt8) -> OpID { OpID(change: ChangeID(hashing: [n][...]), index: 0) }

    func policy(_ district: String, from: String, absenceDays: Int) throws -> DistrictPolicy {
        var rules = Policy.fengnan
        rules.unexcusedAbsenceDaysForLedger = absenceDays
        return try DistrictPolicy(district: Self.scope(district), effective: Self.d(from), rules: rules)
    }

    func entry(_ p: DistrictPolicy, hlc: UInt64, _ n: UInt8) throws -> PolicyBook.Entry {
        PolicyBook.Entry(policy: p, hlc: try HLCTimestamp(milliseconds: hlc, counter: 0), change: ChangeID(hashing: [n][...]))
    }

    @Test func theEncodingIsCanonicalAndTheParserStrict() throws {
        var rules = Policy.fengnan
        rules.unexcusedAbsenceDaysForLedger = 5
        rules.compulsoryAges = 7...16
        let p = try DistrictPolicy(district: Self.scope("丰南区"), effective: Self.d("2026-12-07"), rules: rules)
        let bytes = p.encoded
        // version, length 9 (three CJK characters), district, 2026 = 07 EA, 12, 7, then the twelve u16 fields.
        #expect(Array(bytes.prefix(2)) == [1, 9])
        #expect(Array(bytes[11..<15]) == [0x07, 0xEA, 12, 7])
        #expect(Array(bytes[15..<17]) == [0, 5], "absence days first")
        #expect(bytes.count == 2 + 9 + 4 + 24)
        #expect(try DistrictPolicy.decode(bytes) == p)
        #expect(throws: RecordsError.self) { try DistrictPolicy.decode(Array(bytes.dropLast())) }
        #expect(throws: RecordsError.self) { try DistrictPolicy.decode(bytes + [0]) }
        var zeroDays = bytes
        zeroDays[16] = 0
        #expect(throws: RecordsError.self, "0 absence days is out of range") { try DistrictPolicy.decode(zeroDays) }
        var agesReversed = bytes
        (agesReversed[32], agesReversed[34]) = (20, 5)
        #expect(throws: RecordsError.self, "the first age after the last") { try DistrictPolicy.decode(agesReversed) }
        var february30 = bytes
        (february30[36], february30[38]) = (2, 30)
        #expect(throws: RecordsError.self) { try DistrictPolicy.decode(february30) }
        var version2 = bytes
        version2[0] = 2
        #expect(throws: RecordsError.self) { try DistrictPolicy.decode(version2) }
        #expect(throws: RecordsError.self, "_admin holds no records") {
            try DistrictPolicy(district: .admin, effective: Self.d("2026-12-07"), rules: rules)
        }
        #expect(p.takesEffect(signedOn: Self.d("2026-12-07")) && !p.takesEffect(signedOn: Self.d("2026-12-08")))
    }

    @Test func theMostSpecificDistrictThenTheLatestDateThenTheLaterSignatureIsInForce() throws {
        let county = try policy("模拟县", from: "2026-11-01", absenceDays: 4)
        let district = try policy("模拟县/乡镇0", from: "2026-11-15", absenceDays: 5)
        let later = try policy("模拟县/乡镇0", from: "2026-12-01", absenceDays: 6)
        let rival = try policy("模拟县/乡镇0", from: "2026-12-01", absenceDays: 7)
        let entries = [
            try entry(later, hlc: 10, 3), try entry(county, hlc: 1, 1), try entry(rival, hlc: 11, 4), try entry(district, hlc: 2, 2),
        ]
        let school0 = Self.scope("模拟县/乡镇0/学校0")
        let school1 = Self.scope("模拟县/乡镇1/学校0")
        for order in [entries, entries.reversed(), [entries[2], entries[0], entries[3], entries[1]]] {
            let book = PolicyBook(order)
            func days(_ s: ScopeID?, _ on: String) -> Int { book.policy(for: s, on: Self.d(on)).unexcusedAbsenceDaysForLedger }
            #expect(days(school0, "2026-10-31") == 3, "before any policy: the built-in rules")
            #expect(days(school0, "2026-11-01") == 4, "the county's")
            #expect(days(school0, "2026-11-15") == 5, "the township's, more specific, from its day")
            #expect(days(school0, "2026-12-01") == 7, "same district and day: the later signature")
            #expect(days(school1, "2026-12-01") == 4, "another township keeps the county's")
            #expect(days(Self.scope("模拟县/乡镇01/学校0"), "2026-12-01") == 4, "乡镇0 does not cover 乡镇01")
            #expect(days(nil, "2026-12-01") == 3)
        }
    }

    @Test func aRunOpensWhenItReachesTheThresholdOfItsDayAndDistrict() throws {
        let school0 = Self.scope("模拟县/乡镇0/学校0")
        let school1 = Self.scope("模拟县/乡镇1/学校0")
        let book = PolicyBook([try entry(try policy("模拟县/乡镇0", from: "2026-11-09", absenceDays: 5), hlc: 1, 1)])
        func record(_ n: UInt8, _ day: String, _ scope: ScopeID) -> AbsenceRuns.Record {
            AbsenceRuns.Record(op: Self.op(n), from: Self.d(day), to: Self.d(day), unexcusedSchoolDays: 1, scope: scope)
        }
        func openers(_ records: [AbsenceRuns.Record]) -> Set<OpID> {
            Set(AbsenceRuns.openers(records) { book.policy(for: $0, on: $1).unexcusedAbsenceDaysForLedger }.keys)
        }
        // 2026-11-02 is a Monday; the policy of 乡镇0 (5 days) applies from Monday 9 November.
        let before = (1...3).map { record(UInt8($0), "2026-11-0\($0 + 1)", school0) }
        #expect(openers(before) == Set(before.map(\.op)), "three days before the policy open under the old rules")
        let after = (4...6).map { record(UInt8($0), "2026-11-\($0 + 6)", school0) }
        #expect(openers(after).isEmpty, "three days under a five-day policy do not")
        let five = after + [record(7, "2026-11-13", school0), record(8, "2026-11-16", school0)]
        #expect(openers(five).count == 5, "five days do")
        let otherDistrict = (4...6).map { record(UInt8($0), "2026-11-\($0 + 6)", school1) }
        #expect(openers(otherDistrict).count == 3, "乡镇1 keeps three days")
        // Thursday 5 and Friday 6 November, then Monday 9: the third day falls under the new policy.
        let straddling = [record(1, "2026-11-05", school0), record(2, "2026-11-06", school0), record(3, "2026-11-09", school0)]
        #expect(openers(straddling).isEmpty, "the run reaches three days on a day when five are needed")
        let oneRecord = AbsenceRuns.Record(
            op: Self.op(9), from: Self.d("2026-11-09"), to: Self.d("2026-11-11"), unexcusedSchoolDays: 3,
            scope: school0)
        #expect(openers([oneRecord]).isEmpty, "one three-day record is judged the same way")
    }

    @Test func theVectorsDecodeToTheirFieldsAndTheInvalidOnesAreRefused() throws {
        let doc = try Fixtures.json(Fixtures.packageRoot.appendingPathComponent("Protocol/vectors/policy.json")) as! [String: Any]
        let valid = doc["valid"] as! [[String: Any]]
        let invalid = doc["invalid"] as! [[String: Any]]
        #expect(valid.count >= 2 && invalid.count >= 10)
        for v in valid {
            let p = try DistrictPolicy.decode(try Hex.decode(v["hex"] as! String))
            let fields = v["policy"] as! [String: Any]
            #expect(p.district.value == fields["district"] as? String && p.effective.description == fields["effective"] as? String)
            for field in DistrictPolicy.Field.allCases { #expect(field.value(in: p.rules) == fields[field.name] as? Int, "\(field.name)") }
        }
        for v in invalid {
            #expect(throws: RecordsError.self, "\(v["description"]!)") { try DistrictPolicy.decode(try Hex.decode(v["hex"] as! String)) }
        }
    }
}

/// The published figures' encoding (trust.md §10) against its vectors, which `Protocol/check_vectors.py`
/// re-derives with no Swift.
@Suite struct PublishedFiguresTests {
    @Test func theVectorsDecodeToTheirFieldsAndTheInvalidOnesAreRefused() throws {
        let doc = try Fixtures.json(Fixtures.packageRoot.appendingPathComponent("Protocol/vectors/figures.json")) as! [String: Any]
        let valid = doc["valid"] as! [[String: Any]]
        let invalid = doc["invalid"] as! [[String: Any]]
        #expect(valid.count >= 3 && invalid.count >= 12)
        for v in valid {
            let bytes = try Hex.decode(v["hex"] as! String)
            let f = try PublishedFigures.decode(bytes)
            let fields = v["figures"] as! [String: Any]
            #expect(f.school.value == fields["school"] as? String && f.period == fields["period"] as? String)
            for m in PublishedFigures.Measure.allCases { #expect(f[m] == fields[m.name] as? Int, "\(m.name)") }
            #expect(f.encoded == bytes)
        }
        for v in invalid {
            #expect(throws: RecordsError.self, "\(v["description"]!)") { try PublishedFigures.decode(try Hex.decode(v["hex"] as! String)) }
        }
    }

    @Test func aMonthIsOverOnItsLastDay() throws {
        let f = try PublishedFigures(
            school: try ScopeID("s"), year: 2026, month: 2, counts: Array(repeating: 0, count: PublishedFigures.Measure.allCases.count))
        #expect(f.lastDay.description == "2026-02-28")
        let (before, last) = (try SimpleDate("2026-02-27"), try SimpleDate("2026-02-28"))
        #expect(!f.isOver(on: before) && f.isOver(on: last))
        #expect(throws: RecordsError.self) {
            try PublishedFigures(
                school: .admin, year: 2026, month: 2, counts: Array(repeating: 0, count: PublishedFigures.Measure.allCases.count))
        }
        #expect(throws: RecordsError.self) { try PublishedFigures(school: try ScopeID("s"), year: 2026, month: 2, counts: [1]) }
    }
}
