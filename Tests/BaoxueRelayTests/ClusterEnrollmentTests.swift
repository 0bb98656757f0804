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
            let journey = try EnrollmentJourney(town)
            try cluster.makeRelay(0)
            try cluster.makeRelay(1)
            // Real `relay serve --store` processes: this test waits on CLI processes, which must not hold up
            // relays running on its own threads (with in-process relays the full suite starved other tests).
            let relays = try cluster.startProcesses(2)
            defer { for relay in relays { _ = relay.terminate() } }
            let (a, b) = ("127.0.0.1:\(relays[0].port)", "127.0.0.1:\(relays[1].port)")
            // Left at a, seen and approved at b, collected at a; the office asks b, then a after the veteran syncs at b.
            try await journey.run(
                .init(
                    veteranSyncs: a, officeSyncs: b, ask: a, decide: b, collect: a, watch: b, veteranSyncsAgain: b, watchAgain: a))
            let school = journey.school
            let officeReplica = try Replica.open(at: journey.office.directory)

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
