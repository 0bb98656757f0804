import BaoxueApp
import BaoxueCore
import BaoxuePrivacy
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// Enrollment through a real relay process (sync.md §3.1) with the real CLI: every step of the journey
/// (`EnrollmentJourney`) at one SQLite relay; a rejected phone is told why.
@Suite(.serialized) struct RelayEnrollmentTests {
    @Test func aRequestTravelsToTheOfficeAndTheCertificateBack() async throws {
        let town = Township(root: Fixtures.temporaryDirectory("relay-enrollment"))
        _ = try town.makeRelay()
        let journey = try EnrollmentJourney(town)
        let relay = try RelayProcess(directory: town.relayDirectory)
        defer { _ = relay.terminate() }
        let address = "127.0.0.1:\(relay.port)"
        try await journey.run(
            .init(
                veteranSyncs: address, officeSyncs: address, ask: address, decide: address, collect: address, watch: address,
                veteranSyncsAgain: address, watchAgain: address))
    }

    @Test func aRejectedPhoneIsToldWhyAndMayAskAgain() async throws {
        let town = Township(root: Fixtures.temporaryDirectory("relay-enrollment-reject"))
        _ = try town.makeRelay()
        let office = try town.enroll(
            town.root + "/office", name: "东镇教办", role: .schoolAdmin, scopes: [try ScopeID(Township.township)], mayIssue: true)
        let relay = try RelayProcess(directory: town.relayDirectory)
        defer { _ = relay.terminate() }
        let address = "127.0.0.1:\(relay.port)"
        #expect(try RelayDrillTests.cli(["sync", address, "--dir", office.directory]).status == 0)
        let phone = town.root + "/phone"
        _ = try RelayDrillTests.cli(["init", "--dir", phone])
        _ = try RelayDrillTests.cli([
            "enroll", "request", "--dir", phone, "--name", "陌生人", "--role", "school-admin", "--scope", Township.school(0).value,
            "--relay", address, "--authority", town.authority.publicKey.hex,
        ])
        let phoneKey = try Replica.open(at: phone).key.publicKey
        // Without the district's registry key the office cannot approve, and says so; it can still reject.
        let cannot = try RelayDrillTests.cli(["enroll", "approve", phoneKey.hex, "--dir", office.directory, "--relay", address])
        #expect(cannot.status != 0 && cannot.out.contains("registry key"), "\(cannot.out)")
        let rejected = try RelayDrillTests.cli([
            "enroll", "reject", phoneKey.hex, "--dir", office.directory, "--relay", address, "--reason", "不是本校教师",
        ])
        #expect(rejected.status == 0, "\(rejected.out)")
        let told = try RelayDrillTests.cli(["sync", address, "--dir", phone])
        #expect(told.status != 0 && told.out.contains("不是本校教师"), "\(told.out)")
        #expect(!FileManager.default.fileExists(atPath: phone + "/enrollment-pending"))
        #expect(try Replica.open(at: phone).log.authority == nil)
    }
}
