import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// `relay serve --store … --console`: the operator's page of one cluster process shows every device seen
/// at any process of the cluster, who holds it and how far behind it is, and the schools' published
/// figures — read from the shared database, fetched over HTTP from a real relay process.
@Suite(.serialized) struct ClusterConsoleTests {
    @Test(.timeLimit(.minutes(2))) func thePageOfOneProcessShowsTheDevicesOfEveryProcessAndTheirLag() async throws {
        try await PostgresCluster.with { pg in
            let town = try ClusterTown("cluster-console", cluster: pg)
            for i in 0..<2 { try town.makeRelay(i) }
            let withPage = try RelayProcess(directory: town.relayDirectory(0), extra: ["--store", town.url, "--console", "127.0.0.1:0"])
            let other = try RelayProcess(directory: town.relayDirectory(1), extra: ["--store", town.url])
            defer {
                _ = withPage.terminate()
                _ = other.terminate()
            }
            #expect(await withPage.waitFor("operations page: http://", timeout: 20))
            let match = try #require(withPage.text.firstMatch(of: /operations page: http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)/))
            let (consolePort, token) = (Int(match.1)!, String(match.2))
            let school = Township.school(0)
            let (a, b) = (try town.town.makeDevice(0, schools: 1), try town.town.makeDevice(1, schools: 1))
            _ = try Township.writeVisits(a, scope: school, count: 3, tag: "a")
            _ = try Township.writeVisits(b, scope: school, count: 4, tag: "b")
            // The school's admin publishes last month's figures (its certificate and the figures reach the
            // cluster with A's sync; the gate applies them).
            let now = Replica.nowMilliseconds()
            let today = try SimpleDate(unixMilliseconds: now)
            let month = (today.year * 12 + today.month - 1) - 1
            let admin = DeviceKey.generate()
            let seat = try Certificate.issue(
                by: town.town.authority, subject: admin.publicKey, role: .schoolAdmin, validFrom: now - 86_400_000,
                validUntil: now + 86_400_000, name: "校管理员", scopes: [school])
            var counts = Array(repeating: 0, count: PublishedFigures.Measure.allCases.count)
            counts[PublishedFigures.Measure.children.rawValue] = 1_234
            let figures = try PublishedFigures(school: school, year: month / 12, month: month % 12 + 1, counts: counts)
            _ = try a.log.appendAuthored(by: admin, scope: .admin, payload: AdminPayload.certificate(seat).encoded, now: now)
            _ = try a.log.appendAuthored(by: admin, scope: .admin, payload: AdminPayload.figures(figures).encoded, now: now)
            // A syncs at the process with the page, then B brings 4 visits A lacks to the other one.
            _ = try await ClusterDrillTests.sync(a, port: withPage.port, scope: school).result.get()
            // The other process catches up with the shared log every 250 ms: then B is given A's visits.
            try await Task.sleep(for: .seconds(1))
            _ = try await ClusterDrillTests.sync(b, port: other.port, scope: school).result.get()

            let denied = Loopback.get(port: consolePort, path: "/?token=0000&lang=en")
            #expect(!denied.contains(a.key.publicKey.fingerprint.text), "no device without the access code")
            // Sessions are journalled as they end, a moment after the device returns.
            var page = ""
            for _ in 0..<50 where !(page.contains(a.key.publicKey.fingerprint.text) && page.contains(b.key.publicKey.fingerprint.text)) {
                try await Task.sleep(for: .milliseconds(200))
                page = Loopback.get(port: consolePort, path: "/?token=\(token)&lang=en")
            }
            #expect(page.contains("2 devices have synced"), "both devices, though one never came to this process: \(page)")
            let cards = page.split(separator: "<li>").filter { $0.contains("<code>") }
            let cardA = try #require(cards.first { $0.contains(a.key.publicKey.fingerprint.text) })
            let cardB = try #require(cards.first { $0.contains(b.key.publicKey.fingerprint.text) })
            #expect(cardA.contains("教师0（teacher）") && cardB.contains("教师1（teacher）"), "who holds each device")
            // A lacks what B brought to the other process: 4 visits, its school-key grant and that process's
            // receipt for them. It may count up to two more of its own session (its grant, its receipt), committed
            // after the point its process had caught up to (the count is "at least what it lacks"); so B, at most 2.
            let behind = { (card: Substring) in card.firstMatch(of: /behind: (\d+) changes/).flatMap { Int($0.1) } ?? 0 }
            #expect((6...8).contains(behind(cardA)), "\(cardA)")
            #expect(behind(cardB) <= 2, "\(cardB)")
            #expect(cardA.contains("sessions (failed): 1（0）") && cardB.contains("sessions (failed): 1（0）"), "\(cards)")
            #expect(
                page.contains("<caption>\(figures.period)</caption>") && page.contains(">学校0</th><td>1234</td>"),
                "the school's published figures, as the cluster stored them: \(page)")
            #expect(withPage.terminate() == 0)
        }
    }
}
