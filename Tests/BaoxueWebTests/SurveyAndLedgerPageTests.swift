import BaoxueApp
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The liaison's 摸排 and the admin's 台账 as each uses them: a sweep of a village household by
/// household (a household checked twice counts once), a child without papers recorded
/// provisionally; the ledgers with their children, and the month's report downloaded as the XLSX
/// workbook and UTF-8 CSV files `baoxue report` writes, byte for byte.
@Suite struct SurveyAndLedgerPageTests {
    @Test func aLiaisonSweepsAVillageAndRecordsAChildWithoutPapers() async throws {
        let root = try await DemoTownship.make()
        let dir = root + "/liaison"
        let token = WebServer.newToken()
        try await Application(router: WebServer.router(directory: dir, token: token, language: .zh)).test(.router) { client in
            var browser = try await Browser.open(client, token: token)
            #expect(try await browser.get("/survey") == .ok)
            #expect(browser.page.contains("href=\"/survey\" aria-current=\"page\""), "a liaison's tabs start with 摸排")
            #expect(!browser.page.contains("href=\"/ledgers\""))
            let empty = try await browser.post("/survey", [("village", ""), ("date", "2026-12-01")])
            #expect(empty.status == .unprocessableContent && browser.page.contains("请填写村名。"))
            try await browser.get("/survey")
            let started = try await browser.post("/survey", [("village", "示例村3"), ("date", "2026-12-01"), ("team", "赵联络员，王老师")])
            let sweep = try #require(started.location)
            #expect(started.status == .seeOther && sweep.hasPrefix("/survey/"))
            let households = [
                ("示例村3 1号", "2", "allAttending"), ("示例村3 2号", "1", "noHukou"), ("示例村3 3号", "0", "householdAbsent"),
                ("示例村3 4号", "3", "allAttending"), ("示例村3 5号", "1", "notAttending"), ("示例村3 1号", "2", "allAttending"),
            ]
            for (address, found, finding) in households {
                try await browser.get(sweep)
                let sent = try await browser.post(sweep + "/household", [("address", address), ("found", found), ("finding", finding)])
                #expect(sent.status == .seeOther)
            }
            try await browser.get(sweep)
            let bad = try await browser.post(sweep + "/household", [("address", "6号"), ("found", "30"), ("finding", "maybe")])
            #expect(bad.status == .unprocessableContent)
            #expect(browser.page.contains("见到的适龄儿童人数应为 0 到 20。") && browser.page.contains("请选择：均在校、无户籍"))
            try await browser.get(sweep)
            #expect(browser.page.contains("5"), "five households (one checked twice)")
            let coverage = try ReplicaCommands.survey(directory: dir, survey: String(sweep.dropFirst("/survey/".count)))
            #expect(coverage.coverage.households == 5 && coverage.coverage.childrenFound == 7)
            let child = try await browser.post(sweep + "/child", [("name", "无证小孩"), ("where", "2号"), ("guardian", "其母")])
            #expect(child.status == .seeOther)
        }
        let found = try #require(try ReplicaCommands.searchChildren(directory: dir, text: "无证小孩", school: nil).first)
        #expect(found.provisional?.contains("示例村3 2号") == true)
    }

