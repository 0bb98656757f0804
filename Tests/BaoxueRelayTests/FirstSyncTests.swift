import BaoxueApp
import BaoxueCore
import BaoxueStore
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// A newly enrolled device's first `baoxue sync` brings what its certificate covers
/// (sync.md §7): a teacher's school, and for a device certified for the whole township,
/// the schools it learns of from the certificates in `_admin`.
@Suite(.serialized) struct FirstSyncTests {
    @Test func aNewDevicesFirstSyncBringsItsSchoolAndATownshipDeviceLearnsItsSchools() async throws {
        let town = Township(root: Fixtures.temporaryDirectory("first-sync"))
        _ = try town.makeRelay()
        let veteran = try town.makeDevice(0, schools: 1)
        let school = Township.school(0)
        let visits = try Township.writeVisits(veteran, scope: school, count: 10, tag: "v")
        let relay = try RelayProcess(directory: town.relayDirectory)
        defer { _ = relay.terminate() }
        _ = try await DeviceSync.run(veteran, port: relay.port, scopes: [school]).get()

        // A teacher enrolled today: it holds only its certificate.
        let newcomer = try town.enroll(town.deviceDirectory(1), name: "新教师", role: .teacher, scopes: [school])
        #expect(try newcomer.log.scopes() == [.admin])
        let first = try RelayDrillTests.cli(["sync", "127.0.0.1:\(relay.port)", "--dir", newcomer.directory])
        #expect(first.status == 0, "\(first.out)")
        let reopened = try Replica.open(at: newcomer.directory)
        for id in visits { #expect(try reopened.log.contains(id), "the first sync did not bring the school") }

        // Certified for the township: the school is learnt from the teachers' certificates in `_admin`.
        let township = try town.enroll(town.root + "/township", name: "乡镇教育办", role: .districtAdmin,
                                       scopes: [try ScopeID(Township.township)])
        let run = try RelayDrillTests.cli(["sync", "127.0.0.1:\(relay.port)", "--dir", township.directory, "--json"])
        #expect(run.status == 0, "\(run.out)")
        let office = try Replica.open(at: township.directory)
        for id in visits { #expect(try office.log.contains(id), "the township device did not learn its school") }
        #expect(run.out.contains(school.value), "\(run.out)")
    }
}
