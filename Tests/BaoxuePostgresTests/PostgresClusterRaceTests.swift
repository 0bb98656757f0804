import BaoxueCore
import BaoxueLog
import BaoxuePostgres
import BaoxueTesting
import Testing

/// Two relay processes (two client pools) on one database, receiving at the same moment.
@Suite(.serialized) struct PostgresClusterRaceTests {
    /// Both receive the same batch at once, 20 times over: each change is stored once, and the
    /// states are those one process alone would reach.
    @Test func theSameChangesReceivedTwiceAtOnceAreStoredOnce() async throws {
        try await PostgresCluster.with { cluster in
            try cluster.createDatabase("race")
            for round in 0..<20 {
                // Each round a fresh chain of a fresh author, so every round races on new ids.
                let chain = Fixtures.chain(Fixtures.key(UInt8(100 + round)), count: 6)
                let arrivals = round.isMultiple(of: 2) ? chain : chain.reversed()
                async let first = withClient(on: cluster, database: "race") { client in
                    let log = PostgresLog(client: client)
                    try await log.migrate()
                    return try await log.append(arrivals)
                }
                async let second = withClient(on: cluster, database: "race") { client in
                    let log = PostgresLog(client: client)
                    try await log.migrate()
                    return try await log.append(arrivals.reversed())
                }
                let (a, b) = try await (first, second)
                #expect(a.count == chain.count && b.count == chain.count, "round \(round)")
                let states = try await withClient(on: cluster, database: "race") { client in
                    let log = PostgresLog(client: client)
                    var states: [ChangeState?] = []
                    for change in chain { states.append(try await log.state(of: change.id)) }
                    return (states, try await log.count())
                }
                #expect(states.0 == Array(repeating: .applied, count: chain.count), "round \(round): \(states.0)")
                #expect(states.1 == 6 * (round + 1), "round \(round): every change stored once")
            }
        }
    }

    /// The two halves of an equivocation reach different processes at the same moment: both are
    /// stored, both held, and the author is held from that seq whichever committed first.
    @Test func anEquivocationSplitAcrossProcessesIsHeldWhole() async throws {
        try await PostgresCluster.with { cluster in
            let key = Fixtures.key(77)
            let chain = Fixtures.chain(key, count: 3)
            // The same seq as chain[1], other content: an equivocation.
            let fork = Fixtures.chain(key, count: 1, firstSeq: 2, after: [chain[0].id], payloadBytes: 9)[0]
            try cluster.createDatabase("fork")
            try await withClient(on: cluster, database: "fork") { client in
                let log = PostgresLog(client: client)
                try await log.migrate()
                _ = try await log.append([chain[0]])
            }
            async let one = withClient(on: cluster, database: "fork") { try await PostgresLog(client: $0).append([chain[1], chain[2]]) }
            async let two = withClient(on: cluster, database: "fork") { try await PostgresLog(client: $0).append([fork]) }
            let verdicts = try await (one, two)
            #expect(verdicts.0.contains(.equivocation) || verdicts.1.contains(.equivocation))
            let states = try await withClient(on: cluster, database: "fork") { client in
                let log = PostgresLog(client: client)
                var states: [ChangeState?] = []
                for change in [chain[0], chain[1], chain[2], fork] { states.append(try await log.state(of: change.id)) }
                return states
            }
            #expect(states == [.applied, .held, .held, .held])
        }
    }
}
