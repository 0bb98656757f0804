import BaoxueApp
import Foundation
import Hummingbird

/// 入网申请 (issue 24 §1): the requests new devices left at the relay's desk, those within this admin's
/// scopes; each shows who asks, for which role and scopes, and the fingerprint to compare with the
/// phone's screen. Approving (on the device holding the township's delegation) signs a certificate the
/// device collects at its next sync; rejecting tells it why. Each decision is one form, sent once.
struct EnrollmentsPage {
    let context: WebServer.Context
    var l: Language { context.language }
    private var isAdmin: Bool { context.role == .schoolAdmin || context.role == .districtAdmin }

    func register(on router: Router<BasicRequestContext>) {
        let screens = Screens(context: context)
        router.get("/enrollments") { request, _ in
            if let page = try await screens.locked() { return page }
            guard isAdmin else { return WebServer.problem(.forbidden, l.say(EnrollmentMessages.deskNotAdmin), l) }
            let query = request.uri.queryParameters
            let notice =
                query["approved"].map { l.say(EnrollmentMessages.approvedNotice, String($0)) }
                ?? query["rejected"].map { l.say(EnrollmentMessages.rejectedNotice, String($0)) }
            return try await list(notice: notice, problem: nil, csrf: await screens.csrfField(request))
        }
        router.post("/enrollments/decide") { request, _ in
            try await screens.withForm(request) { form in
                guard isAdmin else { return WebServer.problem(.forbidden, l.say(EnrollmentMessages.deskNotAdmin), l) }
                let csrf = await screens.csrfField(request)
                guard let relay = await context.sync.lastPeer else {
                    return try await list(notice: nil, problem: l.say(EnrollmentMessages.noRelayConfigured), csrf: csrf)
                }
                let subject = form["device"] ?? ""
                let name = form["name"] ?? subject
                let approving = form["decision"] == "approve"
                guard let nonce = form["nonce"], await context.sessions.claim(nonce) else { return WebServer.redirect("/enrollments") }
                do throws(AppError) {
                    if approving {
                        guard let days = Int(form["days"] ?? ""), (1...3_660).contains(days) else {
                            throw .valueOutOfRange(option: "days", value: Int(form["days"] ?? "") ?? 0, allowed: 1...3_660)
                        }
                        _ = try await context.device.approveEnrollment(relay: relay, subject: subject, days: days)
                    } else {
                        _ = try await context.device.rejectEnrollment(relay: relay, subject: subject, reason: form["reason"] ?? "")
                    }
                } catch {
                    await context.sessions.release(nonce)
                    return try await list(notice: nil, problem: error.line(l), csrf: csrf, status: .unprocessableContent)
                }
                return WebServer.redirect("/enrollments?" + (approving ? "approved=" : "rejected=") + escaped(name))
            }
        }
    }

    private func escaped(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    func list(notice: String?, problem: String?, csrf: String, status: HTTPResponse.Status = .ok) async throws -> Response {
        var body = notice.map { "<p class=\"notice\" role=\"status\">\(HTML.escape($0))</p>" } ?? ""
        body += problem.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? ""
        body += "<p class=\"why\">\(HTML.escape(l.say(EnrollmentMessages.requestsExplain)))</p>"
        guard let relay = await context.sync.lastPeer else {
            body += "<p class=\"error\">\(HTML.escape(l.say(EnrollmentMessages.noRelayConfigured)))</p>"
            return page(body, status)
        }
        let waiting: [RelayEnrollment.WaitingRequest]
        do throws(AppError) { waiting = try await context.device.enrollmentRequests(relay: relay) } catch {
            body += "<p class=\"error\" role=\"alert\">\(HTML.escape(error.line(l)))</p>"
            return page(body, status)
        }
        let canApprove = (try? await context.device.holdsDelegation()) ?? false
        if !canApprove { body += "<p class=\"why\">\(HTML.escape(l.say(EnrollmentMessages.cannotApproveHere)))</p>" }
        if waiting.isEmpty { body += "<p>\(HTML.escape(l.say(EnrollmentMessages.noRequests)))</p>" }
        body +=
            "<ul class=\"devices\">" + waiting.enumerated().map { card($1, index: $0, canApprove: canApprove, csrf: csrf) }.joined()
            + "</ul>"
        return page(body, status)
    }

    private func page(_ body: String, _ status: HTTPResponse.Status) -> Response {
        WebServer.html(
            Page(title: l.say(EnrollmentMessages.requestsTitle), tab: .me, body: body, language: l, tabs: context.tabs), status: status)
    }

    private func card(_ w: RelayEnrollment.WaitingRequest, index i: Int, canApprove: Bool, csrf: String) -> String {
        let r = w.request
        let format = DateFormatter()
        format.dateFormat = "yyyy-MM-dd HH:mm"
        let when = format.string(from: Date(timeIntervalSince1970: Double(w.receivedAt) / 1000))
        let role = l == .zh ? r.role.chinese : r.role.english
        var html = "<li><strong>\(HTML.escape(r.name + "（" + role + "）"))</strong>"
        html += "<span class=\"why\">\(HTML.escape(l.say(ConsoleMessages.scopesLine, l.list(r.scopes.map(\.value)))))</span>"
        html +=
            "<span>\(HTML.escape(l.say(EnrollmentMessages.compareFingerprint)))："
            + "<code class=\"fingerprint\">\(HTML.escape(w.fingerprint))</code></span>"
        html += "<span class=\"why\">\(HTML.escape(l.say(EnrollmentMessages.requestReceived, when)))</span>"
        let hidden =
            csrf + "<input type=\"hidden\" name=\"device\" value=\"\(r.subject.hex)\">"
            + "<input type=\"hidden\" name=\"name\" value=\"\(HTML.escape(r.name))\">"
            + "<input type=\"hidden\" name=\"nonce\" value=\"\(WebSessions.randomToken())\">"
        if canApprove {
            html += """
                <form method="post" action="/enrollments/decide">\(hidden)<input type="hidden" name="decision" value="approve">
                <label for="days-\(i)">\(HTML.escape(l.say(EnrollmentMessages.validDaysLabel)))</label>
                <input type="number" id="days-\(i)" name="days" value="365" min="1" max="3660" required>
                <button type="submit">\(HTML.escape(l.say(EnrollmentMessages.approveButton, r.name)))</button></form>
                """
        }
        html += """
            <form method="post" action="/enrollments/decide">\(hidden)<input type="hidden" name="decision" value="reject">
            <label for="reason-\(i)">\(HTML.escape(l.say(EnrollmentMessages.rejectReasonLabel)))</label>
            <input type="text" id="reason-\(i)" name="reason" maxlength="200" required>
            <button type="submit" class="secondary">\(HTML.escape(l.say(EnrollmentMessages.rejectButton, r.name)))</button></form>
            """
        return html + "</li>"
    }
}
