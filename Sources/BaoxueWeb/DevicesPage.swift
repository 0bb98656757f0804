import BaoxueApp
import Foundation
import Hummingbird

/// 本区设备 (an admin's console, issue 24 §2): every device of the district with its holder, role,
/// scopes, certificate expiry, revocation and its newest change here; the alerts with what to do;
/// and, on the device that keeps the authority key, revoking a lost phone: one confirmation with
/// a reason and the key's passphrase, then the revocation is published and the keys it held rotate.
struct DevicesPage {
    let context: WebServer.Context
    var l: Language { context.language }
    private var isAdmin: Bool { context.role == .schoolAdmin || context.role == .districtAdmin }

    func register(on router: Router<BasicRequestContext>) {
        let screens = Screens(context: context)
        router.get("/devices") { request, _ in
            if let page = try await screens.locked() { return page }
            guard isAdmin else { return WebServer.problem(.forbidden, l.say(ConsoleMessages.onlyAdmins), l) }
            let query = request.uri.queryParameters
            let notice = query["revoked"].map { name in
                l.say(ConsoleMessages.revokedNotice, String(name))
                    + (query["rotated"].map { $0.isEmpty ? "" : l.say(ConsoleMessages.keysRotated, String($0)) } ?? "")
            }
            return try await list(notice: notice)
        }
        router.get("/devices/revoke") { request, _ in
            if let page = try await screens.locked() { return page }
            guard isAdmin else { return WebServer.problem(.forbidden, l.say(ConsoleMessages.onlyAdmins), l) }
            return try await confirm(
                device: request.uri.queryParameters["device"].map(String.init) ?? "", [:], csrf: await screens.csrfField(request))
        }
        router.post("/devices/revoke") { request, _ in
            try await screens.withForm(request) { form in
                guard isAdmin else { return WebServer.problem(.forbidden, l.say(ConsoleMessages.onlyAdmins), l) }
                let csrf = await screens.csrfField(request)
                let device = form["device"] ?? ""
                let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard !reason.isEmpty, reason.utf8.count <= 128 else {
                    return try await confirm(device: device, ["reason": l.say(ConsoleMessages.reasonRequired)], csrf: csrf, reason: reason)
                }
                guard let nonce = form["nonce"], await context.sessions.claim(nonce) else { return WebServer.redirect("/devices") }
                let name = try await context.device.devices(language: l).rows.first { $0.key == device }?.name ?? device
                let rotated: [String]
                do throws(AppError) {
                    rotated = try await context.device.revoke(device: device, reason: reason, passphrase: form["passphrase"] ?? "")
                } catch {
                    await context.sessions.release(nonce)
                    return try await confirm(
                        device: device, ["passphrase": error.line(l)], csrf: csrf, reason: reason, status: .unprocessableContent)
                }
                let query = "revoked=" + escaped(name) + "&rotated=" + escaped(l.list(rotated))
                return WebServer.redirect("/devices?" + query)
            }
        }
    }

