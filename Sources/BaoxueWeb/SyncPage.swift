import BaoxueApp
import Foundation
import Hummingbird

/// 同步: sync with the township relay or a colleague's device (its address), a progress bar while it
/// runs, the summary after, and how much of this device's work has not reached a relay yet.
/// Without script the page reloads itself each second while syncing; `/static/sync.js` instead
/// polls `/sync/progress` every 300 ms and moves the bar in place.
struct SyncPage {
    let context: WebServer.Context
    var l: Language { context.language }

    func register(on router: Router<BasicRequestContext>) {
        let screens = Screens(context: context)
        router.get("/sync") { request, _ in
            if let page = try await screens.locked() { return page }
            return try await page(csrf: await screens.csrfField(request), error: nil)
        }
        router.post("/sync") { request, _ in
            try await screens.withForm(request) { form in
                let peer = (form["peer"] ?? "").trimmingCharacters(in: .whitespaces)
                guard (try? SyncCommands.address(peer, option: "peer")) != nil else {
                    let error = l.say(SyncMessages.addressMustBeHostPort)
                    return try await page(csrf: await screens.csrfField(request), error: error, peer: peer, status: .unprocessableContent)
                }
                // A second tap while syncing starts nothing more.
                _ = await context.sync.start(context.device, peer: peer, language: l)
                return WebServer.redirect("/sync")
            }
        }
        router.get("/sync/progress") { _, _ in
            if await context.device.isLocked { return Response(status: .forbidden) }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: progressJSON(await context.sync.state))))
        }
        router.get("/static/sync.js") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Self.script)))
        }
    }

    /// `{"running":true,"percent":40,"text":"收 30/80 条，…"}`; percent is null while reconciling.
    func progressJSON(_ state: SyncJob.State) -> String {
        struct Body: Encodable {
            let running: Bool
            let percent: Int?
            let text: String
        }
        let body: Body
        switch state {
        case .running(_, let p):
            body = Body(
                running: true, percent: p?.percent,
                text: p?.text(l) ?? l.say(SyncMessages.connecting))
        default: body = Body(running: false, percent: nil, text: "")
        }
        return String(decoding: (try? JSONEncoder().encode(body)) ?? Data("{}".utf8), as: UTF8.self)
    }

    func page(csrf: String, error: String?, peer: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let state = await context.sync.state
        let last = await context.sync.lastPeer
        let address = peer ?? last ?? ""
        var body = ""
        var running = false
        switch state {
        case .idle: break
        case .running(let to, let p):
            running = true
            let percent = p?.percent
            body += "<h2>\(HTML.escape(l.say(SyncMessages.syncingWith, to)))</h2>"
            body +=
                "<progress id=\"sync-bar\" max=\"100\"\(percent.map { " value=\"\($0)\"" } ?? "") "
                + "aria-label=\"\(HTML.escape(l.say(SyncMessages.syncProgress)))\"></progress>"
            body +=
                "<p id=\"sync-text\" role=\"status\" aria-live=\"polite\">"
                + HTML.escape(p?.text(l) ?? l.say(SyncMessages.connecting)) + "</p>"
        case .finished(let to, let view):
            body += "<div class=\"notice\" role=\"status\"><p>\(HTML.escape(l.say(SyncMessages.syncedWith, to)))</p>"
            body += view.text(l).split(separator: "\n").map { "<p>\(HTML.escape(String($0)))</p>" }.joined() + "</div>"
        case .failed(let to, let message):
            body +=
                "<p class=\"error\" role=\"alert\">\(HTML.escape(l.say(SyncMessages.syncWithDidNotFinish, to)))"
                + "\(HTML.escape(message))</p>"
        }
        if let n = try? await context.device.notAtRelay() {
            body +=
                n == 0
                ? "<p>\(HTML.escape(l.say(SyncMessages.everythingRecordedHereHasReached)))</p>"
                : "<p><strong>"
                    + HTML.escape(
                        l.say(SyncMessages.changesRecordedHereHaveNo, n))
                    + "</strong></p>"
        }
        if !running {
            let errors = FieldErrors(errors: error.map { ["peer": $0] } ?? [:])
            body += """
                <form method="post" action="/sync">
                <label for="peer">\(HTML.escape(l.say(SyncMessages.addressOfTownshipRelayOr)))</label>
                <input type="text" id="peer" name="peer" value="\(HTML.escape(address))" inputmode="url" autocomplete="off"
                \(errors.described("peer"))>
                \(errors.message("peer"))\(csrf)
                <button type="submit">\(HTML.escape(l.say(SyncMessages.syncNow)))</button></form>
                """
        }
        var page = Page(title: l.say(SyncMessages.sync), tab: .sync, body: body, language: l, tabs: context.tabs)
        if running {
            page.script = "sync"
            page.refreshSeconds = 1
        }
        return WebServer.html(page, status: status)
    }

    /// Moves the bar in place while a sync runs; reloads the page once it ends.
    static let script = """
        (function () {
          var bar = document.getElementById('sync-bar'), text = document.getElementById('sync-text');
          if (!bar) return;
          function poll() {
            fetch('/sync/progress', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (s) {
              if (!s.running) { location.replace('/sync'); return; }
              if (typeof s.percent === 'number') bar.value = s.percent;
              text.textContent = s.text;
              setTimeout(poll, 300);
            }).catch(function () { setTimeout(poll, 1000); });
          }
          setTimeout(poll, 300);
        })();
        """
}
