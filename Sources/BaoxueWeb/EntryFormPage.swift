import BaoxueApp
import BaoxueRecords
import Foundation
import Hummingbird

/// Serves every `EntryForm` at `/child/<id>/<path>`: the form with what the child has open, and its
/// submission — checked by the form, then by the record rules; an error shows next to its field and
/// writes nothing; a resubmitted or double-tapped form writes once (its one-time nonce).
struct EntryFormPage {
    let context: WebServer.Context
    var l: Language { context.language }

    func register(on router: Router<BasicRequestContext>) {
        let screens = Screens(context: context)
        for entry in EntryForms.all {
            router.get("/child/:id/\(entry.path)") { request, ctx in
                if let page = try await screens.locked() { return page }
                let id = ctx.parameters.get("id") ?? ""
                guard let actions = try await actions(id) else { return notFound }
                let csrf = await screens.csrfField(request)
                let prefill = EntryForm.Prefill(today: WebServer.today().description, who: context.holder ?? "")
                return page(entry, id, actions, entry.defaults(actions, prefill), [:], csrf: csrf)
            }
            router.post("/child/:id/\(entry.path)") { request, ctx in
                try await screens.withForm(request) { form in
                    let id = ctx.parameters.get("id") ?? ""
                    guard let actions = try await actions(id) else { return notFound }
                    return await submit(entry, id, actions, form, csrf: await screens.csrfField(request))
                }
            }
        }
    }

    var notFound: Response { WebServer.problem(.notFound, l.say(EntryMessages.noSuchChild), l) }

    func actions(_ id: String) async throws -> ChildActions? {
        guard id.count == 32, id.allSatisfy(\.isHexDigit) else { return nil }
        do { return try await context.device.actions(child: id, language: l) } catch { return nil }
    }

    func submit(
        _ entry: EntryForm, _ id: String, _ actions: ChildActions, _ form: SubmittedForm, csrf: String
    ) async -> Response {
        let uploads = UploadFolder(in: context.device.directory)
        defer { uploads.remove() }
        guard let saved = uploads.save(form.files) else {
            return WebServer.problem(.internalServerError, l.say(EntryMessages.photoCouldNotBeKept), l)
        }
        let recorded: FieldEntry
        let date: SimpleDate?
        switch entry.parse(FormValues(fields: form.fields, files: saved, language: l), actions, l) {
        case .invalid(let errors): return page(entry, id, actions, form.fields, errors, csrf: csrf, status: .unprocessableContent)
        case .entry(let e, let d): (recorded, date) = (e, d)
        }
        guard let nonce = form["nonce"], await context.sessions.claim(nonce) else {
            // Sent before (a double tap, a reload): it was written once already.
            return WebServer.redirect("/child/\(id)?done=1")
        }
        do throws(AppError) {
            _ = try await context.device.record(recorded, child: id, date: date, language: l)
        } catch {
            await context.sessions.release(nonce)
            return page(entry, id, actions, form.fields, ["": error.line(l)], csrf: csrf, status: .unprocessableContent)
        }
        return WebServer.redirect("/child/\(id)?done=1")
    }

    func page(
        _ entry: EntryForm, _ id: String, _ actions: ChildActions, _ values: [String: String], _ errors: [String: String],
        csrf: String, status: HTTPResponse.Status = .ok
    ) -> Response {
        let shown = FieldErrors(errors: errors)
        var body = "<p>\(HTML.escape(actions.name))</p>"
        if let why = entry.unavailable(actions, l) {
            body +=
                "<p class=\"empty\">\(HTML.escape(why))</p>"
                + "<a class=\"button\" href=\"/child/\(id)\">\(HTML.escape(l.say(EntryMessages.back)))</a>"
        } else {
            let controls = entry.controls(actions, l).map { $0.html(values[$0.field] ?? "", shown) }.joined(separator: "\n")
            body += shown.message("")
            body +=
                "<form method=\"post\" action=\"/child/\(id)/\(entry.path)\"\(entry.hasPhoto ? " enctype=\"multipart/form-data\"" : "")>"
            body += controls + "<input type=\"hidden\" name=\"nonce\" value=\"\(WebSessions.randomToken())\">\(csrf)"
            body += "<button type=\"submit\">\(HTML.escape(l.say(EntryMessages.save)))</button></form>"
        }
        return WebServer.html(Page(title: entry.title(l), tab: .children, body: body, language: l, tabs: context.tabs), status: status)
    }
}
