import BaoxueApp
import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// 本区设备 on the bureau's device of the demo township (it keeps the authority key): the district's
/// devices, a revocation refused without a reason or with a wrong passphrase, then made, published
/// in `_admin` and shown; a teacher's device may not open the page.
@Suite struct DevicesPageTests {
    @Test func theBureauRevokesALostPhoneFromItsConsole() async throws {
        let root = try await DemoTownship.make()
        let bureau = root + "/district-admin"
        let lost = try ReplicaCommands.whoami(directory: root + "/teacher-c")
        let lostKey = try PublicKey(hex: lost.publicKey)
        let token = WebServer.newToken()
        try await Application(router: WebServer.router(directory: bureau, token: token, language: .zh)).test(.router) { client in
            var browser = try await Browser.open(client, token: token)
            #expect(try await browser.get("/me") == .ok && browser.page.contains("href=\"/devices\""))
            #expect(try await browser.get("/devices") == .ok)
            for holder in ["王老师（教师）", "周老师（教师）", "孙校长（学校管理员）", "东镇中继（乡镇中继）"] {
                #expect(browser.page.contains(holder), "\(holder)")
            }
            #expect(browser.page.contains(lostKey.fingerprint.text) && browser.page.contains("证书有效期至"))
            // Each card counts the device's changes this replica holds, and dates the newest.
            let teacher = try PublicKey(hex: try ReplicaCommands.whoami(directory: root + "/teacher-a").publicKey)
            let held = try Replica.open(at: bureau).log.entries(after: 0, limit: 100_000).filter { $0.change.author == teacher }
            let newest = try #require(held.map(\.change.timestamp.milliseconds).max())
            let day = try SimpleDate(unixMilliseconds: newest).description
            let card = try #require(browser.page.components(separatedBy: "<li>").first { $0.contains("王老师（教师）") })
            #expect(!held.isEmpty && card.contains("本机最近收到其记录：\(day)（共 \(held.count) 条）"), "\(card)")
            #expect(browser.page.contains("/devices/revoke?device=\(lost.publicKey)"))

            #expect(try await browser.get("/devices/revoke?device=\(lost.publicKey)") == .ok)
            let form = browser.page
            // No reason: the form again, with what to do, and nothing written.
            var sent = try await browser.post("/devices/revoke", [("device", lost.publicKey), ("reason", " "), ("passphrase", "x")])
            #expect(sent.status == .ok && browser.page.contains("请填写原因"))
            browser.page = form
            // A wrong passphrase: 422, the reason kept, nothing written.
            sent = try await browser.post(
                "/devices/revoke", [("device", lost.publicKey), ("reason", "手机丢失"), ("passphrase", "not the passphrase")])
            #expect(sent.status == .unprocessableContent && browser.page.contains("口令不对") && browser.page.contains("value=\"手机丢失\""))
            #expect(try Replica.open(at: bureau).log.revokedPeers(at: UInt64.max)[lostKey] == nil)
            let tapped = [("nonce", try #require(browser.value("nonce"))), ("csrf", try #require(browser.value("csrf")))]
            sent = try await browser.post(
                "/devices/revoke", [("device", lost.publicKey), ("reason", "手机丢失"), ("passphrase", TownshipDemo.authorityPassphrase)])
            #expect(sent.status == .seeOther && sent.location?.hasPrefix("/devices?revoked=") == true, "\(browser.page)")
            try await browser.get(try #require(sent.location))
            #expect(browser.page.contains("已吊销 周老师") && browser.page.contains("吊销：手机丢失"), "\(browser.page)")
            // The same form sent again (a double tap) does not revoke twice.
            sent = try await browser.post(
                "/devices/revoke",
                [("device", lost.publicKey), ("reason", "手机丢失"), ("passphrase", TownshipDemo.authorityPassphrase)] + tapped)
            #expect(sent.location == "/devices")
        }
        // Published in the bureau's log as a revocation by the authority, from now on.
        let log = try Replica.open(at: bureau).log
        let revoked = try log.revokedPeers(at: UInt64.max)
        #expect(revoked[lostKey]?.count == 1)
        #expect(try log.certifiedScopes(of: lostKey, at: Replica.nowMilliseconds() + 1_000) == nil)

        // A teacher's device has no such page.
        let teacherToken = WebServer.newToken()
        try await Application(router: WebServer.router(directory: root + "/teacher-a", token: teacherToken, language: .zh)).test(.router) {
            client in
            var browser = try await Browser.open(client, token: teacherToken)
            #expect(try await browser.get("/devices") == .forbidden)
            #expect(try await browser.get("/me") == .ok && !browser.page.contains("href=\"/devices\""))
        }
    }
}
