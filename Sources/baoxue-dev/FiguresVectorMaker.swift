import BaoxueCore
import BaoxueRecords
import Foundation

/// Writes `Protocol/vectors/figures.json`: schools' published monthly figures (trust.md §10) as
/// fields and as bytes, and bytes every reader must refuse, each with what is wrong.
enum FiguresVectorMaker {
    static func fields(_ f: PublishedFigures) -> [String: Any] {
        var out: [String: Any] = ["school": f.school.value, "period": f.period]
        for m in PublishedFigures.Measure.allCases { out[m.name] = f[m] }
        return out
    }

    static func make() throws -> String {
        let valid = [
            (
                "a village school's November",
                try PublishedFigures(
                    school: try ScopeID("丰南区/东镇/东镇中心小学"), year: 2026, month: 11,
                    counts: [412, 398, 3, 1, 2, 1, 1, 9, 4, 4, 8, 0, 2, 2, 1, 1, 3, 2, 2, 8, 37, 2])
            ),
            (
                "an empty month",
                try PublishedFigures(
                    school: try ScopeID("模拟县/乡镇1/学校0"), year: 2027, month: 1,
                    counts: Array(repeating: 0, count: PublishedFigures.Measure.allCases.count))
            ),
            (
                "the largest counts",
                try PublishedFigures(
                    school: try ScopeID("s"), year: 2200, month: 12,
                    counts: Array(repeating: PublishedFigures.maximum, count: PublishedFigures.Measure.allCases.count))
            ),
        ]
        let base = valid[0].1.encoded
        func with(_ index: Int, _ value: UInt8) -> [UInt8] {
            var b = base
            b[index] = value
            return b
        }
        let countsAt = 2 + Int(base[1]) + 3
        let invalid: [(String, [UInt8])] = [
            ("unknown version", with(0, 2)),
            ("truncated", Array(base.dropLast())),
            ("trailing byte", base + [0]),
            ("school length past the end", with(1, 200)),
            ("school length 0", [1, 0] + Array(base[(2 + Int(base[1]))...])),
            ("month 0", with(countsAt - 1, 0)),
            ("month 13", with(countsAt - 1, 13)),
            (
                "year 1999",
                {
                    var b = base
                    b[countsAt - 3] = 0x07
                    b[countsAt - 2] = 0xCF
                    return b
                }()
            ),
            ("a count over 10,000,000", with(countsAt, 0x01)),
            ("school _admin", [1, 6] + Array("_admin".utf8) + Array(base[(2 + Int(base[1]))...])),
            ("school not UTF-8", [1, 2, 0xC3, 0x28] + Array(base[(2 + Int(base[1]))...])),
            ("school not NFC", [1, 3, 0x65, 0xCC, 0x81] + Array(base[(2 + Int(base[1]))...])),
        ]
        for (what, bytes) in invalid where (try? PublishedFigures.decode(bytes)) != nil { fatalError("vector \(what) decodes") }
        let object: [String: Any] = [
            "valid": valid.map { what, f in ["description": what, "figures": fields(f), "hex": Hex.encode(f.encoded)] },
            "invalid": invalid.map { what, bytes in ["description": what, "hex": Hex.encode(bytes)] },
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
