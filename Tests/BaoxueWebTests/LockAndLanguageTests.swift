import BaoxueApp
import BaoxueRecords
import BaoxueTesting
import BaoxueWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// 我的: a weak lock passphrase is refused in Chinese; once one is set, a phone left idle past the
/// limit locks itself (keys sealed, views dropped) and shows only the unlock page until the
/// passphrase is typed; the language switch turns every page to English.
@Suite struct LockAndLanguageTests {
    @Test func anIdleDeviceLocksItselfAndOnlyThePassphraseOpensIt() async throws {
        let (dir, child) = try DemoTownship.sandbox()
        let token = WebServer.newToken()
        let field = WebServer.app(directory: dir, token: token, language: .zh, idleLockMinutes: 5)
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        let idle = field.idleLock
        try await Application(router: field.router).test(.router) { client in
            var browser = try await Browser.open(client, token: token)
            try await browser.get("/me")
            #expect(browser.page.contains("设备指纹"))
            #expect(await idle.check(now: now + 3_600_000) == false, "no passphrase: never locks")
            try await browser.post("/me/lock-passphrase", [("passphrase", "12345678"), ("repeat", "12345678")])
            #expect(browser.page.contains("id=\"passphrase-error\" role=\"alert\""))
            try await browser.post("/me/lock-passphrase", [("passphrase", "湖边柳树 brave-otter-42"), ("repeat", "湖边柳树 brave-otter-41")])
            #expect(browser.page.contains("两次输入的口令不一样。"))
            let set = try await browser.post(
                "/me/lock-passphrase", [("passphrase", "湖边柳树 brave-otter-42"), ("repeat", "湖边柳树 brave-otter-42")])
            #expect(set.status == .seeOther)
            try await browser.get("/me")
            #expect(browser.page.contains("闲置 5 分钟后本机自动锁定。"))
            // Four idle minutes: still open. Six: locked, before any page is served.
            #expect(await idle.check(now: UInt64(Date().timeIntervalSince1970 * 1000) + 4 * 60_000) == false)
            #expect(await idle.check(now: UInt64(Date().timeIntervalSince1970 * 1000) + 6 * 60_000))
            #expect(FileManager.default.fileExists(atPath: dir + "/device.locked"))
            #expect(!FileManager.default.fileExists(atPath: dir + "/device.key"))
            for path in ["/", "/child/\(child)", "/children", "/me", "/sync"] {
                #expect(try await browser.get(path) == .seeOther, "\(path)")
                #expect(!browser.page.contains("王小明"))
            }
            try await browser.get("/unlock")
            #expect(browser.page.contains("本机已锁定"))
            try await browser.post("/unlock", [("passphrase", "湖边柳树 brave-otter-41")])
            #expect(browser.page.contains("role=\"alert\"") && !browser.page.contains("王小明"))
            #expect(try await browser.post("/unlock", [("passphrase", "湖边柳树 brave-otter-42")]).status == .seeOther)
            try await browser.get("/child/\(child)")
            #expect(browser.page.contains("王小明"))
            // The passphrase that unlocked it locks it again when idle.
            try await browser.get("/me")
            #expect(browser.page.contains("立即锁定"))
            try await browser.post("/me/lock", [])
            #expect(FileManager.default.fileExists(atPath: dir + "/device.locked"))
        }
    }

    @Test func theLanguageSwitchTurnsThePagesToEnglish() async throws {
        let dir = Fixtures.temporaryDirectory() + "/ui"
        _ = try ReplicaCommands.initialize(directory: dir)
        let token = WebServer.newToken()
        try await Application(router: WebServer.router(directory: dir, token: token, language: .zh)).test(.router) { client in
            var browser = try await Browser.open(client, token: token)
            try await browser.get("/")
            #expect(browser.page.contains("<html lang=\"zh-Hans\">") && browser.page.contains(">今日<"))
            try await browser.get("/me")
            #expect(try await browser.post("/me/language", [("language", "fr")]).status == .ok)
            #expect(browser.page.contains("请选择：中文、English。"))
            #expect(try await browser.post("/me/language", [("language", "en")]).status == .seeOther)
            try await browser.get("/")
            #expect(browser.page.contains("<html lang=\"en\">") && browser.page.contains(">Today<") && !browser.page.contains("今日"))
        }
    }
}

/// 今日 opens the form each item calls for: a child on leave too long, not yet visited, opens the visit form.
@Suite struct TodayLinksTests {
    @Test func aLongLeaveWithoutAVisitOpensTheVisitForm() async throws {
        let (dir, child) = try DemoTownship.sandbox()
        let today = try SimpleDate(try ReplicaCommands.today(directory: dir, date: nil).date)
        _ = try ReplicaCommands.record(
            directory: dir, child: child,
            entry: .leave(from: try today.adding(days: -6), to: try today.adding(days: 6), reason: "病假", approvedBy: "班主任"),
            date: nil, scope: nil, language: .zh)
        let token = WebServer.newToken()
        try await Application(router: WebServer.router(directory: dir, token: token, language: .zh)).test(.router) { client in
            var browser = try await Browser.open(client, token: token)
            try await browser.get("/")
            #expect(browser.page.contains("href=\"/child/\(child)/visit\""), "\(browser.page)")
            #expect(try await browser.get("/child/\(child)/visit") == .ok)
            #expect(browser.value("date") == today.description)
        }
    }
}
