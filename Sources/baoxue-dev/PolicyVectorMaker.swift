import BaoxueCore
import BaoxueRecords
import Foundation

/// Writes `Protocol/vectors/policy.json`: district policies (trust.md §9) as fields and as bytes,
/// and bytes every reader must refuse, each with what is wrong.
enum PolicyVectorMaker {
    static func fields(_ p: DistrictPolicy) -> [String: Any] {
        var out: [String: Any] = ["district": p.district.value, "effective": p.effective.description]
        for field in DistrictPolicy.Field.allCases { out[field.name] = field.value(in: p.rules) }
        return out
    }

    static func make() throws -> String {
        var strict = Policy.fengnan
        strict.unexcusedAbsenceDaysForLedger = 5
        strict.leaveDaysRequiringVisit = 10
        strict.compulsoryAges = 7...16
        strict.ageReferenceMonth = 9
        strict.ageReferenceDay = 1
        let valid = [
            ("the built-in rules, for a district", try DistrictPolicy(district: try ScopeID("丰南区"), effective: try SimpleDate("2026-12-07"),
                                                                     rules: .fengnan)),
            ("stricter rules for a township, other ages", try DistrictPolicy(district: try ScopeID("模拟县/乡镇1"),
                                                                            effective: try SimpleDate("2027-03-01"),
                                                                            rules: strict)),
        ]
        let base = valid[0].1.encoded
        func with(_ index: Int, _ value: UInt8) -> [UInt8] { var b = base; b[index] = value; return b }
        let fieldsAt = 2 + Int(base[1]) + 4
        let invalid: [(String, [UInt8])] = [
            ("unknown version", with(0, 2)),
            ("truncated", Array(base.dropLast())),
            ("trailing byte", base + [0]),
            ("district length past the end", with(1, 200)),
            ("month 13", with(fieldsAt - 2, 13)),
            ("absence days 0", with(fieldsAt + 1, 0)),
            ("absence days 31", with(fieldsAt + 1, 31)),
            ("first age after last", with(fieldsAt + 17, 16)),
            ("reference day 31 June", { var b = with(fieldsAt + 21, 6); b[fieldsAt + 23] = 31; return b }()),
            ("district _admin", [1, 6] + Array("_admin".utf8) + Array(base[(2 + Int(base[1]))...])),
        ]
        for (what, bytes) in invalid where (try? DistrictPolicy.decode(bytes)) != nil { fatalError("vector \(what) decodes") }
        let object: [String: Any] = [
            "valid": valid.map { what, p in ["description": what, "policy": fields(p), "hex": Hex.encode(p.encoded)] },
            "invalid": invalid.map { what, bytes in ["description": what, "hex": Hex.encode(bytes)] },
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
