import BaoxueApp
import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import Foundation
import Testing

/// A township relay and the district relay, partitioned while both take a day of
/// traffic, then reconnected: the township retries with backoff and both converge.
@Suite(.serialized) struct UpstreamTests {
    func ids(_ path: String, _ scopes: [ScopeID]) throws -> Set<ChangeID> {
        let log = try ChangeLog(path: path + "/" + Replica.databaseFileName, options: .init(merge: nil))
        return Set(try scopes.flatMap { try log.members(of: $0).map(\.id) })
    }

    @Test func partitionedRelaysConvergeOnceTheDistrictIsBack() async throws {
        let town = Township(root: Fixtures.temporaryDirectory())
        do { _ = try town.makeRelay() }
        let districtDir = town.root + "/district"
        _ = try town.enroll(districtDir, name: "丰南区中继", role: .relay, scopes: [try ScopeID("丰南区")])
        let schools = (0..<2).map(Township.school)
        let township = try (0..<4).map { try town.makeDevice($0, schools: 2) }
        // A district admin's device works against the district relay.
        let admin = try town.enroll(town.root + "/admin", name: "区管理员", role: .districtAdmin, scopes: [try ScopeID("丰南区")])
        try town.provision(admin, scopes: [Township.school(0), Township.school(1)])

        // The partition: the district relay takes its traffic, then goes away.
        let districtPort = freePort()
        var district = try RelayProcess(directory: districtDir, port: districtPort)
        var adminWrote: [ChangeID] = []
        for s in schools { adminWrote += try Township.writeVisits(admin, scope: s, count: 30, tag: "admin") }
        #expect((try? await DeviceSync.run(admin, port: district.port, scopes: schools).get()) != nil)
        #expect(district.terminate() == 0)

        // The township relay keeps serving its devices while the district is unreachable.
        let relay = try RelayProcess(
            directory: town.relayDirectory, extra: ["--upstream", "127.0.0.1:\(districtPort)", "--upstream-interval", "1"],
            metrics: true)
        for (i, d) in township.enumerated() {
            _ = try Township.writeVisits(d, scope: Township.school(i % 2), count: 40, tag: "town")
            #expect((try? await DeviceSync.run(d, port: relay.port, scopes: [Township.school(i % 2)]).get()) != nil)
        }
        #expect(await relay.waitFor("upstream sync failed"), "the township tried the district and said so: \(relay.text)")
        let health = RelayOperationsTests.httpGet(port: relay.metricsPort, path: "/health")
        #expect(health.contains("\"upstreamError\":\"unreachable\""), "\(health)")

        // The district comes back on its address; the township's next retry (backoff ≤ 4 s here) reconnects.
        district = try RelayProcess(directory: districtDir, port: districtPort)
        let shared = [ScopeID.admin] + schools
        // Each "upstream synced" is one finished round with the district: after each, compare the two.
        var converged = false
        for round in 1...10 where !converged {
            guard await relay.waitFor("upstream synced", count: round) else { break }
            converged =
                try ids(districtDir, schools).isSuperset(of: try ids(town.relayDirectory, schools))
                && ids(town.relayDirectory, schools).isSuperset(of: try ids(districtDir, schools))
        }
        #expect(converged, "township and district differ after reconnecting")
        #expect(try ids(town.relayDirectory, schools).isSuperset(of: adminWrote), "the district's changes reached the township")
        #expect(relay.terminate() == 0)
        #expect(district.terminate() == 0)
        _ = shared
    }
}
