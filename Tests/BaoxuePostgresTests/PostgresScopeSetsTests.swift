import BaoxueCore
import BaoxueLog
import BaoxuePostgres
import BaoxueTesting
import PostgresNIO
import Testing

/// A relay process's in-memory reconciliation sets, kept up to date from the shared log.
@Suite(.serialized) struct PostgresScopeSetsTests {
    /// A transaction that took a lower position commits after a higher one was read: a copy that
    /// caught up by position would never see it; by transaction id it does, on the next refresh.
    @Test func aLowerPositionCommittedLateIsNotMissed() async throws {
        try await PostgresCluster.with { cluster in
            let key = Fixtures.key(31)
            let chainA = Fixtures.chain(key, count: 1, scope: "示例一小")
            let chainB = Fixtures.chain(Fixtures.key(32), count: 1, scope: "示例一小")
            try await withLog(on: cluster, database: "late") { log in
                var sets = PostgresScopeSets()
                #expect(try await sets.refresh(from: log) == 0)
                let scope = try ScopeID("示例一小")
                try await log.client.withConnection { slow in
                    try await slow.query("BEGIN", logger: log.logger)
                    try await insert(chainA[0], on: slow, log)  // takes the lower position, not committed
                    _ = try await log.append(chainB)  // a higher position, committed
                    try await sets.refresh(from: log)
                    #expect(sets.sets[scope]?.items.map(\.packed) == [PackedChangeID(chainB[0].id)])
                    try await slow.query("COMMIT", logger: log.logger)
                }
                try await sets.refresh(from: log)
                let expected = [chainA[0], chainB[0]].map { SyncItem(timestamp: UInt64($0.timestamp.packed), id: $0.id) }.sorted()
                #expect(sets.sets[scope]?.items == expected)
                // A fresh copy reads the same set in one go.
                var fresh = PostgresScopeSets()
                try await fresh.refresh(from: log)
                #expect(fresh.sets == sets.sets)
                // Nothing new: the refresh reads (at most) rows of transactions still open, here none.
                #expect(try await sets.refresh(from: log) == 0)
            }
        }
    }

    private func insert(_ change: Change, on connection: PostgresConnection, _ log: PostgresLog) async throws {
        try await connection.query(
            """
            INSERT INTO log_change (id, author, seq, hlc, scope, state, bytes)
            VALUES (\(ByteBuffer(bytes: change.id.bytes)), \(ByteBuffer(bytes: change.author.bytes)), \(Int64(change.seq)),
                    \(change.timestamp.packed), \(change.scope.value), 0, \(ByteBuffer(bytes: change.encoded)))
            """, logger: log.logger)
    }
}
