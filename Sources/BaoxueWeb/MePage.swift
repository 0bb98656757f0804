import BaoxueApp
import Foundation
import Hummingbird

/// 我的: who this device is (its certificate's name, role and scopes, and the fingerprint to read
/// aloud when enrolling), a school admin's key status, the language, and the lock — a passphrase
/// that locks the device after it sits idle, and locking it now.
struct MePage {
    let context: WebServer.Context
    var l: Language { context.language }

    func register(on router: Router<BasicRequestContext>) {
        let screens = Screens(context: context)
        router.get("/me") { request, _ in
            if let page = try await screens.locked() { return page }
            let notice = request.uri.queryParameters["done"] != nil ? l.say(ScreenMessages.saved) : nil
            return try await page([:], notice: notice, csrf: await screens.csrfField(request))
        }
        router.post("/me/language") { request, _ in
            try await screens.withForm(request) { form in
                guard let chosen = form["language"].flatMap(Language.init(rawValue:)) else {
                    return try await page(
                        ["language": l.say(ScreenMessages.chooseEnglish)], csrf: await screens.csrfField(request))
                }
                context.languageChoice.set(chosen)
                return WebServer.redirect("/me?done=1")
            }
        }
        router.post("/me/lock-passphrase") { request, _ in
            try await screens.withForm(request) { form in
                let csrf = await screens.csrfField(request)
                guard form["passphrase"] == form["repeat"] else {
                    return try await page(["repeat": l.say(ScreenMessages.twoPassphrasesDiffer)], csrf: csrf)
                }
                do throws(AppError) { try await context.device.setLockPassphrase(form["passphrase"] ?? "") } catch {
                    return try await page(["passphrase": error.line(l)], csrf: csrf)
                }
                return WebServer.redirect("/me?done=1")
            }
        }
        router.post("/me/keys") { request, _ in
            try await screens.withForm(request) { form in
                do throws(AppError) { _ = try await context.device.grantKeys(scope: form["scope"] ?? "") } catch {
                    return try await page(["": error.line(l)], csrf: await screens.csrfField(request))
                }
                return WebServer.redirect("/me?done=1")
            }
        }
        router.post("/me/lock") { request, _ in
            try await screens.withForm(request) { _ in
                _ = try? await context.device.lockNow()
                return WebServer.redirect("/unlock")
            }
        }
    }

    func page(_ errors: [String: String], notice: String? = nil, csrf: String) async throws -> Response {
        let who = try await context.device.identity()
        let shown = FieldErrors(errors: errors)
        var body = notice.map { "<p class=\"notice\" role=\"status\">\(HTML.escape($0))</p>" } ?? ""
        body += shown.message("")
        body +=
            "<ul class=\"timeline\">"
            + who.text(l, created: false).split(separator: "\n").map { "<li>\(HTML.escape(String($0)))</li>" }.joined() + "</ul>"
        // The fingerprint as a QR code, for an admin enrolling this device to scan and compare.
        if let qr = try? QRCode(who.fingerprint) {
            let caption = HTML.escape(l.say(TrustMessages.fingerprintQRCaption, who.fingerprint))
            body += "<figure class=\"qr\">\(qr.svg(label: caption))<figcaption class=\"why\">\(caption)</figcaption></figure>"
        }
        if who.role == .schoolAdmin || who.role == .districtAdmin {
            body +=
                "<ul class=\"cards\"><li><a href=\"/devices\">" + HTML.escape(l.say(ConsoleMessages.devicesLink)) + "</a></li>"
                + "<li><a href=\"/enrollments\">" + HTML.escape(l.say(EnrollmentMessages.requestsLink)) + "</a></li></ul>"
            let keys = (try? await context.device.keyStatus()) ?? []
            body +=
                "<h2>\(HTML.escape(l.say(ScreenMessages.schoolKeys)))</h2><ul class=\"timeline\">"
                + keys.map { "<li>\(HTML.escape($0.text(l)))</li>" }.joined() + "</ul>"
            // A school not yet encrypted, or members without its key: one tap seals it to them.
            for key in keys where !key.encrypted || !key.lacking.isEmpty {
                body +=
                    "<form method=\"post\" action=\"/me/keys\"><input type=\"hidden\" name=\"scope\" value=\"\(HTML.escape(key.scope))\">"
                    + csrf + "<button type=\"submit\">"
                    + HTML.escape(l.say(ScreenMessages.giveSKeyToIts, key.scope)) + "</button></form>"
            }
        }
        body += "<h2>\(HTML.escape(l.say(ScreenMessages.language)))</h2>"
        body +=
            "<form method=\"post\" action=\"/me/language\">"
            + Control(field: "language", label: l.say(ScreenMessages.languageLabel), kind: .choice([("zh", "中文"), ("en", "English")]))
            .html(l.rawValue, shown) + csrf + "<button type=\"submit\">\(HTML.escape(l.say(ScreenMessages.save)))</button></form>"
        body += "<h2>\(HTML.escape(l.say(ScreenMessages.lock)))</h2>"
        let minutes = context.idleLimitMs / 60_000
        if await context.device.locksWhenIdle {
            body +=
                "<p>\(HTML.escape(l.say(ScreenMessages.thisDeviceLocksItselfAfter, minutes)))</p>"
                + "<form method=\"post\" action=\"/me/lock\">\(csrf)"
                + "<button type=\"submit\">\(HTML.escape(l.say(ScreenMessages.lockNow)))</button></form>"
        } else {
            body +=
                "<p>"
                + HTML.escape(
                    l.say(ScreenMessages.withPassphraseSetThisDevice, minutes))
                + "</p>"
                + "<form method=\"post\" action=\"/me/lock-passphrase\">"
                + passphraseInput("passphrase", l.say(ScreenMessages.passphraseCharactersAtLeast), shown)
                + passphraseInput("repeat", l.say(ScreenMessages.again), shown) + csrf
                + "<button type=\"submit\">\(HTML.escape(l.say(ScreenMessages.setPassphrase)))</button></form>"
        }
        return WebServer.html(Page(title: l.say(ScreenMessages.me), tab: .me, body: body, language: l, tabs: context.tabs))
    }

    func passphraseInput(_ field: String, _ label: String, _ errors: FieldErrors) -> String {
        "<label for=\"\(field)\">\(HTML.escape(label))</label><input type=\"password\" id=\"\(field)\" name=\"\(field)\" "
            + "autocomplete=\"new-password\"\(errors.described(field))>\(errors.message(field))"
    }
}
