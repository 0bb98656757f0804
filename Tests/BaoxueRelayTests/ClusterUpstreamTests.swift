import BaoxueApp
import BaoxueCore
import BaoxueRelay
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import Foundation
import Testing

/// A relay cluster under a district relay: each process syncs the shared log upstream as a SQLite
/// relay does, so the township's visits reach the district and the district's come down into
/// PostgreSQL, gated and witnessed like any device's batch.
@Suite(.serialized) struct ClusterUpstreamTests {
    @Test func aClusterProcessSyncsTheSharedLogWithTheDistrict() async throws {
        try await PostgresCluster.with { pg in
            let town = try ClusterTown("cluster-upstream", cluster: pg)
            try town.makeRelay(0)
            let districtDir = town.town.root + "/district"
            _ = try town.town.enroll(districtDir, name: "丰南区中继", role: .relay, scopes: [try ScopeID("丰南区")])
            let schools = (0..<2).map(Township.school)
            let admin = try town.town.enroll(
                town.town.root + "/admin", name: "区管理员", role: .districtAdmin, scopes: [try ScopeID("丰南区")])
            try town.town.provision(admin, scopes: schools)
            let district = try RelayProcess(directory: districtDir)
            var adminWrote: Set<ChangeID> = []
            for s in schools { adminWrote.formUnion(try Township.writeVisits(admin, scope: s, count: 20, tag: "admin")) }
            _ = try await DeviceSync.run(admin, port: district.port, scopes: schools).get()

            let relay = try await town.startRelay(0, upstream: "127.0.0.1:\(district.port)")
            let (devices, written) = try town.makeDevices(4, schools: 2, visits: 15)
            for (i, d) in devices.enumerated() {
                _ = try await DeviceSync.run(d, port: relay.port, scopes: [Township.school(i % 2)]).get()
            }
            let township = written.values.reduce(Set<ChangeID>()) { $0.union($1) }
            // Each upstream round syncs what the process's sets held when it began: wait for the rounds after the
            // devices, both ways, and for the rounds that moved them to end (a round's counts are added as it ends).
            var atDistrict = Set<ChangeID>()
            var stored = Set<ChangeID>()
            func done(_ state: Upstream.State?) -> Bool {
                atDistrict.isSuperset(of: township) && stored.isSuperset(of: adminWrote) && (state?.changesIn ?? 0) >= adminWrote.count
                    && (state?.changesOut ?? 0) >= township.count
            }
            for _ in 0..<40 where !done(relay.upstream?.state) {
                try await Task.sleep(for: .milliseconds(500))
                let log = try ChangeLog(path: districtDir + "/" + Replica.databaseFileName, options: .init(merge: nil))
                atDistrict = Set(try schools.flatMap { try log.members(of: $0).map(\.id) })
                stored = Set(try await town.stored().changes.map(\.id))
            }
            #expect(atDistrict.isSuperset(of: township), "the township's visits reached the district")
            #expect(stored.isSuperset(of: adminWrote), "the district's visits came down into the shared log")
            let state = try #require(relay.upstream?.state)
            #expect(state.lastError == nil && state.changesIn >= adminWrote.count && state.changesOut >= township.count, "\(state)")
            // What came down passed the gate: the district admin's and teachers' certificates came with it.
            let quarantined = try await town.withLog { log in
                try await log.figures().quarantined
            }
            #expect(quarantined == 0)
            // A device of the township now receives the district's visits through the cluster.
            _ = try await DeviceSync.run(devices[0], port: relay.port, scopes: [schools[0]]).get()
            let adminSchool0 = try Set(admin.log.members(of: schools[0]).map(\.id)).intersection(adminWrote)
            #expect(try adminSchool0.allSatisfy { try devices[0].log.contains($0) })
            await relay.shutdown()
            #expect(district.terminate() == 0)
        }
    }
}
