import BaoxueApp
import BaoxueCore
import BaoxuePrivacy
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// A new phone's enrollment through a relay's desk (sync.md §3.1) with the real CLI, each step at an
/// address of its own: one SQLite relay answers every step, a cluster's processes share them. A veteran
/// teacher and the township office (holding a delegation and the district's registry key) have synced;
/// the phone leaves its request, a teacher may not see it, the office sees it with the fingerprint to
/// compare and approves it, the phone collects its certificate at its next sync and holds the school;
/// then the office asks when its devices last synced: the phone is up to date, and four behind once the
/// veteran's three new visits and their receipt are stored.
struct EnrollmentJourney {
    let town: Township
    let school = Township.school(0)
    let veteran: Replica
    let office: Replica
    /// The veteran's first visits, which the phone's first sync must bring.
    let visits: [ChangeID]

    init(_ town: Township) throws {
        self.town = town
        veteran = try town.makeDevice(0, schools: 1)
        visits = try Township.writeVisits(veteran, scope: Township.school(0), count: 5, tag: "e")
        office = try town.enroll(
            town.root + "/office", name: "东镇教办", role: .schoolAdmin, scopes: [try ScopeID(Township.township)], mayIssue: true)
        try office.log.keepRegistryKey(RegistryKey.ofAuthority(town.authority), source: .district)
    }

    /// Where each step goes (host:port).
    struct Stops {
        var veteranSyncs, officeSyncs, ask, decide, collect, watch, veteranSyncsAgain, watchAgain: String
    }

    /// The journey; returns the enrolled phone's key.
    @discardableResult
    func run(_ at: Stops) async throws -> PublicKey {
        #expect(try RelayDrillTests.cli(["sync", at.veteranSyncs, "--dir", veteran.directory]).status == 0)
        #expect(try RelayDrillTests.cli(["sync", at.officeSyncs, "--dir", office.directory]).status == 0)
        let phone = town.root + "/phone"
        #expect(try RelayDrillTests.cli(["init", "--dir", phone]).status == 0)
        let asked = try RelayDrillTests.cli([
            "enroll", "request", "--dir", phone, "--name", "钱老师", "--role", "teacher", "--scope", school.value,
            "--relay", at.ask, "--authority", town.authority.publicKey.hex,
        ])
        let phoneKey = try Replica.open(at: phone).key.publicKey
        #expect(asked.status == 0 && asked.out.contains(phoneKey.fingerprint.text), "\(asked.out)")
        // Before approval, a sync says the request waits (and changes nothing).
        let early = try RelayDrillTests.cli(["sync", at.collect, "--dir", phone])
        #expect(early.status != 0 && early.out.contains("waiting"), "\(early.out)")
        #expect(!FileManager.default.fileExists(atPath: phone + "/certificate"))

        let teacher = try RelayDrillTests.cli(["enroll", "pending", "--dir", veteran.directory, "--relay", at.decide])
        #expect(teacher.status != 0 && teacher.out.contains("only a school or district admin"), "\(teacher.out)")
        let pending = try RelayDrillTests.cli(["enroll", "pending", "--dir", office.directory, "--relay", at.decide])
        #expect(pending.out.contains("钱老师") && pending.out.contains(phoneKey.fingerprint.text), "\(pending.out)")
        let approved = try RelayDrillTests.cli(["enroll", "approve", phoneKey.hex, "--dir", office.directory, "--relay", at.decide])
        #expect(approved.status == 0 && approved.out.contains("No request is waiting"), "\(approved.out)")

        let collected = try RelayDrillTests.cli(["sync", at.collect, "--dir", phone])
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

        // A relay writes what it saw of a session shortly after (a SQLite relay once a second).
        let officeReplica = try Replica.open(at: office.directory)
        func seen(
            at relay: String, until ready: ([PublicKey: DeskMessage.DeviceSeen]) -> Bool
        ) async throws
            -> [PublicKey: DeskMessage.DeviceSeen]
        {
            for _ in 0..<30 {
                let seen = try await RelayEnrollment.seen(officeReplica, relay: relay)
                if ready(seen) { return seen }
                try await Task.sleep(for: .milliseconds(200))
            }
            return try await RelayEnrollment.seen(officeReplica, relay: relay)
        }
        var devices = try await seen(at: at.watch) { $0[phoneKey] != nil }
        #expect(devices[phoneKey]?.behind == 0 && devices[veteran.key.publicKey] != nil, "\(devices)")
        _ = try Township.writeVisits(veteran, scope: school, count: 3, tag: "later")
        #expect(try RelayDrillTests.cli(["sync", at.veteranSyncsAgain, "--dir", veteran.directory]).status == 0)
        devices = try await seen(at: at.watchAgain) { $0[phoneKey]?.behind ?? 0 > 0 }
        // The three visits, and the relay's receipt witnessing them.
        #expect(devices[phoneKey]?.behind == 4, "\(devices)")
        #expect(devices[phoneKey].map { $0.lastSeen > 0 && $0.oldestUnseen > 0 } == true)
        await #expect(throws: AppError.self) {
            _ = try await RelayEnrollment.seen(try Replica.open(at: veteran.directory), relay: at.watch)
        }
        return phoneKey
    }
}
