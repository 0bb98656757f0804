import BaoxueApp
import BaoxueRelay
import BaoxueStore
import Foundation
import Hummingbird

/// `relay serve --console HOST:PORT`: the relay operator's page over HTTP, beside the relay in
/// the same process (a SQLite relay, or one process of a cluster on PostgreSQL). `GET /?token=…`
/// is the page (`&lang=en` for English), `GET /static/app.css` its stylesheet; anything else is 404.
///
/// Invariant: only a request carrying the access token printed at start sees the page (the
/// devices' names and fingerprints are staff data); the page carries counts and devices, never a
/// child, and is never cached or framed.
public enum OperatorConsole {
    /// The router for `relay`, whose replica is at `directory` (re-read on every request, as
    /// `baoxue relay status` reads it).
    public static func router(relay: Relay, directory: String, token: String, language: Language) -> Router<BasicRequestContext> {
        router(token: token, language: language) { l throws(AppError) in
            let status = try RelayCommands.status(directory: directory, language: l)
            let figures: [PublishedFiguresEntry]
            do throws(StoreError) { figures = try relay.log.publishedFigures() } catch { throw AppError.store(error) }
            return OperatorPage(snapshot: relay.snapshot(), status: status, figures: figures, language: l)
        }
    }

    /// The router for one process of a relay cluster (`relay serve --store … --console`): the shared
    /// database's status and figures (`RelayCommands.status(of:)`, read on every request) and this process's sessions.
    public static func router(cluster: ClusterRelay, token: String, language: Language) -> Router<BasicRequestContext> {
        router(token: token, language: language) { l throws(AppError) in
            let (status, figures) = try await RelayCommands.status(of: cluster, language: l)
            return OperatorPage(snapshot: cluster.snapshot(), status: status, figures: figures, language: l)
        }
    }

    private static func router(
        token: String, language: Language, page: @escaping @Sendable (Language) async throws(AppError) -> OperatorPage
    ) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/static/app.css") { _, _ in Stylesheet.response }
        router.get("/static/console.js") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: OperatorPage.script)))
        }
        router.get("/") { request, _ in
            let query = request.uri.queryParameters
            let l = query["lang"].map { $0 == "en" ? Language.en : .zh } ?? language
            guard let presented = query["token"], WebSessions.same(String(presented), token) else {
                let page = Page(
                    title: l.say(ConsoleMessages.operatorTitle), tab: nil,
                    body: "<p class=\"error\">"
                        + HTML.escape(l.say(ConsoleMessages.consoleTokenMissing)) + "</p>", language: l)
                return WebServer.secured(WebServer.html(page, status: .unauthorized))
            }
            let html: String
            do throws(AppError) {
                html = try await page(l).html
            } catch {
                let page = Page(
                    title: l.say(ConsoleMessages.operatorTitle), tab: nil,
                    body: "<p class=\"error\" role=\"alert\">" + HTML.escape(error.line(l)) + "</p>", language: l)
                return WebServer.secured(WebServer.html(page, status: .serviceUnavailable))
            }
            return WebServer.secured(
                Response(
                    status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: html))))
        }
        return router
    }
}
