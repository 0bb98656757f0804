import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A person's browser against the field app in a route test: it opens a session with the access
/// token, then keeps the cookie, and reads the hidden fields (CSRF token, one-time nonce) of the
/// last page it loaded into every form it sends, as a browser does.
struct Browser {
    let client: any TestClientProtocol
    let cookie: String
    var page = ""

    static func open(_ client: some TestClientProtocol, token: String) async throws -> Browser {
        let cookie = try await client.execute(uri: "/?token=\(token)", method: .get) { r in
            String(try #require(r.headers[.setCookie]).split(separator: ";")[0])
        }
        return Browser(client: client, cookie: cookie)
    }

    /// Loads a page; returns its status and keeps its HTML.
    @discardableResult
    mutating func get(_ uri: String) async throws -> HTTPResponse.Status {
        let (status, body) = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie]) { r in
            (r.status, String(buffer: r.body))
        }
        page = body
        return status
    }

    /// A hidden or prefilled field's value on the current page.
    func value(_ name: String) -> String? {
        guard let r = page.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(page[r.upperBound...].prefix { $0 != "\"" })
    }

    /// Sends a form as `application/x-www-form-urlencoded`, with the page's CSRF token and nonce
    /// unless `fields` names them; returns the status and the redirect target, keeping the body.
    @discardableResult
    mutating func post(_ uri: String, _ fields: [(String, String)]) async throws -> (status: HTTPResponse.Status, location: String?) {
        var all = fields
        for hidden in ["csrf", "nonce"] where !fields.contains(where: { $0.0 == hidden }) {
            if let v = value(hidden) { all.append((hidden, v)) }
        }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let (status, location, text) = try await client.execute(
            uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)
        ) { r in (r.status, r.headers[.location], String(buffer: r.body)) }
        if location == nil { page = text }
        return (status, location)
    }

    /// Sends a form as `multipart/form-data` with files, hidden fields added as in `post`.
    @discardableResult
    mutating func postFiles(
        _ uri: String, _ fields: [(String, String)], files: [(field: String, name: String, bytes: [UInt8])]
    ) async throws -> (status: HTTPResponse.Status, location: String?) {
        var all = fields
        for hidden in ["csrf", "nonce"] where !fields.contains(where: { $0.0 == hidden }) {
            if let v = value(hidden) { all.append((hidden, v)) }
        }
        let boundary = "----baoxue-test-boundary"
        var out: [UInt8] = []
        for (name, value) in all {
            out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for f in files {
            out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(f.field)\"; filename=\"\(f.name)\"\r\n".utf8)
            out += Array("Content-Type: image/jpeg\r\n\r\n".utf8) + f.bytes + Array("\r\n".utf8)
        }
        out += Array("--\(boundary)--\r\n".utf8)
        let (status, location, text) = try await client.execute(
            uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "multipart/form-data; boundary=\(boundary)"],
            body: ByteBuffer(bytes: out)
        ) { r in (r.status, r.headers[.location], String(buffer: r.body)) }
        if location == nil { page = text }
        return (status, location)
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
