import BaoxueApp
import BaoxueRecords
import Foundation
import Hummingbird

/// 台账: a school admin's ledgers — the open entries of the suspected-dropout and dropout ledgers,
/// each opening the child's file (where 销号 with evidence is one tap away) — and the monthly and
/// quarterly reports, downloaded as the XLSX workbook and one CSV per sheet (the same files as
/// `baoxue report`). A period is not child data, so it may sit in a download's address.
struct LedgersPage {
    /// Entries listed per ledger: a school's whole ledger; a district's first ones (the report has them all).
    static let shown = 200
    let context: WebServer.Context
    var l: Language { context.language }

    func register(on router: Router<BasicRequestContext>) {
        let screens = Screens(context: context)
        router.get("/ledgers") { request, _ in
            if let page = try await screens.locked() { return page }
            let kind = request.uri.queryParameters["kind"].flatMap { ReportKind(rawValue: String($0)) } ?? .monthly
            let period = request.uri.queryParameters["period"].map(String.init)
            let published = request.uri.queryParameters["published"].map(String.init)
            return try await page(kind: kind, period: period, csrf: await screens.csrfField(request), published: published)
        }
        // 上报: the month's summary counts, signed and in clear, for the district and province (trust.md §10).
        router.post("/ledgers/publish") { request, _ in
            try await screens.withForm(request) { form in
                let csrf = await screens.csrfField(request)
                let period = (form["month"] ?? "").trimmingCharacters(in: .whitespaces)
                guard let nonce = form["nonce"], await context.sessions.claim(nonce) else { return WebServer.redirect("/ledgers") }
                let done: FiguresPublication
                do throws(AppError) { done = try await context.device.publishFigures(period: period) } catch {
                    await context.sessions.release(nonce)
                    return try await page(
                        kind: .monthly, period: nil, csrf: csrf, publishError: error.line(l), status: .unprocessableContent)
                }
                return WebServer.redirect(
                    "/ledgers?published=" + (done.period.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
        }
        router.get("/reports/:kind/:period/:file") { _, ctx in
            if let page = try await screens.locked() { return page }
            guard let kind = ctx.parameters.get("kind").flatMap(ReportKind.init(rawValue:)), let period = ctx.parameters.get("period"),
                let index = ctx.parameters.get("file").flatMap(Int.init)
            else { return WebServer.problem(.notFound, l.say(ReportMessages.noSuchReportFile), l) }
            let found: ReportFile?
            do throws(AppError) { found = try await context.device.reportFile(kind: kind, period: period, index: index, language: l) } catch
            {
                return WebServer.problem(.badRequest, error.line(l), l)
            }
            guard let file = found else { return WebServer.problem(.notFound, l.say(ReportMessages.noSuchReportFile), l) }
            let type =
                file.name.hasSuffix(".xlsx")
                ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8"
            // RFC 6266: an ASCII fallback name, and the Chinese name percent-encoded in UTF-8.
            let encoded = file.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "report"
            let fallback = "report-\(period)-\(index)" + (file.name.hasSuffix(".xlsx") ? ".xlsx" : ".csv")
            return Response(
                status: .ok,
                headers: [
                    .contentType: type,
                    .contentDisposition: "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
    }

    var kindChoice: Control {
        Control(
            field: "kind", label: l.say(ReportMessages.kind),
            kind: .choice([("monthly", l.say(ReportMessages.monthly)), ("quarterly", l.say(ReportMessages.quarterly))]))
    }

    func page(
        kind: ReportKind, period: String?, csrf: String, published: String? = nil, publishError: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var body =
            published.map { "<p class=\"notice\" role=\"status\">\(HTML.escape(l.say(ReportMessages.figuresPublishedNotice, $0)))</p>" }
            ?? ""
        for ledger in Ledger.allCases {
            let rows = try await context.device.ledger(ledger)
            body += "<h2>\(HTML.escape(l.label(ledger)))（\(rows.count)）</h2>"
            if rows.isEmpty { body += "<p class=\"empty\">\(HTML.escape(l.say(ReportMessages.none)))</p>" }
            body +=
                "<ul class=\"cards\">"
                + rows.prefix(Self.shown).map { r in
                    "<li><a href=\"/child/\(r.child.hex)\">\(HTML.escape(r.name ?? "?"))<span class=\"why\">"
                        + HTML.escape(l.say(ReportMessages.schoolSince, r.school ?? "", r.since))
                        + "</span></a></li>"
                }.joined() + "</ul>"
            if rows.count > Self.shown {
                body +=
                    "<p>"
                    + HTML.escape(
                        l.say(ReportMessages.moreNotListedMonthsReport, rows.count - Self.shown)) + "</p>"
            }
        }
        body +=
            "<ul class=\"cards\"><li><a href=\"/dashboard\">" + HTML.escape(l.say(ConsoleMessages.dashboardLink)) + "</a></li></ul>"
        body += "<h2>\(HTML.escape(l.say(ReportMessages.reports)))</h2>"
        let shownPeriod = period ?? ReplicaCommands.period(kind, of: WebServer.today())
        body += """
            <form method="get" action="/ledgers">
            \(kindChoice.html(kind.rawValue, FieldErrors(errors: [:])))
            <label for="period">\(HTML.escape(l.say(ReportMessages.periodExample)))</label>
            <input type="text" id="period" name="period" value="\(HTML.escape(shownPeriod))">
            <button type="submit">\(HTML.escape(l.say(ReportMessages.makeReport)))</button></form>
            """
        if period != nil {
            // Only the names: each file is computed when it is downloaded.
            do throws(AppError) {
                let names = try ReplicaCommands.reportDownloadNames(kind: kind, period: shownPeriod, language: l)
                body +=
                    "<ul class=\"cards\">"
                    + names.enumerated().map { i, name in
                        "<li><a href=\"/reports/\(kind.rawValue)/\(HTML.escape(shownPeriod))/\(i)\" download>\(HTML.escape(name))"
                            + "<span class=\"why\">\(HTML.escape(l.say(ReportMessages.download)))</span></a></li>"
                    }.joined() + "</ul>"
            } catch { body += "<p class=\"error\" role=\"alert\">\(HTML.escape(error.line(l)))</p>" }
        }
        body += publishForm(csrf: csrf, error: publishError)
        return WebServer.html(
            Page(title: l.say(ReportMessages.ledgersAndReports), tab: .ledgers, body: body, language: l, tabs: context.tabs), status: status
        )
    }

    /// Last month by default: a month is published once it is over.
    func publishForm(csrf: String, error: String?) -> String {
        let today = WebServer.today()
        let last = today.month == 1 ? String(format: "%04d-12", today.year - 1) : String(format: "%04d-%02d", today.year, today.month - 1)
        let shown = FieldErrors(errors: error.map { ["month": $0] } ?? [:])
        return """
            <h2>\(HTML.escape(l.say(ReportMessages.publishHeading)))</h2>
            <p class="why">\(HTML.escape(l.say(ReportMessages.publishExplain)))</p>
            <form method="post" action="/ledgers/publish">\(csrf)<input type="hidden" name="nonce" value="\(WebSessions.randomToken())">
            <label for="month">\(HTML.escape(l.say(ReportMessages.publishMonth)))</label>
            <input type="text" id="month" name="month" value="\(HTML.escape(last))"\(shown.described("month"))>\(shown.message("month"))
            <button type="submit">\(HTML.escape(l.say(ReportMessages.publishButton)))</button></form>
            """
    }
}
