import BaoxueApp
import BaoxueTesting
import BaoxueWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The field app's routes as a browser uses them, without sockets (HummingbirdTesting): the token
/// becomes an HttpOnly SameSite=Strict cookie; nothing answers without it; every POST needs the
/// session's CSRF token; the absence form validates on the server, shows its errors in Chinese by
/// the field and writes nothing on error; a double submission writes once; hostile requests get 4xx.
@Suite struct WebRouteTests {
    let token = WebServer.newToken()

    /// A sandbox replica with one child, and the app over it.
    func app() throws -> (app: some ApplicationProtocol, dir: String, child: String) {
        let (dir, child) = try DemoTownship.sandbox()
        return (Application(router: WebServer.router(directory: dir, token: token, language: .zh)), dir, child)
    }

    func changes(_ dir: String) throws -> Int { try ReplicaCommands.whoami(directory: dir).changes }

    /// Opens a session with the token: the cookie header to send next.
    func login(_ client: some TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/?token=\(token)", method: .get) { r in
            #expect(r.status == .seeOther)
            let cookie = try #require(r.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            #expect(r.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true)
            return String(cookie.split(separator: ";")[0])
        }
    }

    func field(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    @Test func nothingAnswersWithoutTheTokensCookie() async throws {
        let (app, _, child) = try app()
        try await app.test(.router) { client in
            for path in ["/", "/children", "/child/\(child)", "/me"] {
                try await client.execute(uri: path, method: .get) { r in
                    #expect(r.status == .unauthorized, "\(path)")
                    #expect(!String(buffer: r.body).contains("王小明"))
                }
            }
            try await client.execute(uri: "/?token=\(String(repeating: "0", count: 64))", method: .get) { r in
                #expect(r.status == .forbidden && r.headers[.setCookie] == nil)
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: "baoxue_session=forged"]) { r in
                #expect(r.status == .unauthorized)
            }
            try await client.execute(uri: "/static/app.css", method: .get) { r in #expect(r.status == .ok) }
        }
    }

    @Test func aTeacherFindsTheChildAndRecordsAnAbsenceOnce() async throws {
        let (app, dir, child) = try app()
        try await app.test(.router) { client in
            let cookie = try await login(client)
            // A search is a POST: the name never goes into a URL.
            let list = try await client.execute(uri: "/children", method: .get, headers: [.cookie: cookie]) { String(buffer: $0.body) }
            let csrf = try #require(field("csrf", in: list))
            try await client.execute(
                uri: "/children", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "q=%E7%8E%8B&csrf=\(csrf)")
            ) { r in
                #expect(r.status == .ok && String(buffer: r.body).contains("/child/\(child)"))
            }
            let form = try await client.execute(uri: "/child/\(child)/absence", method: .get, headers: [.cookie: cookie]) {
                String(buffer: $0.body)
            }
            let nonce = try #require(field("nonce", in: form))
            let before = try changes(dir)
            // A bad date: refused by the field, in Chinese, nothing written.
            try await client.execute(
                uri: "/child/\(child)/absence", method: .post,
                headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "from=12%E6%9C%881%E6%97%A5&to=2026-12-01&days=1&excused=no&nonce=\(nonce)&csrf=\(csrf)")
            ) { r in
                #expect(r.status == .unprocessableContent)
                let html = String(buffer: r.body)
                #expect(html.contains("id=\"from-error\" role=\"alert\">请填写开始日期"))
                #expect(html.contains("aria-invalid=\"true\""))
            }
            #expect(try changes(dir) == before)
            // Without the CSRF token: refused, nothing written.
            try await client.execute(
                uri: "/child/\(child)/absence", method: .post,
                headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "from=2026-12-01&to=2026-12-01&days=1&excused=no&nonce=\(nonce)")
            ) { r in #expect(r.status == .forbidden) }
            #expect(try changes(dir) == before)
            // Then right, twice (a double tap): written once.
            let body = "from=2026-12-01&to=2026-12-01&days=1&excused=no&nonce=\(nonce)&csrf=\(csrf)"
            for _ in 0..<2 {
                try await client.execute(
                    uri: "/child/\(child)/absence", method: .post,
                    headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)
                ) { r in
                    #expect(r.status == .seeOther && r.headers[.location] == "/child/\(child)?done=1")
                }
            }
            #expect(try changes(dir) == before + 1)
            try await client.execute(uri: "/child/\(child)?done=1", method: .get, headers: [.cookie: cookie]) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("已记录。") && html.contains("缺课 2026-12-01 至 2026-12-01，1 个上学日，未请假"))
                #expect(!html.contains("编号"), "no record ids on screen")
            }
        }
    }

    @Test func hostileRequestsGetFourHundredsAndChangeNothing() async throws {
        let (app, dir, child) = try app()
        try await app.test(.router) { client in
            let cookie = try await login(client)
            let form = try await client.execute(uri: "/child/\(child)/absence", method: .get, headers: [.cookie: cookie]) {
                String(buffer: $0.body)
            }
            let csrf = try #require(field("csrf", in: form))
            let before = try changes(dir)
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            try await client.execute(
                uri: "/child/\(child)/absence", method: .post, headers: headers,
                body: ByteBuffer(string: "csrf=\(csrf)&pad=" + String(repeating: "x", count: 70_000))
            ) { r in #expect(r.status == .contentTooLarge) }
            try await client.execute(
                uri: "/child/\(child)/absence", method: .post, headers: headers, body: ByteBuffer(string: "csrf=\(csrf)&from=%ZZ")
            ) { r in #expect(r.status == .badRequest) }
            try await client.execute(
                uri: "/child/\(child)/absence", method: .post, headers: headers, body: ByteBuffer(string: "csrf=\(csrf)&csrf=\(csrf)")
            ) { r in #expect(r.status == .badRequest) }
            for path in ["/child/../../etc/passwd", "/child/%2e%2e%2fkeys", "/child/zz", "/static/../replica.keys"] {
                try await client.execute(uri: path, method: .get, headers: [.cookie: cookie]) { r in
                    #expect((400..<500).contains(Int(r.status.code)), "\(path): \(r.status)")
                }
            }
            // A child's name in the page is text, never markup.
            _ = try ReplicaCommands.addChild(
                directory: dir, cells: [("姓名", "<script>x</script>"), ("身份证件号", "130207201501020014")], scope: "东镇/一小", language: .zh)
            try await client.execute(uri: "/children", method: .get, headers: [.cookie: cookie]) { r in
                let html = String(buffer: r.body)
                #expect(!html.contains("<script>") && html.contains("&lt;script&gt;"))
            }
            #expect(try changes(dir) == before + 1, "only the child added by hand")
        }
    }
}
