import BaoxueApp
import BaoxueTesting
import BaoxueWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// 冲突 on the demo township's teacher: both concurrent statuses show with their authors; one tap
/// settles it (one signed change, the conflict gone everywhere it reaches); a stale choice is refused.
@Suite struct ConflictsPageTests {
    @Test func bothValuesShowWithTheirAuthorsAndOneTapSettles() async throws {
        let root = try await DemoTownship.make()
        let dir = root + "/teacher-a"
        let token = WebServer.newToken()
        let app = Application(router: WebServer.router(directory: dir, token: token, language: .zh))
        #expect(try ReplicaCommands.conflicts(directory: dir, language: .zh).count == 1)
        try await app.test(.router) { client in
            let cookie = try await client.execute(uri: "/?token=\(token)", method: .get) { r in
                String(try #require(r.headers[.setCookie]).split(separator: ";")[0])
            }
            let today = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { String(buffer: $0.body) }
            #expect(today.contains("待核实的冲突（1）"))
            let page = try await client.execute(uri: "/conflicts", method: .get, headers: [.cookie: cookie]) { String(buffer: $0.body) }
            #expect(page.contains("王老师") && page.contains("李老师"), "both authors")
            #expect(page.contains("疑似辍学") && page.contains("转出"), "both values")
            func hidden(_ name: String, _ nth: Int) -> String {
                let parts = page.components(separatedBy: "name=\"\(name)\" value=\"")
                return String(parts[nth + 1].prefix { $0 != "\"" })
            }
            let before = try ReplicaCommands.whoami(directory: dir).changes
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            func form(_ i: Int, shown: String) -> String {
                [
                    "child": hidden("child", i), "field": hidden("field", i), "choice": hidden("choice", i), "shown": shown,
                    "nonce": hidden("nonce", i), "csrf": hidden("csrf", i),
                ]
                .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            }
            // A choice whose text no longer matches the list (a sync changed it): refused, nothing written.
            try await client.execute(uri: "/conflicts", method: .post, headers: headers, body: ByteBuffer(string: form(0, shown: "别的值"))) {
                r in
                #expect(r.status == .conflict)
            }
            #expect(try ReplicaCommands.whoami(directory: dir).changes == before)
            let chosen = hidden("shown", 1).replacingOccurrences(of: "&amp;", with: "&")
            try await client.execute(uri: "/conflicts", method: .post, headers: headers, body: ByteBuffer(string: form(1, shown: chosen))) {
                r in
                #expect(r.status == .seeOther)
            }
            #expect(try ReplicaCommands.whoami(directory: dir).changes == before + 1)
            #expect(try ReplicaCommands.conflicts(directory: dir, language: .zh).isEmpty)
            let after = try await client.execute(uri: "/conflicts?done=1", method: .get, headers: [.cookie: cookie]) {
                String(buffer: $0.body)
            }
            #expect(after.contains("已核实。") && after.contains("没有待核实的冲突。"))
        }
    }
}