    private func escaped(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    func list(notice: String?) async throws -> Response {
        // With a relay, each device's last session there and how far behind it is (sync.md §3.1 STATUS).
        let relay = await context.sync.lastPeer
        let view: DevicesView
        if let relay {
            view = try await context.device.devices(language: l, relay: relay)
        } else {
            view = try await context.device.devices(language: l)
        }
        var body = notice.map { "<p class=\"notice\" role=\"status\">\(HTML.escape($0))</p>" } ?? ""
        body +=
            "<h2>\(HTML.escape(l.say(ConsoleMessages.alertsHeading)))</h2><ul class=\"timeline\">"
            + view.alerts.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
        body += "<h2>\(HTML.escape(l.say(ConsoleMessages.devicesHeading)))</h2>"
        if let problem = view.relayProblem {
            body += "<p class=\"error\" role=\"alert\">\(HTML.escape(l.say(ConsoleMessages.relayNotAsked, problem)))</p>"
        }
        if !view.canRevoke { body += "<p class=\"why\">\(HTML.escape(l.say(ConsoleMessages.cannotRevokeHere)))</p>" }
        body += "<ul class=\"devices\">" + view.rows.map { card($0, canRevoke: view.canRevoke) }.joined() + "</ul>"
        return WebServer.html(Page(title: l.say(ConsoleMessages.devicesTitle), tab: .me, body: body, language: l, tabs: context.tabs))
    }

    private func card(_ d: DevicesView.Row, canRevoke: Bool) -> String {
        var facts = [l.say(ConsoleMessages.scopesLine, l.list(d.scopes))]
        if let revoked = d.revokedOn {
            facts.append(l.say(ConsoleMessages.revokedOn, revoked, d.revocationReason ?? ""))
        } else if d.expired {
            facts.append(l.say(ConsoleMessages.certificateExpired, d.validUntil))
        } else if d.expiresSoon {
            facts.append(l.say(ConsoleMessages.certificateExpiresSoon, d.validUntil))
        } else {
            facts.append(l.say(ConsoleMessages.certificateUntil, d.validUntil))
        }
        facts.append(
            d.lastChange.map { l.say(ConsoleMessages.lastChangeHere, $0, d.changes) } ?? l.say(ConsoleMessages.noChangeHere))
        if let atRelay = d.atRelay { facts.append(atRelay) }
        let warn = d.revokedOn != nil || d.expired || d.equivocating
        var html = "<li><strong>\(HTML.escape(d.name + "（" + d.role + "）"))</strong>"
        html += d.isThisDevice ? HTML.escape(l.say(ConsoleMessages.thisDevice)) : ""
        html += d.equivocating ? HTML.escape(l.say(ConsoleMessages.equivocatingDevice)) : ""
        html += "<br><code>\(HTML.escape(d.fingerprint))</code>"
        html += facts.enumerated().map { i, f in
            "<span class=\"\(warn && i == 1 ? "error" : "why")\">\(HTML.escape(f))</span>"
        }.joined()
        if canRevoke, d.revokedOn == nil, !d.isThisDevice {
            html +=
                "<a class=\"button secondary\" href=\"/devices/revoke?device=\(d.key)\">"
                + HTML.escape(l.say(ConsoleMessages.revokeButton)) + "</a>"
        }
        return html + "</li>"
    }

    func confirm(
        device: String, _ errors: [String: String], csrf: String, reason: String = "", status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let view = try await context.device.devices(language: l)
        guard let d = view.rows.first(where: { $0.key == device }), d.revokedOn == nil, !d.isThisDevice else {
            return WebServer.problem(.notFound, l.say(ConsoleMessages.unknownDevice), l)
        }
        let shown = FieldErrors(errors: errors)
        var body = "<p><strong>\(HTML.escape(d.name + "（" + d.role + "）"))</strong><br><code>\(HTML.escape(d.fingerprint))</code></p>"
        body += "<p>\(HTML.escape(l.say(ConsoleMessages.revokeExplain)))</p>"
        if !view.canRevoke { body += "<p class=\"error\">\(HTML.escape(l.say(ConsoleMessages.cannotRevokeHere)))</p>" }
        body += """
            <form method="post" action="/devices/revoke">\(csrf)
            <input type="hidden" name="device" value="\(HTML.escape(d.key))">
            <input type="hidden" name="nonce" value="\(WebSessions.randomToken())">
            <label for="reason">\(HTML.escape(l.say(ConsoleMessages.reasonLabel)))</label>
            <input type="text" id="reason" name="reason" value="\(HTML.escape(reason))" maxlength="40" required\
            \(shown.described("reason"))>\(shown.message("reason"))
            <label for="passphrase">\(HTML.escape(l.say(ConsoleMessages.authorityPassphrase)))</label>
            <input type="password" id="passphrase" name="passphrase" autocomplete="new-password" required\(shown.described("passphrase"))>\
            \(shown.message("passphrase"))
            <button type="submit" class="danger">\(HTML.escape(l.say(ConsoleMessages.confirmRevoke)))</button></form>
            """
        return WebServer.html(
            Page(title: l.say(ConsoleMessages.revokeTitle), tab: .me, body: body, language: l, tabs: context.tabs), status: status)
    }
}
