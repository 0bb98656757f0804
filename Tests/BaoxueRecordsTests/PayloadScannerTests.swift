import BaoxueCore
import BaoxueRecords
import Foundation
import Testing

/// The fast payload reader gives what JSONDecoder gives, or defers to it. Seeded payloads
/// of every common op shape are written as the app writes them, then rewritten (keys
/// reordered, whitespace, escapes) and damaged byte by byte; whenever the fast reader
/// answers, JSONDecoder must decode the same bytes to the same payload.
@Suite struct PayloadScannerTests {
    static func jsonDecoder(_ bytes: [UInt8]) -> RecordPayload? { try? JSONDecoder().decode(RecordPayload.self, from: Data(bytes)) }

    static func randomOps(_ rng: inout SeededGenerator) -> [RecordOp] {
        let children = (0..<4).map { RecordID.derived("c\($0)") }
        let op = OpID(change: ChangeID(hashing: [1, 2, 3][...]), index: UInt16.random(in: 0...300, using: &rng))
        let texts = ["张三", "王 小\"明\"", "a\\b/c\n第二行", "😀 emoji", "", "\u{7}"]
        return (0..<Int.random(in: 1...6, using: &rng)).map { _ -> RecordOp in
            let child = children.randomElement(using: &rng)!
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: return .set(kind: .child, record: child, field: "name", value: .text(texts.randomElement(using: &rng)!), pred: [op])
            case 1: return .set(kind: .child, record: child, field: "grade", value: .number(Int.random(in: -5...12, using: &rng)), pred: [])
            case 2: return .set(kind: .child, record: child, field: "birthDate", value: .date(try! SimpleDate("2015-03-0\(Int.random(in: 1...9, using: &rng))")), pred: [op, op])
            case 3: return .set(kind: .child, record: child, field: "status",
                                value: .status(StatusFact(status: .suspectedDropout, date: try! SimpleDate("2025-11-20"), reason: texts.randomElement(using: &rng)!)), pred: [])
            case 4: return .add(kind: .child, record: child, set: "focus", element: "leftBehind")
            case 5: return .remove(kind: .child, record: child, set: "focus", element: "migrant", tags: [op])
            case 6: return .void(target: op, reason: "录入错误")
            default: return .event(Event(child: child, date: try! SimpleDate("2025-11-20"),
                                         body: .absence(Absence(from: try! SimpleDate("2025-11-18"), to: try! SimpleDate("2025-11-20"), schoolDays: 3, excused: false))))
            }
        }
    }

    /// Rewrites that keep the JSON meaning: spaces after separators, `\/` and `\u` escapes.
    static func rewrite(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var text = String(decoding: bytes, as: UTF8.self)
        if Bool.random(using: &rng) { text = text.replacingOccurrences(of: ",", with: " ,\n\t") }
        if Bool.random(using: &rng) { text = text.replacingOccurrences(of: "\":", with: "\" : ") }
        if Bool.random(using: &rng) { text = text.replacingOccurrences(of: "/", with: "\\/") }
        if Bool.random(using: &rng) { text = text.replacingOccurrences(of: "张", with: "\\u5f20") }
        if Bool.random(using: &rng) { text = text.replacingOccurrences(of: "😀", with: "\\ud83d\\ude00") }
        if Bool.random(using: &rng) { text = " " + text + "\r\n" }
        return Array(text.utf8)
    }

    @Test func theFastReaderAgreesWithJSONDecoderOrDefers() throws {
        var answered = 0, damagedAnswered = 0
        for seed in UInt64(0)..<400 {
            var rng = SeededGenerator(seed: seed)
            let payload = RecordPayload(ops: Self.randomOps(&rng))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var variants = [Array(try encoder.encode(payload)), Array(try JSONEncoder().encode(payload))]
            variants.append(Self.rewrite(variants[0], &rng))
            for _ in 0..<20 {
                var damaged = variants.randomElement(using: &rng)!
                let at = Int.random(in: 0..<damaged.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: damaged[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: damaged.remove(at: at)
                default: damaged.insert(Array(#"{}[]":,\0e-"#.utf8).randomElement(using: &rng)!, at: at)
                }
                variants.append(damaged)
            }
            for (n, bytes) in variants.enumerated() {
                guard let fast = RecordPayload.decodeCommonShapes(bytes) else { continue }
                if n < 3 { answered += 1 } else { damagedAnswered += 1 }
                #expect(Self.jsonDecoder(bytes) == fast, "seed \(seed), variant \(n): \(String(decoding: bytes, as: UTF8.self))")
            }
            let hasEvent = payload.ops.contains { if case .event = $0 { true } else { false } }
            #expect((RecordPayload.decodeCommonShapes(variants[0]) == nil) == hasEvent, "seed \(seed): the common shapes must be read fast")
            #expect(try RecordPayload.decode(variants[2]) == payload, "seed \(seed)")
        }
        #expect(answered > 300)
        print("fast reader answered \(answered) whole and \(damagedAnswered) damaged payloads")
    }
}
