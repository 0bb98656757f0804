import BaoxueApp
import BaoxueRecords
import Foundation
import Hummingbird

/// 家访: a home visit with a photo from the phone's camera (`<input type=file accept="image/*"
/// capture>`), validated on the server with the same rules as `baoxue record visit`. In an
/// encrypted school the photo travels sealed with the record (privacy.md §3.6). The upload is
/// written to a 0600 file under the replica folder only for the record to read it, and removed.
struct VisitForm {
    let context: WebServer.Context
    var l: Language { context.language }

    struct Values {
        var date = ""
        var with = ""
        var spokeTo = ""
        var agreed = ""
        var seen = "yes"
        var found = "yes"
        var next = ""
    }

    func register(on router: Router<BasicRequestContext>) {
        let screens = Screens(context: context)
        router.get("/child/:id/visit") { request, ctx in
            if let page = try await screens.locked() { return page }
            let csrf = await screens.csrfField(request)
            return try await form(
                ctx.parameters.get("id") ?? "", Values(date: WebServer.today().description, with: context.holder ?? ""), errors: [:],
                csrf: csrf)
        }
        router.post("/child/:id/visit") { request, ctx in
            if let page = try await screens.locked() { return page }
            let id = ctx.parameters.get("id") ?? ""
            switch await screens.postedWithFiles(request, ctx) {
            case .refused(let refused): return refused
            case .form(let posted): return try await submit(id, posted, csrf: await screens.csrfField(request))
            }
        }
    }

    func submit(_ id: String, _ posted: MultipartBody, csrf: String) async throws -> Response {
        var v = Values()
        v.date = posted["date"] ?? ""
        v.with = (posted["with"] ?? "").trimmingCharacters(in: .whitespaces)
        v.spokeTo = posted["spokeTo"] ?? ""
        v.agreed = posted["agreed"] ?? ""
        v.seen = posted["seen"] ?? ""
        v.found = posted["found"] ?? ""
        v.next = posted["next"] ?? ""
        var errors: [String: String] = [:]
        let date = try? SimpleDate(v.date)
        if date == nil { errors["date"] = l.pick("请填写家访日期，如 2026-12-02。", "enter the visit's date, e.g. 2026-12-02.") }
        if v.with.isEmpty { errors["with"] = l.pick("请填写参加家访的人。", "enter who went.") }
        let next = v.next.isEmpty ? nil : try? SimpleDate(v.next)
        if !v.next.isEmpty, next == nil { errors["next"] = l.pick("下次联系日期格式不对，如 2026-12-09。", "next contact: a date such as 2026-12-09.") }
        for (field, value) in [("seen", v.seen), ("found", v.found)] where !["yes", "no"].contains(value) {
            errors[field] = l.pick("请选择：是 或 否。", "choose yes or no.")
        }
        guard errors.isEmpty, let date else { return try await form(id, v, errors: errors, csrf: csrf, status: .unprocessableContent) }
        guard let nonce = posted["nonce"], await context.sessions.claim(nonce) else { return WebServer.redirect("/child/\(id)?done=1") }
        // The photo, if any, in a private folder of the replica for the record to read, then gone.
        let uploads = UploadFolder(in: context.device.directory)
        defer { uploads.remove() }
        guard let saved = uploads.save(posted.allFiles.filter { $0.field == "photo" }) else {
            await context.sessions.release(nonce)
            return WebServer.problem(.internalServerError, l.pick("无法保存照片，请重试。", "the photo could not be kept: try again."), l)
        }
        let paths = saved["photo"] ?? []
        let visit = Visit(
            participants: v.with.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" }).map {
                $0.trimmingCharacters(in: .whitespaces)
            },
            householdFound: v.found == "yes", childSeen: v.seen == "yes", spokeTo: v.spokeTo, agreed: v.agreed, nextContact: next)
        do {
            _ = try await context.device.record(.visit(visit, attachments: paths), child: id, date: date, language: l)
        } catch {
            await context.sessions.release(nonce)
            return try await form(id, v, errors: ["": error.line(l)], csrf: csrf, status: .unprocessableContent)
        }
        return WebServer.redirect("/child/\(id)?done=1")
    }

    func form(
        _ id: String, _ v: Values, errors: [String: String], csrf: String, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard id.count == 32, id.allSatisfy(\.isHexDigit) else {
            return WebServer.problem(.notFound, l.pick("找不到这个儿童。", "no such child."), l)
        }
        let name = try await context.device.childFile(id, language: l).card.fields["name"] ?? ""
        let shown = FieldErrors(errors: errors)
        func error(_ field: String) -> String { shown.message(field) }
        func described(_ field: String) -> String { shown.described(field) }
        func text(_ field: String, _ label: String, _ value: String, type: String = "text") -> String {
            "<label for=\"\(field)\">\(HTML.escape(label))</label><input type=\"\(type)\" id=\"\(field)\" name=\"\(field)\" "
                + "value=\"\(HTML.escape(value))\"\(described(field))>\(error(field))"
        }
        func yesNo(_ field: String, _ legend: String, _ value: String) -> String {
            let options = [("yes", l.pick("是", "Yes")), ("no", l.pick("否", "No"))].map { option in
                let checked = value == option.0 ? " checked" : ""
                return
                    "<label><span><input type=\"radio\" name=\"\(field)\" value=\"\(option.0)\"\(checked)>"
                    + "\(HTML.escape(option.1))</span></label>"
            }
            return
                "<fieldset><legend>\(HTML.escape(legend))</legend>"
                + "<div class=\"choices\">\(options.joined())</div>\(error(field))</fieldset>"
        }
        let body = """
            <p>\(HTML.escape(name))</p>\(error(""))
            <form method="post" action="/child/\(id)/visit" enctype="multipart/form-data">
            \(text("date", l.pick("家访日期", "Date"), v.date, type: "date"))
            \(text("with", l.pick("参加人员（逗号分隔）", "Who went (comma-separated)"), v.with))
            \(yesNo("found", l.pick("找到住户", "Household found"), v.found))
            \(yesNo("seen", l.pick("见到儿童", "Child seen"), v.seen))
            \(text("spokeTo", l.pick("谈话对象（如 母亲）", "Spoke to (e.g. mother)"), v.spokeTo))
            \(text("agreed", l.pick("商定事项", "What was agreed"), v.agreed))
            \(text("next", l.pick("下次联系日期（可不填）", "Next contact (optional)"), v.next, type: "date"))
            <label for="photo">\(HTML.escape(l.pick("照片（可不填，最多 3 张，每张最多 8 MB）", "Photos (optional, 3 at most, 8 MB each)")))</label>
            <input type="file" id="photo" name="photo" accept="image/*" capture="environment" multiple>
            <input type="hidden" name="nonce" value="\(WebSessions.randomToken())">\(csrf)
            <button type="submit">\(HTML.escape(l.pick("保存", "Save")))</button></form>
            """
        return WebServer.html(
            Page(title: l.pick("记录家访", "Record a visit"), tab: .children, body: body, language: l, tabs: context.tabs), status: status)
    }
}
