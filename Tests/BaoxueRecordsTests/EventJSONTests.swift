import BaoxueCore
import BaoxueRecords
import Foundation
import Testing

/// The stored event JSON is exactly what JSONEncoder (sorted keys, unescaped slashes) writes:
/// views written before the fast encoder, and by replicas of other builds, hold those bytes.
@Suite struct EventJSONTests {
    /// Strings with every control character, quotes, backslashes, slashes, DEL, U+2028, emoji and Chinese.
    static func hostileTexts(_ rng: inout SeededGenerator) -> [String] {
        let pieces = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + ["\"", "\\", "/", "\u{7F}", "\u{2028}", "😀", "王小明", "a", " ", "é"]
        return (0..<8).map { _ in (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() }
    }

    @Test(arguments: [UInt64(11), 12, 13, 14])
    func theFastEncoderWritesJSONEncodersBytes(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let op = OpID(change: ChangeID(hashing: [4, 5, 6][...]), index: 7)
        var kinds = Set<String>()
        for n in 0..<300 {
            let e = PayloadScannerTests.randomEvent(child: RecordID.derived("c\(n % 5)"), op: op, texts: Self.hostileTexts(&rng), &rng)
            kinds.insert(e.body.kind)
            let expected = String(decoding: try encoder.encode(e), as: UTF8.self)
            #expect(EventJSON.encode(e) == expected, "seed \(seed), event \(n)")
        }
        #expect(kinds.count == 8, "every body kind was written")
    }
}
