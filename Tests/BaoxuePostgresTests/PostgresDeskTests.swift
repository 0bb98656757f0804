import BaoxueCore
import BaoxuePostgres
import BaoxueTesting
import Foundation
import NIOConcurrencyHelpers
import Testing

/// The enrollment desk's rows on PostgreSQL (`PostgresDesk`): two processes deciding on one waiting
/// request at the same moment never both decide — the rules of each read the request as waiting,
/// PostgreSQL aborts one transaction, and its rerun sees the other's decision.
@Suite(.serialized) struct PostgresDeskTests {
    @Test func twoProcessesDecidingOneRequestAtOnceDecideItOnce() async throws {
        try await PostgresCluster.with { cluster in
            try cluster.createDatabase("desk")
            let phone = Fixtures.key(0x61).publicKey
            let waiting = EnrollmentDeskRow(subject: phone, request: [1, 2, 3], receivedAt: 1_000, decision: nil, decidedAt: nil)
            try await withClient(on: cluster, database: "desk") { client in
                let log = PostgresLog(client: client)
                try await log.migrate()
                let desk = PostgresDesk(log: log, trust: PostgresTrust(authority: Fixtures.key(0xA1).publicKey))
                try await desk.run { _, _ in ((), [.keep(waiting)]) }
            }
            let runs = NIOLockedValueBox(0)
            // Each process decides with its own tag; the rules linger so both read the request as waiting.
            @Sendable func decide(_ tag: UInt8) async throws -> Bool {
                try await withClient(on: cluster, database: "desk") { client in
                    let desk = PostgresDesk(log: PostgresLog(client: client), trust: PostgresTrust(authority: Fixtures.key(0xA1).publicKey))
                    return try await desk.run { _, rows in
                        runs.withLockedValue { $0 += 1 }
                        guard let row = rows.first(where: { $0.subject == phone }), row.decision == nil else { return (false, []) }
                        usleep(200_000)
                        let decided = EnrollmentDeskRow(
                            subject: phone, request: row.request, receivedAt: row.receivedAt, decision: [tag], decidedAt: 2_000)
                        return (true, [.keep(decided)])
                    }
                }
            }
            async let first = decide(1)
            async let second = decide(2)
            let (a, b) = try await (first, second)
            #expect(a != b, "both decided: \(a && b)")
            #expect(runs.withLockedValue { $0 } >= 3, "no transaction was run again: the two did not overlap")
            let stored = try await withClient(on: cluster, database: "desk") { client in
                try await PostgresDesk(log: PostgresLog(client: client), trust: PostgresTrust(authority: Fixtures.key(0xA1).publicKey))
                    .run { _, rows in (rows, [PostgresDesk.Write]()) }
            }
            #expect(stored.count == 1 && stored.first?.decision == [a ? 1 : 2], "\(stored)")
            print("desk: two decisions at once, \(runs.withLockedValue { $0 }) runs of the rules, one decision stored")
        }
    }
}