    @Test func anAdminSeesTheLedgersAndDownloadsTheMonthsReport() async throws {
        let root = try await DemoTownship.make()
        let dir = root + "/school-admin"
        let onLedger = try ReplicaCommands.ledger(directory: dir, which: .suspectedDropout, school: nil)
        #expect(!onLedger.isEmpty)
        let month = String(try ReplicaCommands.today(directory: dir, date: nil).date.prefix(7))
        let written = Fixtures.temporaryDirectory() + "/report"
        let cli = try ReplicaCommands.report(directory: dir, kind: .monthly, period: month, school: nil, output: written, language: .zh)
        let token = WebServer.newToken()
        try await Application(router: WebServer.router(directory: dir, token: token, language: .zh)).test(.router) { client in
            var browser = try await Browser.open(client, token: token)
            #expect(try await browser.get("/ledgers") == .ok)
            for row in onLedger { #expect(browser.page.contains("/child/\(row.child.hex)") && browser.page.contains(row.name ?? "?")) }
            try await browser.get("/ledgers?kind=monthly&period=\(month)")
            #expect(browser.page.contains("/reports/monthly/\(month)/0"))
            for (i, path) in cli.files.enumerated() {
                let expected = try #require(FileManager.default.contents(atPath: path))
                try await client.execute(uri: "/reports/monthly/\(month)/\(i)", method: .get, headers: [.cookie: browser.cookie]) { r in
                    #expect(r.status == .ok)
                    #expect(r.headers[.contentDisposition]?.contains("filename*=UTF-8''") == true)
                    let bytes = Data(r.body.readableBytesView)
                    if path.hasSuffix(".csv") {
                        #expect(bytes == expected, "\(path)")
                    } else if path.hasSuffix(ReportManifest.fileSuffix) {
                        // Signed when downloaded (its time and heads are then), over the same files as the CLI's.
                        let downloaded = try ReportManifest.parse(Array(bytes))
                        let written = try ReportManifest.parse(Array(expected))
                        #expect(downloaded.signatureIsValid && downloaded.files == written.files, "\(path)")
                    } else {
                        // libxlsxwriter with the period's end as creation time: the same workbook, byte for byte.
                        #expect(bytes.prefix(2) == Data("PK".utf8) && bytes == expected, "\(path)")
                    }
                }
            }
            try await client.execute(uri: "/reports/monthly/2026-13/0", method: .get, headers: [.cookie: browser.cookie]) { r in
                #expect(r.status == .badRequest)
            }
        }
    }

    @Test func anAdminPublishesLastMonthsFiguresOnce() async throws {
        let root = try await DemoTownship.make()
        let dir = root + "/school-admin"
        let token = WebServer.newToken()
        let today = try SimpleDate(unixMilliseconds: UInt64(Date().timeIntervalSince1970 * 1000))
        let thisMonth = String(format: "%04d-%02d", today.year, today.month)
        try await Application(router: WebServer.router(directory: dir, token: token, language: .zh)).test(.router) { client in
            var browser = try await Browser.open(client, token: token)
            #expect(try await browser.get("/ledgers") == .ok && browser.page.contains("action=\"/ledgers/publish\""))
            let last = try #require(browser.value("month"))
            let form = browser.page
            // This month is not over: refused with what to do, nothing published.
            var sent = try await browser.post("/ledgers/publish", [("month", thisMonth)])
            #expect(sent.status == .unprocessableContent && browser.page.contains("尚未结束"), "\(browser.page.suffix(600))")
            browser.page = form
            let tapped = [("nonce", try #require(browser.value("nonce"))), ("csrf", try #require(browser.value("csrf")))]
            sent = try await browser.post("/ledgers/publish", [("month", last)] + tapped)
            #expect(
                sent.location == "/ledgers?published=" + last.replacingOccurrences(of: "-", with: "%2D"),
                "\(String(describing: sent.location))")
            try await browser.get(try #require(sent.location))
            #expect(browser.page.contains("已上报 \(last) 的月度汇总数"))
            // A double tap publishes once.
            sent = try await browser.post("/ledgers/publish", [("month", last)] + tapped)
            #expect(sent.location == "/ledgers")
        }
        let listed = try Replica.open(at: dir).log.publishedFigures()
        #expect(listed.count == 1 && listed[0].figures.school.value == "丰南区/东镇/示例第1中学")
    }

    @Test func theDashboardChartsThePublishedFiguresAndDrillsDownToTheChildren() async throws {
        let root = try await DemoTownship.make()
        let dir = root + "/school-admin"
        let today = try SimpleDate(unixMilliseconds: UInt64(Date().timeIntervalSince1970 * 1000))
        let last = today.month == 1 ? String(format: "%04d-12", today.year - 1) : String(format: "%04d-%02d", today.year, today.month - 1)
        let published = try ReplicaCommands.publishFigures(directory: dir, period: last, scope: nil, school: nil)
        let token = WebServer.newToken()
        try await Application(router: WebServer.router(directory: dir, token: token, language: .zh)).test(.router) { client in
            var browser = try await Browser.open(client, token: token)
            #expect(try await browser.get("/ledgers") == .ok && browser.page.contains("href=\"/dashboard\""))
            #expect(try await browser.get("/dashboard") == .ok)
            // The chart says in words what it draws: the month's published counts.
            let entered = published.counts["ledgerOpened"]!
            let closed = published.counts["closedOut"]!
            #expect(browser.page.contains("<svg") && browser.page.contains("新进台账 \(last) \(entered)"), "\(browser.page.prefix(1500))")
            #expect(browser.page.contains("销号 \(last) \(closed)"))
            let scope = published.school.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(browser.page.contains("/dashboard/school?scope=\(scope)"))
            #expect(try await browser.get("/dashboard/school?scope=\(scope)") == .ok)
            let listed = try ReplicaCommands.searchChildren(directory: dir, text: "", school: "示例第1中学")
            #expect(!listed.isEmpty && browser.page.contains("示例第1中学 的儿童（\(listed.count) 人）"), "\(browser.page.suffix(800))")
            #expect(browser.page.contains("/child/\(listed[0].child.hex)"))
            #expect(try await browser.get("/dashboard/school?scope=nowhere") == .notFound)
        }
    }
}
