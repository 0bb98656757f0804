import BaoxueApp
import BaoxueCore
import BaoxueStore
import BaoxueTesting
import BaoxueWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// 家访 with a photo, as a phone sends it (`multipart/form-data`), on the demo township's encrypted
/// school: the visit is recorded once, the photo travels sealed and exports as the same bytes under
/// a name that cannot be a path; an oversize upload, a form with a name twice and a missing CSRF
/// token are refused and write nothing; no upload is left behind in the replica folder.
@Suite struct VisitFormTests {
    func multipart(_ fields: [(String, String)], photo: (name: String, bytes: [UInt8])?, boundary: String) -> ByteBuffer {
        var out: [UInt8] = []
        for (name, value) in fields {
            out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let photo {
            out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"\(photo.name)\"\r\n".utf8)
            out += Array("Content-Type: image/jpeg\r\n\r\n".utf8) + photo.bytes + Array("\r\n".utf8)
        }
        out += Array("--\(boundary)--\r\n".utf8)
        return ByteBuffer(bytes: out)
    }

    @Test func aVisitWithAPhotoIsRecordedOnceAndThePhotoTravelsSealed() async throws {
        let root = try await DemoTownship.make()
        let dir = root + "/teacher-a"
        let child = try #require(try ReplicaCommands.searchChildren(directory: dir, text: "", school: nil).first).child.hex
        let token = WebServer.newToken()
        let app = Application(router: WebServer.router(directory: dir, token: token, language: .zh))
        let photo = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 131 >> 2) }
        try await app.test(.router) { client in
            let cookie = try await client.execute(uri: "/?token=\(token)", method: .get) { r in
                String(try #require(r.headers[.setCookie]).split(separator: ";")[0])
            }
            let page = try await client.execute(uri: "/child/\(child)/visit", method: .get, headers: [.cookie: cookie]) {
                String(buffer: $0.body)
            }
            #expect(page.contains("enctype=\"multipart/form-data\"") && page.contains("accept=\"image/*\" capture"))
            func hidden(_ name: String) -> String {
                String(page.components(separatedBy: "name=\"\(name)\" value=\"")[1].prefix { $0 != "\"" })
            }
            let (csrf, nonce) = (hidden("csrf"), hidden("nonce"))
            let boundary = "----baoxue\(Int.random(in: 1000...9999))"
            let headers: HTTPFields = [.cookie: cookie, .contentType: "multipart/form-data; boundary=\(boundary)"]
            let fields = [
                ("date", "2026-12-01"), ("with", "王老师，村联络员"), ("found", "yes"), ("seen", "yes"), ("spokeTo", "母亲"),
                ("agreed", "周一返校"), ("next", ""), ("nonce", nonce),
            ]
            let before = try ReplicaCommands.whoami(directory: dir).changes
            // No CSRF token; a field twice; over 9 MiB: refused, nothing written.
            try await client.execute(
                uri: "/child/\(child)/visit", method: .post, headers: headers, body: multipart(fields, photo: nil, boundary: boundary)
            ) { r in #expect(r.status == .forbidden) }
            try await client.execute(
                uri: "/child/\(child)/visit", method: .post, headers: headers,
                body: multipart(fields + [("csrf", csrf), ("csrf", csrf)], photo: nil, boundary: boundary)
            ) { r in #expect(r.status == .badRequest) }
            try await client.execute(
                uri: "/child/\(child)/visit", method: .post, headers: headers,
                body: multipart(fields + [("csrf", csrf)], photo: ("大.jpg", [UInt8](repeating: 7, count: 9 << 20)), boundary: boundary)
            ) { r in #expect(r.status == .contentTooLarge) }
            #expect(try ReplicaCommands.whoami(directory: dir).changes == before)
            // The visit with its photo, twice (a double tap): written once, with the photo's two parts.
            for _ in 0..<2 {
                try await client.execute(
                    uri: "/child/\(child)/visit", method: .post, headers: headers,
                    body: multipart(fields + [("csrf", csrf)], photo: ("../../../etc/家访.jpg", photo), boundary: boundary)
                ) { r in #expect(r.status == .seeOther, "\(String(buffer: r.body))") }
            }
            #expect(try ReplicaCommands.whoami(directory: dir).changes == before + 3, "two parts and the record")
            // The child's file shows the photo; its address serves the same bytes, and only under this child.
            let file = try await client.execute(uri: "/child/\(child)", method: .get, headers: [.cookie: cookie]) {
                String(buffer: $0.body)
            }
            let src = try #require(file.components(separatedBy: "<img src=\"").dropFirst().first?.prefix { $0 != "\"" })
            #expect(src.hasPrefix("/child/\(child)/photo/"))
            try await client.execute(uri: String(src), method: .get, headers: [.cookie: cookie]) { r in
                #expect(r.status == .ok && r.headers[.contentType] == "image/jpeg")
                #expect(Array(r.body.readableBytesView) == photo)
            }
            let other = try #require(try ReplicaCommands.searchChildren(directory: dir, text: "", school: nil).last).child.hex
            let elsewhere = String(src).replacingOccurrences(of: child, with: other)
            try await client.execute(uri: elsewhere, method: .get, headers: [.cookie: cookie]) { r in #expect(r.status == .notFound) }
        }
        let log = try ChangeLog(path: dir + "/replica.sqlite", options: .init(reader: try KeyFile.load(at: dir + "/device.key")))
        let id = try #require(try ReplicaCommands.childAttachments(directory: dir, child: child, language: .zh).first)
        #expect(id.contains("已在本机（2 段）"))
        let exported = try #require(try log.attachment(prefix: String(id.prefix(16))))
        #expect(exported.bytes == photo && exported.name == "家访.jpg")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".upload-") }
        #expect(leftovers.isEmpty)
    }

    @Test func aFileNameNeverNamesAPath() {
        #expect(WebServer.safeUploadName("../../etc/passwd") == "passwd")
        #expect(WebServer.safeUploadName("C:\\photos\\a.jpg") == "a.jpg")
        #expect(WebServer.safeUploadName("..") == "照片.jpg")
        #expect(WebServer.safeUploadName("a\u{0}b\nc.jpg") == "abc.jpg")
    }
}
