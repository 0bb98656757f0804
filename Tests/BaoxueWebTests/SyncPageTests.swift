import BaoxueApp
import BaoxueRecords
import BaoxueTesting
import BaoxueWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// 同步 as a teacher uses it: the page says how much recorded here has not reached the relay, a
/// tap syncs with the township relay (a real one on a loopback port) while the page shows progress,
/// then the summary; a colleague's entry that came through the relay is in the child's file; an
/// address that is not host:port is refused in Chinese by its field.
@Suite struct SyncPageTests {
    @Test func aTapSyncsWithTheRelayAndBringsAColleaguesEntry() async throws {
        let root = try await DemoTownship.make()
        let relay = try await RelayCommands.start(RelayCommands.ServeOptions(directory: root + "/relay", listen: "127.0.0.1:0"))
        let address = "127.0.0.1:\(relay.port)"
        do {
            let (a, b) = (root + "/teacher-a", root + "/teacher-b")
            let child = try #require(try ReplicaCommands.searchChildren(directory: a, text: "", school: nil).first).child.hex
            let today = try ReplicaCommands.today(directory: b, date: nil).date
            _ = try ReplicaCommands.record(
                directory: b, child: child,
                entry: .homeTeaching(HomeTeachingSession(classHours: 2, teacher: "李老师", content: "数学复习同步测试")),
                date: try SimpleDate(today), scope: nil, language: .zh)
            _ = try await SyncCommands.sync(directory: b, peer: address, scopes: [], language: .zh)
            let token = WebServer.newToken()
            let app = Application(router: WebServer.router(directory: a, token: token, language: .zh, relay: address))
            try await app.test(.router) { client in
                var browser = try await Browser.open(client, token: token)
                try await browser.get("/child/\(child)/absence")
                try await browser.post("/child/\(child)/absence", [("from", today), ("to", today), ("days", "1"), ("excused", "no")])
                try await browser.get("/sync")
                #expect(browser.page.contains("本机有 1 条记录尚未得到乡镇中继的回执"))
                #expect(browser.value("peer") == address, "the relay's address is offered")
                let wrong = try await browser.post("/sync", [("peer", "乡镇中继")])
                #expect(wrong.status == .unprocessableContent)
                #expect(browser.page.contains("id=\"peer-error\" role=\"alert\">地址应为 主机:端口"))
                for round in 0..<2 {
                    try await browser.get("/sync")
                    let started = try await browser.post("/sync", [("peer", address)])
                    #expect(started.status == .seeOther && started.location == "/sync")
                    var running = true
                    for _ in 0..<200 where running {
                        running = try await client.execute(uri: "/sync/progress", method: .get, headers: [.cookie: browser.cookie]) {
                            String(buffer: $0.body).contains("\"running\":true")
                        }
                        if running { try await Task.sleep(for: .milliseconds(50)) }
                    }
                    #expect(!running)
                    try await browser.get("/sync")
                    #expect(browser.page.contains("已与 \(address) 同步。"), "\(browser.page)")
                    if round == 0 { #expect(browser.page.contains("发出 1 条") && !browser.page.contains("收到 0 条")) }
                }
                // The relay's receipt for the absence came back with the second sync.
                #expect(browser.page.contains("本机的记录都已到达乡镇中继（有回执）。"))
                try await browser.get("/child/\(child)")
                #expect(browser.page.contains("数学复习同步测试"))
            }
        } catch {
            await relay.shutdown(graceMs: 1_000)
            throw error
        }
        await relay.shutdown(graceMs: 1_000)
    }
}
