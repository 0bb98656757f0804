import BaoxueApp
import BaoxueTesting
import Foundation
import Testing

/// The fingerprint QR codes, read back by a real decoder (zbarimg, Debian's zbar-tools, which
/// `bash tools/run test` installs): the symbol libqrencode made, and the half blocks
/// `baoxue enroll request` prints, as a phone's camera would see them.
@Suite struct QRCodeTests {
    let cli = CLITests()

    /// A grey map (PGM) of dark/light modules, 8 pixels a module; zbarimg reads it without an image library.
    func decode(_ dark: [[Bool]]) throws -> String {
        let scale = 8
        let width = (dark.first?.count ?? 0) * scale
        var pixels: [UInt8] = []
        for row in dark {
            let line = row.flatMap { Array(repeating: $0 ? UInt8(0) : 255, count: scale) }
            for _ in 0..<scale { pixels += line }
        }
        let path = Fixtures.temporaryDirectory() + "/qr.pgm"
        let file = Array("P5\n\(width) \(dark.count * scale)\n255\n".utf8) + pixels
        try Data(file).write(to: URL(fileURLWithPath: path))
        let run = try cli.run(URL(fileURLWithPath: "/usr/bin/env"), ["zbarimg", "-q", "--raw", path], env: nil)
        #expect(run.status == 0, "zbarimg (zbar-tools) is needed; bash tools/run test installs it: \(run.err)")
        return run.out.trimmingCharacters(in: .newlines)
    }

    func grid(_ qr: QRCode) -> [[Bool]] {
        (-4..<(qr.width + 4)).map { y in (-4..<(qr.width + 4)).map { x in qr.isDark(x, y) } }
    }

    @Test func symbolsDecodeToTheirText() throws {
        for text in ["WR69-JAPT-958H-FW7K", "丰南区/东镇/示例小学 王老师", String(repeating: "ab12", count: 16)] {
            let qr = try QRCode(text)
            #expect(qr.modules.count == qr.width * qr.width && (21...177).contains(qr.width))
            #expect(try decode(grid(qr)) == text)
        }
        #expect(throws: AppError.self) { try QRCode(String(repeating: "x", count: 4_000)) }
    }

    @Test func theTerminalQRCodeOfEnrollRequestReadsAsTheFingerprint() throws {
        let dir = Fixtures.temporaryDirectory() + "/new-phone"
        #expect(try cli.baoxue(["init", "--dir", dir]).status == 0)
        let run = try cli.baoxue([
            "enroll", "request", "--name", "周老师", "--role", "teacher", "--scope", "丰南区/东镇/示例小学", "--out", dir + "/req.txt",
            "--dir", dir,
        ])
        #expect(run.status == 0, "\(run.err)")
        let fingerprint = try #require(run.out.firstMatch(of: /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/)).0
        // Each character holds two module rows: the upper and lower half, drawn where the module is light.
        let lines = run.out.split(separator: "\n").filter { line in line.count > 20 && line.allSatisfy { "█▀▄ ".contains($0) } }
        var rows: [[Bool]] = []
        for line in lines {
            rows.append(line.map { $0 == "▄" || $0 == " " })
            rows.append(line.map { $0 == "▀" || $0 == " " })
        }
        #expect(rows.count >= 29)
        #expect(try decode(rows) == String(fingerprint))
    }
}
