import BaoxueCore
import BaoxueRecords
import BaoxueTesting
import Testing

/// The signed manifest of a report folder: one canonical text, read back exactly; any byte
/// changed is refused or breaks the signature; a folder's files are checked one by one.
@Suite struct ReportManifestTests {
    static let files = [
        ReportManifest.File(name: "月报-2026-11.xlsx", bytes: Array(repeating: 0x50, count: 3_000)),
        ReportManifest.File(name: "月报-2026-11-汇总.csv", bytes: Array("学校,儿童\n示例第1中学,20\n".utf8)),
    ]

    static func signed(school: String? = "示例第1中学") throws -> ReportManifest {
        try ReportManifest.sign(
            kind: "monthly", period: "2026-11", from: try SimpleDate("2026-11-01"), to: try SimpleDate("2026-11-30"), school: school,
            fullIDs: false, exportedAt: 1_764_600_000_000,
            heads: [Fixtures.chain(Fixtures.key(3), count: 1)[0].id, Fixtures.chain(Fixtures.key(4), count: 1)[0].id],
            files: files, key: Fixtures.key(9))
    }

    @Test func theTextReadsBackExactlyAndItsSignatureHolds() throws {
        for school in ["示例第1中学", nil] {
            let m = try Self.signed(school: school)
            let parsed = try ReportManifest.parse(m.encoded)
            #expect(parsed == m && parsed.signatureIsValid && parsed.school == school)
            #expect(parsed.heads == parsed.heads.sorted() && parsed.heads.count == 2)
        }
    }

    @Test func everyFlippedBitIsRefusedOrBreaksTheSignature() throws {
        let bytes = try Self.signed().encoded
        var refused = 0
        var unsigned = 0
        for i in bytes.indices {
            var b = bytes
            b[i] ^= 0x01
            if let m = try? ReportManifest.parse(b) {
                #expect(!m.signatureIsValid, "byte \(i) changed and still signed")
                unsigned += 1
            } else {
                refused += 1
            }
        }
        #expect(refused + unsigned == bytes.count && refused > 0 && unsigned > 0)
    }

    @Test func nonCanonicalTextIsRefusedWithItsLine() throws {
        let text = String(decoding: try Self.signed().encoded, as: UTF8.self)
        let cases: [(String, Int)] = [
            (text.replacingOccurrences(of: "period 2026-11\n", with: ""), 3),  // a field missing
            (text.replacingOccurrences(of: "from 2026-11-01", with: "from 2026-11-1"), 4),  // a date not written canonically
            (text.replacingOccurrences(of: "exported 1764600000000", with: "exported 01764600000000"), 8),
            (text.replacingOccurrences(of: "ids last4", with: "ids all"), 7),
            (text.uppercased(), 1),
            (text + "head 00\n", 15),  // text after the signature
        ]
        for (bad, line) in cases {
            #expect(throws: ReportManifestError.self) { try ReportManifest.parse(Array(bad.utf8)) }
            if case .malformed(let at, _)? = Result(catching: { try ReportManifest.parse(Array(bad.utf8)) }).failure as? ReportManifestError
            {
                #expect(at == line, "\(at) for \(bad.prefix(40))")
            }
        }
        #expect(throws: ReportManifestError.self) { try ReportManifest.parse(Array(text.dropLast().utf8)) }  // no final newline
    }

    @Test func unsafeFileNamesCannotBeSigned() throws {
        for name in ["../月报.csv", "a/b.csv", "月报.manifest.baoxue", "月报\n.csv", ""] {
            #expect(throws: ReportManifestError.badField("file")) {
                try ReportManifest.sign(
                    kind: "monthly", period: "2026-11", from: try SimpleDate("2026-11-01"), to: try SimpleDate("2026-11-30"),
                    school: nil, fullIDs: true, exportedAt: 1, heads: [], files: [ReportManifest.File(name: name, bytes: [1])],
                    key: Fixtures.key(9))
            }
        }
    }

    @Test func aFolderIsCheckedFileByFile() throws {
        let m = try Self.signed()
        var folder: [String: [UInt8]] = [
            "月报-2026-11.xlsx": Array(repeating: 0x50, count: 3_000), "月报-2026-11-汇总.csv": Array("学校,儿童\n示例第1中学,20\n".utf8),
        ]
        func check() -> [ReportProblem] { m.problems(present: Set(folder.keys)) { folder[$0] } }
        #expect(check().isEmpty)
        folder["月报-2026-11.xlsx"]![1_234] ^= 0x80
        folder["月报-2026-11-汇总.csv"] = nil
        folder["说明.txt"] = [1]
        #expect(check() == [.changed("月报-2026-11.xlsx"), .missing("月报-2026-11-汇总.csv"), .unlisted("说明.txt")])
    }
}

extension Result where Failure == any Error {
    var failure: (any Error)? { if case .failure(let e) = self { e } else { nil } }
}
