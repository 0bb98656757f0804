import BaoxueApp
import BaoxueRecords
import Foundation
import Hummingbird

/// 数据看板 (issue 24 §3, first part): the schools' published monthly figures as charts drawn on the
/// server — the district month by month, each school's latest month, then one school, then that
/// school's children. A school's scope is not child data, so it may sit in the address.
struct DashboardPage {
    let context: WebServer.Context
    var l: Language { context.language }

    func register(on router: Router<BasicRequestContext>) {
        let screens = Screens(context: context)
        router.get("/dashboard") { _, _ in
            if let page = try await screens.locked() { return page }
            return try await district()
        }
        router.get("/dashboard/school") { request, _ in
            if let page = try await screens.locked() { return page }
            let scope = request.uri.queryParameters["scope"].map(String.init) ?? ""
            return try await school(scope)
        }
    }

    private func charts(_ title: String, _ months: [String], _ values: (PublishedFigures.Measure) -> [Int]) -> String {
        let ledgers = BarChart(
            title: l.say(ConsoleMessages.dashboardLedgers, title), categories: months,
            series: [
                .init(name: l.say(ConsoleMessages.dashboardEntered), color: BarChart.palette[1], values: values(.ledgerOpened)),
                .init(name: l.say(ConsoleMessages.dashboardClosed), color: BarChart.palette[0], values: values(.closedOut)),
                .init(name: l.say(ConsoleMessages.figuresReturned), color: BarChart.palette[2], values: values(.returned)),
            ])
        let visits = BarChart(
            title: l.say(ConsoleMessages.dashboardWork, title), categories: months,
            series: [
                .init(name: l.say(ConsoleMessages.dashboardVisits), color: BarChart.palette[0], values: values(.visits)),
                .init(
                    name: l.say(ConsoleMessages.dashboardHouseholdsChecked), color: BarChart.palette[2],
                    values: values(.householdsChecked)),
                .init(
                    name: l.say(ConsoleMessages.dashboardHouseholdsWithFindings), color: BarChart.palette[1],
                    values: values(.householdsWithFindings)),
            ])
        let teaching = BarChart(
            title: l.say(ConsoleMessages.dashboardHomeTeaching, title), categories: months,
            series: [
                .init(name: l.say(ConsoleMessages.figuresHomeHours), color: BarChart.palette[3], values: values(.homeTeachingHours)),
                .init(
                    name: l.say(ConsoleMessages.dashboardHoursExpected), color: BarChart.palette[2],
                    values: values(.homeTeachingHoursExpected)),
            ])
        // 巩固, of the latest month: the children returned 1, 3 and 6 months before it, and those still in school.
        let last = months.count - 1
        let followUp = BarChart(
            title: l.say(ConsoleMessages.dashboardFollowUp, title, months.last ?? ""),
            categories: [
                l.say(ConsoleMessages.dashboardMonthsBack, 1), l.say(ConsoleMessages.dashboardMonthsBack, 3),
                l.say(ConsoleMessages.dashboardMonthsBack, 6),
            ],
            series: [
                .init(
                    name: l.say(ConsoleMessages.dashboardReturnedThen), color: BarChart.palette[2],
                    values: [.returned1MonthAgo, .returned3MonthsAgo, .returned6MonthsAgo].map { values($0)[last] }),
                .init(
                    name: l.say(ConsoleMessages.dashboardStillInSchool), color: BarChart.palette[0],
                    values: [.stayed1Month, .stayed3Months, .stayed6Months].map { values($0)[last] }),
            ])
        return [ledgers, followUp, teaching, visits].map {
            "<h2>\(HTML.escape($0.title))</h2><figure class=\"chart\">\($0.svg)\($0.legend)</figure>\($0.table)"
        }
        .joined()
    }

    func district() async throws -> Response {
        let board = try await context.device.dashboard()
        var body = "<p class=\"why\">\(HTML.escape(l.say(ConsoleMessages.dashboardExplain)))</p>"
        guard let latest = board.months.last else {
            body += "<p class=\"empty\">\(HTML.escape(l.say(ConsoleMessages.noFiguresYet)))</p>"
            return page(l.say(ConsoleMessages.dashboardTitle), body)
        }
        body += charts(l.say(ConsoleMessages.dashboardDistrict), board.months, board.total)
        body += "<h2>\(HTML.escape(l.say(ConsoleMessages.dashboardSchools, latest)))</h2><ul class=\"cards\">"
        for s in board.schools {
            let now = s.months.last ?? nil
            let line =
                now.map {
                    l.say(ConsoleMessages.dashboardSchoolLine, $0[.children], $0[.suspectedOpen] + $0[.dropoutOpen], $0[.returned])
                } ?? l.say(ConsoleMessages.dashboardNotPublished)
            let query = s.scope.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            body +=
                "<li><a href=\"/dashboard/school?scope=\(query)\">\(HTML.escape(s.name))"
                + "<span class=\"why\">\(HTML.escape(line))</span></a></li>"
        }
        return page(l.say(ConsoleMessages.dashboardTitle), body + "</ul>")
    }

    func school(_ scope: String) async throws -> Response {
        let board = try await context.device.dashboard()
        guard let s = board.schools.first(where: { $0.scope == scope }) else {
            return WebServer.problem(.notFound, l.say(ConsoleMessages.dashboardNoSuchSchool), l)
        }
        var body = charts(s.name, board.months, s.values)
        let children = try await context.device.children(school: s.name)
        body += "<h2>\(HTML.escape(l.say(ConsoleMessages.dashboardChildren, s.name, children.count)))</h2><ul class=\"cards\">"
        body +=
            children.map { c in
                "<li><a href=\"/child/\(c.child.hex)\">\(HTML.escape(c.name ?? "?"))<span class=\"why\">"
                    + HTML.escape(c.status.map { l.label($0) } ?? "") + "</span></a></li>"
            }.joined() + "</ul>"
        return page(s.name, body)
    }

    private func page(_ title: String, _ body: String) -> Response {
        WebServer.html(Page(title: title, tab: .ledgers, body: body, language: l, tabs: context.tabs))
    }
}
