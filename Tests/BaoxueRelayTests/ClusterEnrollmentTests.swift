import BaoxueApp
import BaoxueCore
import BaoxuePrivacy
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// The enrollment desk on a relay cluster (sync.md §3.1, docs/postgres.md): the same journey as on a
/// SQLite relay (`RelayEnrollmentTests`), with each step at a different process of two on one
/// PostgreSQL — the phone leaves its request at one, the office sees and approves it at the other,
/// the phone collects its certificate where it likes; and two decisions on one request at once, at
/// two processes, are never both taken.
@Suite(.serialized) struct ClusterEnrollmentTests {
    @Test func aRequestLeftAtOneProcessIsDecidedAtTheOtherAndCollectedAtEither() async throws {
        try await PostgresCluster.with { pg in
            let cluster = try ClusterTown("cluster-desk", cluster: pg)
            let town = cluster.town
            let school = Township.school(0)
            let veteran = try town.makeDevice(0, schools: 1)
            let visits = try Township.writeVisits(veteran, scope: school, count: 5, tag: "e")
            let office = try town.enroll(
                town.root + "/office", name: "东镇教办", role: .schoolAdmin, scopes: [try ScopeID(Township.township)], mayIssue: true)
            try office.log.keepRegistryKey(RegistryKey.ofAuthority(town.authority), source: .district)
            // Real `relay serve --store` processes: this test waits on CLI processes, which must not hold up
            // relays running on its own threads (with in-process relays the full suite starved other tests).
            let relays = try cluster.startProcesses(2)
            defer { for relay in relays { _ = relay.terminate() } }
            let (a, b) = ("127.0.0.1:\(relays[0].port)", "127.0.0.1:\(relays[1].port)")
            #expect(try RelayDrillTests.cli(["sync", a, "--dir", veteran.directory]).status == 0)
            #expect(try RelayDrillTests.cli(["sync", b, "--dir", office.directory]).status == 0)

            let phone = town.root + "/phone"
            #expect(try RelayDrillTests.cli(["init", "--dir", phone]).status == 0)
            let asked = try RelayDrillTests.cli([
                "enroll", "request", "--dir", phone, "--name", "钱老师", "--role", "teacher", "--scope", school.value,
                "--relay", a, "--authority", town.authority.publicKey.hex,
            ])
            let phoneKey = try Replica.open(at: phone).key.publicKey
            #expect(asked.status == 0 && asked.out.contains(phoneKey.fingerprint.text), "\(asked.out)")
            let early = try RelayDrillTests.cli(["sync", b, "--dir", phone])
            #expect(early.status != 0 && early.out.contains("waiting"), "\(early.out)")

            // Left at a, seen at b; a teacher sees nothing at either.
            let teacher = try RelayDrillTests.cli(["enroll", "pending", "--dir", veteran.directory, "--relay", b])
            #expect(teacher.status != 0 && teacher.out.contains("only a school or district admin"), "\(teacher.out)")
            let pending = try RelayDrillTests.cli(["enroll", "pending", "--dir", office.directory, "--relay", b])
            #expect(pending.out.contains("钱老师") && pending.out.contains(phoneKey.fingerprint.text), "\(pending.out)")
            let approved = try RelayDrillTests.cli(["enroll", "approve", phoneKey.hex, "--dir", office.directory, "--relay", b])
            #expect(approved.status == 0 && approved.out.contains("No request is waiting"), "\(approved.out)")

            // Collected at a: the certificate the office signed at b, then the school.
            let collected = try RelayDrillTests.cli(["sync", a, "--dir", phone])
            #expect(collected.status == 0, "\(collected.out)")
            let enrolled = try Replica.open(at: phone)
            let cert = try #require(try enrolled.log.latestCertificate(of: phoneKey))
            #expect(cert.issuer == office.key.publicKey && cert.role == .teacher && cert.scopes == [school])
            for id in visits { #expect(try enrolled.log.contains(id), "the first sync did not bring the school") }

            // The office asks either process when its devices last synced: the phone is up to date at first,
            // then four behind once the veteran's three visits and their receipt are stored at the other.
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
            var devices = try await seen(at: b) { $0[phoneKey] != nil }
            #expect(devices[phoneKey]?.behind == 0 && devices[veteran.key.publicKey] != nil, "\(devices)")
            _ = try Township.writeVisits(veteran, scope: school, count: 3, tag: "later")
            #expect(try RelayDrillTests.cli(["sync", b, "--dir", veteran.directory]).status == 0)
            devices = try await seen(at: a) { $0[phoneKey]?.behind ?? 0 > 0 }
            #expect(devices[phoneKey]?.behind == 4, "\(devices)")
            #expect(devices[phoneKey].map { $0.lastSeen > 0 && $0.oldestUnseen > 0 } == true)
            await #expect(throws: AppError.self) { _ = try await RelayEnrollment.seen(try Replica.open(at: veteran.directory), relay: a) }

            // A second phone; the office approves it at a and rejects it at b at the same moment: one decision is taken.
            let second = town.root + "/phone-2"
            #expect(try RelayDrillTests.cli(["init", "--dir", second]).status == 0)
            _ = try RelayDrillTests.cli([
                "enroll", "request", "--dir", second, "--name", "孙老师", "--role", "teacher", "--scope", school.value,
                "--relay", b, "--authority", town.authority.publicKey.hex,
            ])
            let secondKey = try Replica.open(at: second).key.publicKey.hex
            async let approval = Self.succeeds { try await RelayEnrollment.approve(officeReplica, relay: a, subject: secondKey, days: 365) }
            async let rejection = Self.succeeds {
                try await RelayEnrollment.reject(officeReplica, relay: b, subject: secondKey, reason: "重复申请")
            }
            let (approvedSecond, rejectedSecond) = await (approval, rejection)
            #expect(approvedSecond != rejectedSecond, "approved: \(approvedSecond), rejected: \(rejectedSecond)")
            let taken = approvedSecond ? "approval" : "rejection"
            print("cluster desk: an approval at one process and a rejection at the other at once; taken: \(taken)")
            let told = try RelayDrillTests.cli(["sync", a, "--dir", second])
            if approvedSecond {
                let authority = try Replica.open(at: second).log.authority
                #expect(told.status == 0 && authority == town.authority.publicKey, "\(told.out)")
            } else {
                #expect(told.status != 0 && told.out.contains("重复申请"), "\(told.out)")
            }
        }
    }

    static func succeeds(_ body: @Sendable () async throws -> some Sendable) async -> Bool {
        do {
            _ = try await body()
            return true
        } catch { return false }
    }
}
