import BaoxueApp
import BaoxueRecords
import BaoxueStore
import BaoxueTrust
import Foundation
import Hummingbird

/// A POST's body once admitted: its fields and, sent as `multipart/form-data`, its files.
struct SubmittedForm {
    let fields: [String: String]
    let files: [(field: String, file: MultipartBody.File)]

    subscript(_ name: String) -> String? { fields[name] }
}

/// A POST's body once admitted, or the response refusing it.
enum Posted {
    case form(SubmittedForm)
    case refused(Response)
}

/// The read screens — 今日, 儿童 (list, search, a child's file), 我的 — and the unlock page.
/// Each reads through the same `ReplicaCommands` the CLI uses, so both show the same facts.
struct Screens {
    static let listLimit = 300
    static let sectionLimit = 50
    let context: WebServer.Context
    var l: Language { context.language }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in
            if let page = try await locked() { return page }
            // A role whose work starts elsewhere (a liaison's sweep) lands on its first tab.
            if let first = context.tabs.first, first != .today { return WebServer.redirect(first.rawValue) }
            return try await today()
        }
        router.get("/children") { request, _ in
            if let page = try await locked() { return page }
            return try await children(search: nil, csrf: await csrfField(request))
        }
        router.post("/children") { request, _ in
            try await withForm(request) { form in try await children(search: form["q"] ?? "", csrf: await csrfField(request)) }
        }
        router.get("/child/:id") { request, ctx in
            if let page = try await locked() { return page }
            let done = request.uri.queryParameters["done"] != nil
            return try await child(ctx.parameters.get("id") ?? "", notice: done ? l.say(ScreenMessages.recorded) : nil)
        }
        router.get("/child/:id/photo/:photo") { _, ctx in
            if let page = try await locked() { return page }
            let (id, photo) = (ctx.parameters.get("id") ?? "", ctx.parameters.get("photo") ?? "")
            guard id.count == 32, id.allSatisfy(\.isHexDigit), let found = try? await context.device.photo(child: id, id: photo) else {
                return WebServer.problem(.notFound, l.say(ScreenMessages.noSuchPhoto), l)
            }
            // Sniffed as an image only (nosniff), shown inline, never cached beyond this session.
            let lower = found.name.lowercased()
            let type = lower.hasSuffix(".png") ? "image/png" : lower.hasSuffix(".webp") ? "image/webp" : "image/jpeg"
            return Response(
                status: .ok, headers: [.contentType: type, .contentDisposition: "inline"],
                body: .init(byteBuffer: ByteBuffer(bytes: found.bytes)))
        }
        router.get("/unlock") { request, _ in unlockPage(error: nil, csrf: await csrfField(request)) }
        router.post("/unlock") { request, _ in
            try await withForm(request, whileLocked: true) { form in
                let csrf = await csrfField(request)
                do throws(AppError) {
                    _ = try await context.device.unlock(passphrase: form["passphrase"] ?? "")
                    return WebServer.redirect("/")
                } catch { return unlockPage(error: error.line(l), csrf: csrf) }
            }
        }
    }

    /// A locked device shows only the unlock page.
    func locked() async throws -> Response? {
        await context.device.isLocked ? WebServer.redirect("/unlock") : nil
    }

    /// The body of a POST, refused as a whole when too big (413), not a well-formed form or
    /// multipart body (400), with too many or too large files (413), or without this session's CSRF
    /// token (403). Nothing is written before this passes.
    func posted(_ request: Request) async -> Posted {
        let l = self.l
        func refuse(_ status: HTTPResponse.Status, _ why: ScreenMessages) -> Posted {
            .refused(WebServer.problem(status, l.say(why), l))
        }
        guard let csrf = await context.sessions.session(request.cookies[WebServer.cookieName]?.value, now: WebServer.nowMs()) else {
            return refuse(.unauthorized, .sessionEnded)
        }
        let boundary = MultipartBody.boundary(ofContentType: request.headers[.contentType])
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: boundary == nil ? FormBody.maxBytes : MultipartBody.maxBytes) } catch {
            return boundary == nil ? refuse(.contentTooLarge, .bodyTooLarge) : tooLarge
        }
        let bytes = Array(buffer.readableBytesView)
        let form: SubmittedForm
        if let boundary {
            guard let body = MultipartBody(bytes, boundary: boundary) else { return unreadable }
            guard body.allFiles.count <= MultipartBody.maxFiles,
                body.allFiles.allSatisfy({ $0.file.bytes.count <= MultipartBody.maxFileBytes })
            else { return tooLarge }
            form = SubmittedForm(fields: body.fields, files: body.allFiles)
        } else {
            guard let body = FormBody(bytes) else { return unreadable }
            form = SubmittedForm(fields: body.fields, files: [])
        }
        guard let sent = form["csrf"], WebSessions.same(sent, csrf) else {
            return refuse(.forbidden, .formExpired)
        }
        return .form(form)
    }

    /// Runs `body` on a POST's form once admitted (`posted`) — on an unlocked device unless
    /// `whileLocked` (the unlock page's own form); otherwise answers with the unlock page or the refusal.
    func withForm(
        _ request: Request, whileLocked: Bool = false, _ body: (SubmittedForm) async throws -> Response
    ) async throws -> Response {
        if !whileLocked, let page = try await locked() { return page }
        switch await posted(request) {
        case .refused(let refused): return refused
        case .form(let form): return try await body(form)
        }
    }

    private var unreadable: Posted {
        .refused(WebServer.problem(.badRequest, l.say(ScreenMessages.formCouldNotBeRead), l))
    }

    private var tooLarge: Posted {
        .refused(
            WebServer.problem(
                .contentTooLarge, l.say(ScreenMessages.tooManyOrTooLarge), l))
    }

    func csrfField(_ request: Request) async -> String {
        let csrf = await context.sessions.session(request.cookies[WebServer.cookieName]?.value, now: WebServer.nowMs()) ?? ""
        return "<input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\">"
    }

    func today() async throws -> Response {
        let view = try await context.device.today()
        let conflicts = try await context.device.conflicts(language: l)
        /// Each child opens the form its item calls for, prefilled (today's date, the one open case, who went).
        func section(_ title: String, _ items: [TodayView.Item], form: String, _ why: (TodayView.Item) -> String) -> String {
            // A district's list runs to thousands: the first ones here, the rest a search away.
            let cards = items.prefix(Self.sectionLimit).map { i in
                "<li><a href=\"/child/\(HTML.escape(i.child))/\(form)\">\(HTML.escape(i.name))"
                    + "<span class=\"why\">\(HTML.escape(why(i)))</span></a></li>"
            }.joined()
            let rest = items.count - Self.sectionLimit
            let more =
                rest > 0
                ? "<p>\(HTML.escape(l.say(ScreenMessages.moreNotListedSearchUnder, rest)))</p>" : ""
            return "<h2>\(HTML.escape(title))（\(items.count)）</h2>"
                + (items.isEmpty
                    ? "<p class=\"empty\">\(HTML.escape(l.say(ScreenMessages.none)))</p>" : "<ul class=\"cards\">\(cards)</ul>")
                + more
        }
        let settle =
            conflicts.isEmpty
            ? ""
            : "<ul class=\"cards\"><li><a href=\"/conflicts\">\(HTML.escape(l.say(ScreenMessages.conflictsToSettle)))（\(conflicts.count)）"
                + "<span class=\"why\">\(HTML.escape(settleHint))</span></a></li></ul>"
        let body =
            settle
            + section(l.say(ScreenMessages.onLeaveTooLongNot), view.visitsDue, form: "visit") {
                l.say(ScreenMessages.onLeaveSince, $0.since)
            }
            + section(l.say(ScreenMessages.notContactedInTime), view.contactOverdue, form: "visit") {
                $0.since.isEmpty ? l.say(ScreenMessages.neverContacted) : l.say(ScreenMessages.lastContact, $0.since)
            }
            + section(l.say(ScreenMessages.homeTeachingShortThisMonth), view.homeTeachingShortfall, form: "home-teaching") {
                l.say(ScreenMessages.thisMonth, $0.amount ?? 0)
            }
            + section(l.say(ScreenMessages.casesWithoutRecentAttempt), view.casesWithoutRecentAttempt, form: "persuasion") {
                l.say(ScreenMessages.since, $0.since)
            }
        return WebServer.html(
            Page(title: l.say(ScreenMessages.todayOn, view.date), tab: .today, body: body, language: l, tabs: context.tabs))
    }

    var settleHint: String { l.say(ScreenMessages.twoPeopleChangedSameThing) }

    var searchLabel: String {
        l.say(ScreenMessages.findChildNameStudentNumber)
    }

    func children(search: String?, csrf: String) async throws -> Response {
        // A page shows 300 at most: a district has 120,000; a search narrows it.
        let rows = try await context.device.searchChildren(search ?? "", limit: Self.listLimit + 1)
        let list = rows.prefix(Self.listLimit).map { c in
            let status = c.status.map { l.label($0) } ?? l.say(ScreenMessages.statusUnknown)
            let where_ = [c.className, c.school].compactMap { $0 }.joined(separator: " · ")
            return "<li><a href=\"/child/\(c.child.hex)\">\(HTML.escape(c.name ?? l.say(ScreenMessages.noName)))"
                + "<span class=\"why\">\(HTML.escape(status))\(where_.isEmpty ? "" : " · " + HTML.escape(where_))</span></a></li>"
        }.joined()
        let form = """
            <form method="post" action="/children" role="search"><label for="q">\(HTML.escape(searchLabel))</label>
            <input type="search" id="q" name="q" value="\(HTML.escape(search ?? ""))">\(csrf)
            <button type="submit">\(HTML.escape(l.say(ScreenMessages.search)))</button></form>
            """
        let count =
            rows.count > Self.listLimit
            ? "<p>"
                + HTML.escape(l.say(ScreenMessages.firstOnlySearchToNarrow, Self.listLimit))
                + "</p>"
            : "<p>\(HTML.escape(l.say(ScreenMessages.childCount, rows.count)))</p>"
        return WebServer.html(
            Page(
                title: l.say(ScreenMessages.children), tab: .children, body: form + count + "<ul class=\"cards\">\(list)</ul>", language: l,
                tabs: context.tabs))
    }

    func child(_ id: String, notice: String?) async throws -> Response {
        guard id.count == 32, id.allSatisfy(\.isHexDigit) else {
            return WebServer.problem(.notFound, l.say(ScreenMessages.noSuchChild), l)
        }
        let file: ChildFile
        do { file = try await context.device.childFile(id, language: l) } catch {
            return WebServer.problem(.notFound, error.line(l), l)
        }
        var body = notice.map { "<p class=\"notice\" role=\"status\">\(HTML.escape($0))</p>" } ?? ""
        body += try await actionLinks(id)
        // The card's lines after its first (the record id), as "label: value" pairs.
        let pairs = file.card.lines(l).dropFirst().map { line -> String in
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            return parts.count == 2 ? "<dt>\(HTML.escape(parts[0]))</dt><dd>\(HTML.escape(parts[1]))</dd>" : "<dd>\(HTML.escape(line))</dd>"
        }
        body += "<dl>" + pairs.joined() + "</dl>"
        // The CLI's lines end with the record's id ("编号 …"); a person at a door needs none (UI.md).
        func section(_ title: ChildMessages, _ items: [String]) -> String {
            let rows = items.map { line in
                (line.components(separatedBy: l.say(ScreenMessages.id)).first ?? line).trimmingCharacters(in: .whitespaces)
            }
            return "<h2>\(HTML.escape(l.say(title)))</h2>"
                + (rows.isEmpty
                    ? "<p class=\"empty\">\(HTML.escape(l.say(ScreenMessages.none)))</p>"
                    : "<ul class=\"timeline\">" + rows.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>")
        }
        body +=
            section(.recordsSection, file.events.reversed()) + section(.statusesSection, file.statuses)
            + section(.ledgersSection, file.ledgers) + section(.casesSection, file.cases)
        if !file.attachments.isEmpty { body += section(.attachmentsSection, file.attachments) }
        let photos = file.photos
        if !photos.isEmpty {
            let alt = HTML.escape(l.say(ScreenMessages.photoRecordsCite))
            body +=
                "<div class=\"photos\">"
                + photos.map { "<img src=\"/child/\(id)/photo/\($0)\" alt=\"\(alt)\" loading=\"lazy\">" }.joined() + "</div>"
        }
        return WebServer.html(
            Page(
                title: file.card.fields["name"] ?? l.say(ScreenMessages.child), tab: .children, body: body, language: l, tabs: context.tabs)
        )
    }

    /// What this device's role may record about the child now (the role table, trust.md §4), one
    /// large link each; a 销假 only with a leave open, a 劝返 only under an open case, a 销号 only on a ledger.
    func actionLinks(_ id: String) async throws -> String {
        let actions = try await context.device.actions(child: id, language: l)
        let links: [(String, ScreenMessages, BaoxueTrust.Operation, Bool)] = [
            ("absence", .recordAbsenceLink, .recordSchoolEvent, true),
            ("leave", .recordLeaveLink, .recordSchoolEvent, true),
            ("leave-end", .returnFromLeaveLink, .recordSchoolEvent, !actions.leaves.isEmpty),
            ("visit", .recordVisitLink, .recordVisit, true),
            ("persuasion", .recordPersuasionLink, .recordPersuasion, !actions.cases.isEmpty),
            ("home-teaching", .recordHomeTeachingLink, .recordSchoolEvent, true),
            ("close-out", .closeOutLink, .closeOut, !actions.ledgers.isEmpty),
        ]
        let shown = links.filter { link in link.3 && (context.role.map { link.2.allowedRoles.contains($0) } ?? true) }
        return "<div class=\"actions\">"
            + shown.map { "<a class=\"button\" href=\"/child/\(id)/\($0.0)\">\(HTML.escape(l.say($0.1)))</a>" }.joined() + "</div>"
    }

    func unlockPage(error: String?, csrf: String) -> Response {
        let body = """
            <p>\(HTML.escape(l.say(ScreenMessages.thisDeviceIsLockedEnter)))</p>
            <form method="post" action="/unlock"><label for="p">\(HTML.escape(l.say(ScreenMessages.passphrase)))</label>
            <input type="password" id="p" name="passphrase" autocomplete="current-password">
            \(error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? "")\(csrf)
            <button type="submit">\(HTML.escape(l.say(ScreenMessages.unlock)))</button></form>
            """
        return WebServer.html(Page(title: l.say(ScreenMessages.unlock), tab: nil, body: body, language: l, tabs: context.tabs))
    }
}
