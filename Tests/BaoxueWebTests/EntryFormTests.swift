import BaoxueApp
import BaoxueRecords
import BaoxueTesting
import BaoxueWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The entry forms a teacher and a school admin fill in on the demo township's encrypted school:
/// a leave and its end (the end offered only while the leave is open), home teaching refused with
/// the rule in Chinese next to its field and nothing written, a persuasion attempt only under an
/// open case, and a close-out that needs its evidence photo — each written once however often sent.
@Suite struct EntryFormTests {
    static func demo() async throws -> String {
        try await DemoTownship.make()
    }

    func changes(_ dir: String) throws -> Int { try ReplicaCommands.whoami(directory: dir).changes }

    @Test func aLeaveIsRecordedThenEndedAndHomeTeachingIsCheckedByTheField() async throws {
        let dir = try await Self.demo() + "/teacher-a"
        let child = try #require(try ReplicaCommands.searchChildren(directory: dir, text: "", school: nil).last).child.hex
        let token = WebServer.newToken()
        let app = Application(router: WebServer.router(directory: dir, token: token, language: .zh))
        let today = try ReplicaCommands.today(directory: dir, date: nil).date
        try await app.test(.router) { client in
            var browser = try await Browser.open(client, token: token)
            try await browser.get("/child/\(child)")
            #expect(!browser.page.contains("/leave-end\""), "no leave is open yet")
            #expect(try await browser.get("/child/\(child)/leave-end") == .ok)
            #expect(browser.page.contains("没有未销的假") && !browser.page.contains("<form"))
            // A leave, sent twice (a double tap): written once.
            try await browser.get("/child/\(child)/leave")
            let before = try changes(dir)
            let leave = [("from", today), ("to", today), ("reason", "病假"), ("approvedBy", "班主任")]
            let nonce = try #require(browser.value("nonce"))
            for _ in 0..<2 {
                let sent = try await browser.post("/child/\(child)/leave", leave + [("nonce", nonce)])
                #expect(sent.status == .seeOther && sent.location == "/child/\(child)?done=1")
            }
            #expect(try changes(dir) == before + 1)
            // Its end: offered now, with the leave preselected; afterwards no leave is open.
            try await browser.get("/child/\(child)")
            #expect(browser.page.contains("/child/\(child)/leave-end\""))
            try await browser.get("/child/\(child)/leave-end")
            #expect(browser.page.contains("病假") && browser.page.contains("checked"))
            let op = try #require(browser.value("leave"))
            let ended = try await browser.post("/child/\(child)/leave-end", [("leave", op), ("returned", today)])
            #expect(ended.status == .seeOther)
            #expect(try changes(dir) == before + 2)
            try await browser.get("/child/\(child)")
            #expect(!browser.page.contains("/leave-end\""))
            #expect(browser.page.contains("请假"))
            // Home teaching: 9 class hours breaks the rule (1–8); the message sits by its field, nothing is written.
            try await browser.get("/child/\(child)/home-teaching")
            let wrong = try await browser.post(
                "/child/\(child)/home-teaching", [("date", today), ("classHours", "9"), ("teacher", "王老师"), ("content", "")])
            #expect(wrong.status == .unprocessableContent)
            #expect(browser.page.contains("id=\"classHours-error\" role=\"alert\">课时应为 1 到 8。"))
            #expect(browser.page.contains("id=\"content-error\" role=\"alert\">请填写教学内容。"))
            #expect(browser.page.contains("aria-describedby=\"classHours-error\" aria-invalid=\"true\""))
            #expect(browser.page.contains("value=\"王老师\""), "what was typed stays")
            #expect(try changes(dir) == before + 2)
            let right = try await browser.post(
                "/child/\(child)/home-teaching", [("date", today), ("classHours", "2"), ("teacher", "王老师"), ("content", "语文第三课")])
            #expect(right.status == .seeOther)
            try await browser.get("/child/\(child)")
            #expect(browser.page.contains("语文第三课"))
            // No case for this child: the persuasion form says so and a forged submission writes nothing.
            #expect(try await browser.get("/child/\(child)/persuasion") == .ok)
            #expect(browser.page.contains("还没有劝返案卷"))
            try await browser.get("/child/\(child)/leave")  // a page with this session's CSRF token
            let forged = try await browser.post(
                "/child/\(child)/persuasion",
                [("case", String(repeating: "a", count: 32)), ("date", today), ("method", "电话"), ("outcome", "refused")])
            #expect(forged.status == .unprocessableContent)
            #expect(try changes(dir) == before + 3)
        }
    }

