import BaoxueApp
import BaoxueTesting
import Foundation
import Testing

/// `relay serve --console`: the operator's page of a running relay, fetched over HTTP as a
/// browser would, after real devices synced and a stranger was refused.
@Suite struct CLIOperatorConsoleTests {
    let cli = CLITests()

    /// Starts the relay and reads its output until both the sync port and the console address are printed.
    func serve(_ dir: String) throws -> (Process, port: Int, url: String) {
        let p = Process()
        p.executableURL = Fixtures.productsDirectory.appendingPathComponent("baoxue")
        p.arguments = ["relay", "serve", "--data", dir, "--listen", "127.0.0.1:0", "--console", "127.0.0.1:0"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        var text = ""
        while !text.contains("?token=") || !text.hasSuffix("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let port = text.firstMatch(of: /端口 (\d+)/).flatMap { Int($0.1) } ?? 0
        let url = text.firstMatch(of: /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/).map { String($0.1) } ?? ""
        return (p, port, url)
    }

    func fetch(_ url: String) throws -> (status: String, body: String) {
        let run = try cli.run(URL(fileURLWithPath: "/usr/bin/env"), ["curl", "-s", "-w", "\n%{http_code}", url], env: nil)
        let lines = run.out.split(separator: "\n", omittingEmptySubsequences: false)
        return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
    }

    @Test(.timeLimit(.minutes(2))) func theOperatorSeesDevicesAndRefusalsButNoChild() throws {
        let demo = Fixtures.temporaryDirectory() + "/demo"
        #expect(try cli.baoxue(["demo", "--township", "--children", "20", "--dir", demo]).status == 0)
        let stranger = Fixtures.temporaryDirectory() + "/stranger"
        #expect(try cli.baoxue(["init", "--dir", stranger]).status == 0)
        let (relay, port, url) = try serve(demo + "/relay")
        defer {
            relay.terminate()
            relay.waitUntilExit()
        }
        try #require(port > 0 && !url.isEmpty, "the relay printed its console address")
        #expect(try cli.baoxue(["sync", "127.0.0.1:\(port)", "--dir", demo + "/teacher-a"]).status == 0)
        // The school admin publishes last month's figures (a month not yet over is refused) and syncs them up.
        let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Asia/Shanghai")!, from: Date())
        let last = now.month! == 1 ? String(format: "%04d-12", now.year! - 1) : String(format: "%04d-%02d", now.year!, now.month! - 1)
        let early = try cli.baoxue([
            "report", "publish", "--period", String(format: "%04d-%02d", now.year!, now.month!), "--dir", demo + "/school-admin",
        ])
        #expect(early.status == 1 && early.err.contains("尚未结束"), "\(early.err)")
        let published = try cli.baoxue(["report", "publish", "--period", last, "--dir", demo + "/school-admin"])
        #expect(published.status == 0 && published.out.contains("已上报"), "\(published.err)")
        #expect(try cli.baoxue(["report", "publish", "--period", last, "--dir", demo + "/teacher-a"]).status == 1, "a teacher may not")
        #expect(try cli.baoxue(["sync", "127.0.0.1:\(port)", "--dir", demo + "/school-admin"]).status == 0)
        let refused = try cli.baoxue(["sync", "127.0.0.1:\(port)", "--dir", stranger, "--scope", "school-001"])
        #expect(refused.status == 1)

        // Without the access code: 401 and a sentence saying which address to use; nothing else.
        let bare = try fetch(url.replacing(/token=[0-9a-f]+/, with: "token=0000"))
        #expect(bare.status == "401" && bare.body.contains("含访问码") && !bare.body.contains("王老师"), "\(bare)")

        // The flush of device activity runs each second: the page shows what the relay served once it ran.
        // (The stranger refuses the relay first, so the relay counts the refusal a moment after the CLI returns.)
        var page = ""
        for _ in 0..<40 where !(page.contains("王老师") && page.contains("设备未获准")) {
            Thread.sleep(forTimeInterval: 0.1)
            page = try fetch(url).body
        }
        #expect(page.contains("<script src=\"/static/console.js\" defer></script>") && page.contains("每 15 秒自动刷新"), "refreshes itself")
        #expect(page.contains("运行正常"), "\(page)")
        let teacher = try cli.baoxue(["whoami", "--dir", demo + "/teacher-a", "--json"])
        let fingerprint = try #require(teacher.out.firstMatch(of: /"fingerprint" *: *"([0-9A-Z-]+)"/)).1
        #expect(page.contains(String(fingerprint)) && page.contains("王老师（教师）"), "the device and its holder")
        #expect(page.contains("<dt>累计（自启动以来）</dt><dd>3</dd>") && page.contains("<dt>其中出错</dt><dd>1</dd>"), "\(page)")
        // The relay, holding no key, shows the school's signed figures for the month, and their total.
        #expect(page.contains("<caption>\(last) 月</caption>") && page.contains("title=\"丰南区/东镇/示例第1中学\">示例第1中学</th>"), "\(page)")
        #expect(page.contains("<tr class=\"sum\"><th scope=\"row\">合计</th>"))
        // The stranger's refusal is counted under its reason, in words (the English page adds the logs' code name).
        #expect(page.contains("<th scope=\"row\">设备未获准（未登记、证书不覆盖所请求的范围，或已吊销）</th><td>1 次</td>"), "\(page)")
        #expect(!refused.err.isEmpty)
        // No child: not one name from the registry export the demo imported appears on the page.
        let roster = try cli.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["iconv", "-f", "GB18030", "-t", "UTF-8", demo + "/学籍导出.csv"], env: nil
        ).out
        let names = roster.split(whereSeparator: \.isNewline).dropFirst().compactMap { $0.split(separator: ",").first.map(String.init) }
        #expect(names.count >= 20 && names.allSatisfy { !page.contains($0) }, "\(names.filter { page.contains($0) })")

        let english = try fetch(url + "&lang=en").body
        #expect(english.contains("Relay operations") && english.contains("Running normally."), "\(english.prefix(300))")
        #expect(english.contains("device not allowed (not enrolled, scope not covered, or revoked) <code>peer_not_allowed</code>"))
    }
}
