import BaoxueApp
import BaoxueCore
import BaoxuePrivacy
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// Enrollment through a real relay process (sync.md §3.1) with the real CLI: a new phone leaves its
/// request, the township office (holding a delegation) sees and approves it, the phone collects its
/// certificate at its next sync and syncs its school; a rejected phone is told why; a teacher sees nothing.
@Suite(.serialized) struct RelayEnrollmentTests {
    @Test func aRequestTravelsToTheOfficeAndTheCertificateBack() async throws {
        let town = Township(root: Fixtures.temporaryDirectory("relay-enrollment"))
        _ = try town.makeRelay()
        let school = Township.school(0)
        let veteran = try town.makeDevice(0, schools: 1)
        let visits = try Township.writeVisits(veteran, scope: school, count: 5, tag: "e")
        let office = try town.enroll(
            town.root + "/office", name: "东镇教办", role: .schoolAdmin, scopes: [try ScopeID(Township.township)], mayIssue: true)
        try office.log.keepRegistryKey(RegistryKey.ofAuthority(town.authority), source: .district)
        let relay = try RelayProcess(directory: town.relayDirectory)
        defer { _ = relay.terminate() }
        let address = "127.0.0.1:\(relay.port)"
        for device in [veteran, office] { #expect(try RelayDrillTests.cli(["sync", address, "--dir", device.directory]).status == 0) }

        let phone = town.root + "/phone"
        #expect(try RelayDrillTests.cli(["init", "--dir", phone]).status == 0)
        let asked = try RelayDrillTests.cli([
            "enroll", "request", "--dir", phone, "--name", "钱老师", "--role", "teacher", "--scope", school.value,
            "--relay", address, "--authority", town.authority.publicKey.hex,
        ])
        let phoneKey = try Replica.open(at: phone).key.publicKey
        #expect(asked.status == 0 && asked.out.contains(phoneKey.fingerprint.text), "\(asked.out)")
        // Before approval, a sync says the request waits (and changes nothing).
        let early = try RelayDrillTests.cli(["sync", address, "--dir", phone])
        #expect(early.status != 0 && early.out.contains("waiting"), "\(early.out)")
        #expect(!FileManager.default.fileExists(atPath: phone + "/certificate"))

        // A teacher may not see requests; the office sees this one, with the fingerprint to compare.
        let teacher = try RelayDrillTests.cli(["enroll", "pending", "--dir", veteran.directory, "--relay", address])
        #expect(teacher.status != 0 && teacher.out.contains("only a school or district admin"), "\(teacher.out)")
        let pending = try RelayDrillTests.cli(["enroll", "pending", "--dir", office.directory, "--relay", address])
        #expect(pending.out.contains("钱老师") && pending.out.contains(phoneKey.fingerprint.text), "\(pending.out)")
        let approved = try RelayDrillTests.cli(["enroll", "approve", phoneKey.hex, "--dir", office.directory, "--relay", address])
        #expect(approved.status == 0 && approved.out.contains("No request is waiting"), "\(approved.out)")

        let collected = try RelayDrillTests.cli(["sync", address, "--dir", phone])
        #expect(collected.status == 0, "\(collected.out)")
        let enrolled = try Replica.open(at: phone)
        #expect(enrolled.log.authority == town.authority.publicKey)
        let cert = try #require(try enrolled.log.latestCertificate(of: phoneKey))
        #expect(cert.issuer == office.key.publicKey && cert.role == .teacher && cert.scopes == [school])
        #expect(try enrolled.log.certifiedScopes(of: phoneKey, at: Replica.nowMilliseconds()) != nil, "its certificate does not chain here")
        #expect(try enrolled.log.registryKey()?.source == .district)
        #expect(try enrolled.log.registryKey()?.key == RegistryKey.ofAuthority(town.authority))
        for id in visits { #expect(try enrolled.log.contains(id), "the first sync did not bring the school") }
        #expect(!FileManager.default.fileExists(atPath: phone + "/enrollment-pending"))

        // The office asks the relay when its devices last synced there: the phone is up to date; after the
        // veteran's three new visits reach the relay it is three behind; a teacher may not ask.
        // (The relay writes device activity to its database once a second.)
        let officeReplica = try Replica.open(at: office.directory)
        func seenOnceFlushed(_ ready: ([PublicKey: DeskMessage.DeviceSeen]) -> Bool) async throws -> [PublicKey: DeskMessage.DeviceSeen] {
            for _ in 0..<30 {
                let seen = try await RelayEnrollment.seen(officeReplica, relay: address)
                if ready(seen) { return seen }
                try await Task.sleep(for: .milliseconds(200))
            }
            return try await RelayEnrollment.seen(officeReplica, relay: address)
        }
        var seen = try await seenOnceFlushed { $0[phoneKey] != nil }
        #expect(seen[phoneKey]?.behind == 0 && seen[veteran.key.publicKey] != nil, "\(seen)")
        _ = try Township.writeVisits(veteran, scope: school, count: 3, tag: "later")
        #expect(try RelayDrillTests.cli(["sync", address, "--dir", veteran.directory]).status == 0)
        seen = try await seenOnceFlushed { $0[phoneKey]?.behind ?? 0 > 0 }
        // The three visits, and the relay's receipt witnessing them.
        #expect(seen[phoneKey]?.behind == 4, "\(seen)")
        #expect(seen[phoneKey].map { $0.lastSeen > 0 && $0.oldestUnseen > 0 } == true)
        await #expect(throws: AppError.self) { _ = try await RelayEnrollment.seen(try Replica.open(at: veteran.directory), relay: address) }
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
