import BaoxueApp
import BaoxueRecords
import Foundation
import Hummingbird

/// 缺课: the absence form, validated on the server with the same rules as `baoxue record absence`.
/// An error shows in the user's words next to its field (or above the form for a record rule) and
/// writes nothing; a resubmitted or double-tapped form writes once (its one-time nonce).
struct AbsenceForm {
    let context: WebServer.Context
    var l: Language { context.language }

    struct Values {
        var from = ""
        var to = ""
        var days = "1"
        var excused = "no"
    }

    func register(on router: Router<BasicRequestContext>) {
        let screens = Screens(context: context)
        router.get("/child/:id/absence") { request, ctx in
            if let page = try await screens.locked() { return page }
            let today = WebServer.today().description
            let csrf = await screens.csrfField(request)
            return try await form(ctx.parameters.get("id") ?? "", Values(from: today, to: today), errors: [:], csrf: csrf)
        }
        router.post("/child/:id/absence") { request, ctx in
            if let page = try await screens.locked() { return page }
            let id = ctx.parameters.get("id") ?? ""
            switch await screens.posted(request, ctx) {
            case .refused(let refused): return refused
            case .form(let posted):
                return try await submit(id, posted, csrf: await screens.csrfField(request))
            }
        }
    }

    func submit(_ id: String, _ posted: FormBody, csrf: String) async throws -> Response {
        let v = Values(from: posted["from"] ?? "", to: posted["to"] ?? "", days: posted["days"] ?? "", excused: posted["excused"] ?? "")
        var errors: [String: String] = [:]
        let from = try? SimpleDate(v.from)
        let to = try? SimpleDate(v.to)
        if from == nil { errors["from"] = l.pick("请填写开始日期，如 2026-12-02。", "enter the first day, e.g. 2026-12-02.") }
        if to == nil { errors["to"] = l.pick("请填写结束日期，如 2026-12-02。", "enter the last day, e.g. 2026-12-02.") }
        if let from, let to, to < from { errors["to"] = l.pick("结束日期不能早于开始日期。", "the last day cannot be before the first.") }
        let days = Int(v.days)
        if days == nil || !(1...60).contains(days!) { errors["days"] = l.pick("上学日天数应为 1 到 60。", "school days: 1 to 60.") }
        if !["yes", "no"].contains(v.excused) { errors["excused"] = l.pick("请选择：已请假 或 未请假。", "choose: excused or not.") }
        guard errors.isEmpty, let from, let to, let days else {
            return try await form(id, v, errors: errors, csrf: csrf, status: .unprocessableContent)
        }
        guard let nonce = posted["nonce"], await context.sessions.claim(nonce) else {
            // Sent before (a double tap, a reload): it was written once already.
            return WebServer.redirect("/child/\(id)?done=1")
        }
        do {
            _ = try await context.device.record(
                .absence(from: from, to: to, days: days, excused: v.excused == "yes"), child: id, date: nil, language: l)
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
        func choice(_ value: String, _ label: String) -> String {
            let checked = v.excused == value ? " checked" : ""
            return "<label><span><input type=\"radio\" name=\"excused\" value=\"\(value)\"\(checked)>\(HTML.escape(label))</span></label>"
        }
        let body = """
            <p>\(HTML.escape(name))</p>\(error(""))
            <form method="post" action="/child/\(id)/absence">
            <label for="from">\(HTML.escape(l.pick("第一天", "First day")))</label>
            <input type="date" id="from" name="from" value="\(HTML.escape(v.from))"\(described("from"))>\(error("from"))
            <label for="to">\(HTML.escape(l.pick("最后一天", "Last day")))</label>
            <input type="date" id="to" name="to" value="\(HTML.escape(v.to))"\(described("to"))>\(error("to"))
            <label for="days">\(HTML.escape(l.pick("上学日天数", "School days")))</label>
            <input type="number" id="days" name="days" min="1" max="60" value="\(HTML.escape(v.days))"\(described("days"))>\(error("days"))
            <fieldset><legend>\(HTML.escape(l.pick("是否请假", "Excused?")))</legend><div class="choices">
            \(choice("no", l.pick("未请假", "Unexcused")))\(choice("yes", l.pick("已请假", "Excused")))</div>\(error("excused"))</fieldset>
            <input type="hidden" name="nonce" value="\(WebSessions.randomToken())">\(csrf)
            <button type="submit">\(HTML.escape(l.pick("保存", "Save")))</button></form>
            """
        return WebServer.html(
            Page(title: l.pick("记录缺课", "Record an absence"), tab: .children, body: body, language: l, tabs: context.tabs), status: status)
    }
}
