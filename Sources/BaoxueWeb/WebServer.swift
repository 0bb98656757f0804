import BaoxueApp
import BaoxueRecords
import BaoxueStore
import BaoxueTrust
import Foundation
import Hummingbird
import Synchronization

/// `baoxue ui`: the field app, served from this device's own replica to its own browser
/// (issue 23). Server-rendered HTML that works without JavaScript; no network beyond the device.
///
/// Invariant: nothing but `/static/app.css` answers without a session, and a session exists only
/// after the access token printed at start was presented; every POST carries the session's CSRF
/// token; a locked device shows only the unlock page. Child data never goes in a URL (a search is
/// a POST), and no request is logged.
public enum WebServer {
    public static let cookieName = "baoxue_session"

    /// Everything a screen needs, shared by every request.
    struct Context: Sendable {
        let device: FieldDevice
        let sessions: WebSessions
        let languageChoice: LanguageChoice
        /// This device's role by its certificate (read once at start; nil on a sandbox replica).
        let role: Role?
        /// The name its certificate gives (a form's "who went" starts with it).
        let holder: String?
        let sync: SyncJob
        let idle: IdleLock
        let idleLimitMs: UInt64

        var language: Language { languageChoice.value }
        /// The bottom tabs for that role.
        var tabs: [Page.Tab] { Page.Tab.of(role) }
    }

    /// The app for the replica at `directory`: its router, admitting whoever presents `token`, and
    /// its idle lock, which the executable also checks on a timer. `relay` (HOST:PORT), when given,
    /// is the address the 同步 page offers first; `idleLockMinutes` of silence lock the device once
    /// a lock passphrase is set.
    public static func app(
        directory: String, token: String, language: Language, relay: String? = nil, idleLockMinutes: Int = 10
    ) -> FieldApp {
        let who = try? ReplicaCommands.whoami(directory: directory)
        let device = FieldDevice(directory: directory)
        let limit = UInt64(max(1, idleLockMinutes)) * 60_000
        let context = Context(
            device: device, sessions: WebSessions(token: token), languageChoice: LanguageChoice(language), role: who?.role,
            holder: who?.name,
            sync: SyncJob(peer: relay), idle: IdleLock(device: device, limitMs: limit, now: nowMs()), idleLimitMs: limit)
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: AccessGate(context: context))
        router.get("/static/app.css") { _, _ in Stylesheet.response }
        Screens(context: context).register(on: router)
        ConflictsPage(context: context).register(on: router)
        DevicesPage(context: context).register(on: router)
        EnrollmentsPage(context: context).register(on: router)
        DashboardPage(context: context).register(on: router)
        EntryFormPage(context: context).register(on: router)
        SyncPage(context: context).register(on: router)
        SurveyPage(context: context).register(on: router)
        LedgersPage(context: context).register(on: router)
        MePage(context: context).register(on: router)
        return FieldApp(router: router, idleLock: context.idle)
    }

    /// The app's router alone (tests, and a shell that needs no idle timer).
    public static func router(
        directory: String, token: String, language: Language, relay: String? = nil, idleLockMinutes: Int = 10
    ) -> Router<BasicRequestContext> {
        app(directory: directory, token: token, language: language, relay: relay, idleLockMinutes: idleLockMinutes).router
    }

    /// What an uploaded file's name becomes: its last path component, without control characters.
    public static func safeUploadName(_ raw: String) -> String { MultipartBody.safeName(raw) }

    /// A fresh access token: 64 hex digits.
    public static func newToken() -> String { WebSessions.randomToken() }

    /// `response` with the headers every page of ours carries: our own resources only, forms posted
    /// back to us only, never framed, sniffed or referred; not cached unless it says so.
    static func secured(_ response: Response) -> Response {
        var response = response
        response.headers[.contentSecurityPolicy] = "default-src 'self'; form-action 'self'; frame-ancestors 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    /// An HTML response (the security headers are the gate's to add).
    static func html(_ page: Page, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page.html)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A page saying what went wrong, in the user's words.
    static func problem(_ status: HTTPResponse.Status, _ text: String, _ l: Language) -> Response {
        html(
            Page(title: l.say(ScreenMessages.cannotOpen), tab: nil, body: "<p class=\"error\">\(HTML.escape(text))</p>", language: l),
            status: status)
    }

    static func nowMs() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }

    /// Today by this device's clock, as every command dates an entry.
    static func today() -> SimpleDate { (try? SimpleDate(unixMilliseconds: nowMs())) ?? (try! SimpleDate("2026-01-01")) }
}

/// What `baoxue ui` serves: the router, and the idle lock its executable checks on a timer.
public struct FieldApp {
    public let router: Router<BasicRequestContext>
    public let idleLock: IdleLock
}

/// The app's language, switched on 我的 for the whole device (one person uses it at a time).
final class LanguageChoice: Sendable {
    private let chosen: Mutex<Language>

    init(_ language: Language) { chosen = Mutex(language) }

    var value: Language { chosen.withLock { $0 } }
    func set(_ language: Language) { chosen.withLock { $0 = language } }
}

/// Admits requests (token → session cookie; session → everything), refuses the rest, and adds
/// the security headers to every response.
struct AccessGate: RouterMiddleware {
    typealias Context = BasicRequestContext
    let context: WebServer.Context

    func handle(
        _ request: Request, context ctx: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response
    )
        async throws -> Response
    {
        WebServer.secured(try await admit(request, ctx, next))
    }

    private func admit(
        _ request: Request, _ ctx: BasicRequestContext, _ next: (Request, BasicRequestContext) async throws -> Response
    )
        async throws -> Response
    {
        let l = context.language
        if request.uri.path == "/static/app.css" { return try await next(request, ctx) }
        if let presented = request.uri.queryParameters["token"] {
            guard request.method == .get, let session = await context.sessions.open(presented: String(presented), now: WebServer.nowMs())
            else {
                return WebServer.problem(
                    .forbidden, l.say(ScreenMessages.wrongAccessCodeOpenAddress), l)
            }
            var response = WebServer.redirect(request.uri.path)
            response.setCookie(Cookie(name: WebServer.cookieName, value: session, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        let now = WebServer.nowMs()
        guard await context.sessions.session(request.cookies[WebServer.cookieName]?.value, now: now) != nil else {
            return WebServer.problem(
                .unauthorized, l.say(ScreenMessages.openAddressBaoxueUiPrinted), l)
        }
        // Idle too long: the device locks before this request is served (and shows the unlock page).
        await context.idle.check(now: now)
        await context.idle.touch(now)
        return try await next(request, ctx)
    }
}