    @Test func aPersuasionGoesUnderTheOpenCaseAndAnAdminClosesOutWithEvidence() async throws {
        let root = try await Self.demo()
        let teacher = root + "/teacher-a"
        let open = try #require(try ReplicaCommands.cases(directory: teacher, which: nil, language: .zh).first)
        let child = try #require(open.child)
        let token = WebServer.newToken()
        let today = try ReplicaCommands.today(directory: teacher, date: nil).date
        try await Application(router: WebServer.router(directory: teacher, token: token, language: .zh)).test(.router) { client in
            var browser = try await Browser.open(client, token: token)
            try await browser.get("/child/\(child)/persuasion")
            #expect(browser.value("case") == open.caseFile, "the one open case is chosen already")
            let sent = try await browser.post(
                "/child/\(child)/persuasion",
                [("case", open.caseFile), ("date", today), ("method", "入户"), ("outcome", "returned"), ("note", "已返校上课")])
            #expect(sent.status == .seeOther)
            #expect(browser.page.isEmpty || !browser.page.contains("error"))
            // A teacher may not close out (the role table): the link is not offered.
            try await browser.get("/child/\(child)")
            #expect(!browser.page.contains("/close-out\""))
        }
        let cases = try ReplicaCommands.cases(directory: teacher, which: open.caseFile, language: .zh)
        #expect(cases.first?.events.contains { $0.contains("已返校上课") } == true)

        let admin = root + "/school-admin"
        let onLedger = try #require(try ReplicaCommands.ledger(directory: admin, which: .suspectedDropout, school: nil).first).child.hex
        try await Application(router: WebServer.router(directory: admin, token: token, language: .zh)).test(.router) { client in
            var browser = try await Browser.open(client, token: token)
            try await browser.get("/child/\(onLedger)")
            #expect(browser.page.contains("/child/\(onLedger)/close-out\""))
            try await browser.get("/child/\(onLedger)/close-out")
            #expect(browser.page.contains("enctype=\"multipart/form-data\""))
            let before = try ReplicaCommands.whoami(directory: admin).changes
            let bare = try await browser.postFiles(
                "/child/\(onLedger)/close-out", [("ledger", "suspectedDropout"), ("note", "已返校")], files: [])
            #expect(bare.status == .unprocessableContent)
            #expect(browser.page.contains("销号必须附佐证材料照片。"))
            #expect(try ReplicaCommands.whoami(directory: admin).changes == before)
            try await browser.get("/child/\(onLedger)/close-out")
            let scan = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let photo = (0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            // Four photos are one too many (three at most): refused whole, nothing written.
            let four = try await browser.postFiles(
                "/child/\(onLedger)/close-out", [("ledger", "suspectedDropout"), ("note", "已返校")],
                files: (0..<4).map { ("evidence", "证明\($0).jpg", scan + [UInt8($0)]) })
            #expect(four.status == .contentTooLarge)
            #expect(try ReplicaCommands.whoami(directory: admin).changes == before)
            try await browser.get("/child/\(onLedger)/close-out")
            let done = try await browser.postFiles(
                "/child/\(onLedger)/close-out", [("ledger", "suspectedDropout"), ("note", "已返校并连续在校一月")],
                files: [("evidence", "返校证明.jpg", scan), ("evidence", "在校照片.jpg", photo)])
            #expect(done.status == .seeOther, "\(browser.page)")
            try await browser.get("/child/\(onLedger)")
            #expect(browser.page.components(separatedBy: "<img src=").count - 1 == 2, "both evidence photos show")
        }
        #expect(try ReplicaCommands.ledger(directory: admin, which: .suspectedDropout, school: nil).allSatisfy { $0.child.hex != onLedger })
        let files = try FileManager.default.contentsOfDirectory(atPath: admin)
        #expect(!files.contains { $0.hasPrefix(".upload-") }, "no upload is left behind")
    }
}
