import BaoxueApp
import BaoxueCore
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// `baoxue peer allow`, `serve` and `sync` end to end over loopback TCP.
@Suite struct CLISyncTests {
    let cli = CLITests()

    func key(_ dir: String) throws -> String {
        let who = try cli.baoxue(["whoami", "--dir", dir, "--json"])
        return (try JSONSerialization.jsonObject(with: Data(who.out.utf8)) as! [String: Any])["publicKey"] as! String
    }

    func changes(_ dir: String) throws -> Int {
        let who = try cli.baoxue(["whoami", "--dir", dir, "--json"])
        return (try JSONSerialization.jsonObject(with: Data(who.out.utf8)) as! [String: Any])["changes"] as! Int
    }

    /// Starts `baoxue serve --once` and returns the process, its output pipe and the port it printed.
    func serve(_ dir: String, lang: String = "zh") throws -> (Process, Pipe, Int) {
        let p = Process()
        p.executableURL = Fixtures.productsDirectory.appendingPathComponent("baoxue")
        p.arguments = ["serve", "--dir", dir, "--listen", "127.0.0.1:0", "--once", "--lang", lang]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        let port = Int(text.split(whereSeparator: { !$0.isNumber }).first ?? "") ?? 0
        return (p, out, port)
    }

    @Test func twoDevicesSyncAndAStrangerIsTurnedAway() throws {
        let root = Fixtures.temporaryDirectory()
        let a = root + "/a", b = root + "/b", c = root + "/c"
        for d in [a, b, c] { #expect(try cli.baoxue(["init", "--dir", d]).status == 0) }
        let scope = try ScopeID("school-001")
        do {
            let ra = try Replica.open(at: a), rb = try Replica.open(at: b)
            for i in 0..<3 { _ = try ra.write(scope: scope, payload: Array("a\(i)".utf8)) }
            for i in 0..<2 { _ = try rb.write(scope: scope, payload: Array("b\(i)".utf8)) }
        }
        #expect(try cli.baoxue(["peer", "allow", try key(b), "--dir", a]).status == 0)
        let allowed = try cli.baoxue(["peer", "allow", try key(a), "--scope", "school-001", "--dir", b])
        #expect(allowed.out.contains("已允许"))

        let (server, out, port) = try serve(b)
        #expect(port > 0)
        let synced = try cli.baoxue(["sync", "127.0.0.1:\(port)", "--dir", a])
        #expect(synced.status == 0, "\(synced.err)")
        #expect(synced.out.contains("发出 3 条，收到 2 条"), "\(synced.out)")
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
        let served = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(served.contains("发出 2 条，收到 3 条"), "\(served)")
        #expect(try changes(a) == 5 && changes(b) == 5)

        // A device b never allowed: b refuses it, c is told what to do, nothing moves.
        #expect(try cli.baoxue(["peer", "allow", try key(b), "--dir", c]).status == 0)
        let (server2, _, port2) = try serve(b, lang: "en")
        let refused = try cli.baoxue(["sync", "127.0.0.1:\(port2)", "--dir", c, "--scope", "school-001", "--lang", "en"])
        server2.waitUntilExit()
        #expect(refused.status == 1)
        #expect(refused.err.contains("has not allowed this device"), "\(refused.err)")
        #expect(try changes(c) == 0 && changes(b) == 5)

        // Bad address: usage error, exit 2.
        #expect(try cli.baoxue(["sync", "no-port-here", "--dir", a]).status == 2)
    }
}
