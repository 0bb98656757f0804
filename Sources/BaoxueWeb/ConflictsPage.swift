import BaoxueApp
import Foundation
import Hummingbird

/// 冲突: every field two people changed concurrently, both values with who wrote each; one tap
/// on the right value settles it (UI.md). The choice names the value by its position and text, so
/// a list that changed meanwhile (a sync) is refused and shown again rather than guessed.
struct ConflictsPage {
    let context: WebServer.Context
    var l: Language { context.language }

    func register(on router: Router<BasicRequestContext>) {
        let screens = Screens(context: context)
        router.get("/conflicts") { request, _ in
            if let page = try await screens.locked() { return page }
            let done = request.uri.queryParameters["done"] != nil
            return try await page(notice: done ? l.say(ChildMessages.settled) : nil, csrf: await screens.csrfField(request))
        }
        router.post("/conflicts") { request, _ in
            try await screens.withForm(request) { form in
                let csrf = await screens.csrfField(request)
                guard let child = form["child"], let field = form["field"], let choice = form["choice"].flatMap(Int.init),
                    let shown = form["shown"], let nonce = form["nonce"]
                else { return WebServer.problem(.badRequest, l.say(ChildMessages.formIsIncomplete), l) }
                guard await context.sessions.claim(nonce) else { return WebServer.redirect("/conflicts?done=1") }
                do throws(AppError) {
                    _ = try await context.device.settle(child: child, field: field, choice: choice, shown: shown, language: l)
                } catch {
                    await context.sessions.release(nonce)
                    return try await page(notice: nil, error: error.line(l), csrf: csrf, status: .conflict)
                }
                return WebServer.redirect("/conflicts?done=1")
            }
        }
    }

    func page(notice: String?, error: String? = nil, csrf: String, status: HTTPResponse.Status = .ok) async throws -> Response {
        let conflicts = try await context.device.conflicts(language: l)
        var body = notice.map { "<p class=\"notice\" role=\"status\">\(HTML.escape($0))</p>" } ?? ""
        body += error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? ""
        if conflicts.isEmpty { body += "<p class=\"empty\">\(HTML.escape(l.say(ChildMessages.nothingToSettle)))</p>" }
        for c in conflicts {
            body += "<h2>\(HTML.escape(c.name))：\(HTML.escape(l.fieldName(c.field)))</h2>"
            body += "<p>\(HTML.escape(l.say(ChildMessages.twoPeopleChangedThisAt)))</p>"
            for (i, v) in c.values.enumerated() {
                body += """
                    <form method="post" action="/conflicts"><p>\(HTML.escape(v.value))
                    <span class="why">\(HTML.escape(l.say(ChildMessages.by)))\(HTML.escape(v.author))</span></p>
                    <input type="hidden" name="child" value="\(HTML.escape(c.child))">
                    <input type="hidden" name="field" value="\(HTML.escape(c.field))">
                    <input type="hidden" name="choice" value="\(i)"><input type="hidden" name="shown" value="\(HTML.escape(v.value))">
                    <input type="hidden" name="nonce" value="\(WebSessions.randomToken())">\(csrf)
                    <button type="submit">\(HTML.escape(l.say(ChildMessages.thisOneIsRight)))</button></form>
                    """
            }
        }
        return WebServer.html(
            Page(title: l.say(ChildMessages.conflicts), tab: .today, body: body, language: l, tabs: context.tabs), status: status)
    }
}
