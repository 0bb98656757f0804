import BaoxueCore
import BaoxueLog
import BaoxuePostgres
import BaoxueStore
import BaoxueTesting
import Testing

/// Receipts and reconciliation sets on every storage a relay keeps: the log's conformance scenarios
/// through a relay on SQLite (`ChangeLog` with a witness key) and a cluster process on PostgreSQL
/// (`PostgresLog` with `PostgresWitness`), in batches of several sizes. Each is checked against what
/// the scenario's arrivals say (trust.md §6) — every change stored first, outside `_admin`, witnessed
/// exactly once, in a receipt of its own scope, one receipt per batch and scope, the relay's receipts
/// a chain without gaps, all applied — and both must hold the same reconciliation set of each scope.
@Suite(.serialized) struct WitnessConformanceTests {
    static let relay = Fixtures.key(0x57)
    /// After every scenario's clocks, so no change waits for the relay's.
    static let now: UInt64 = 1_764_000_100_000

    /// What one storage left: the relay's receipts in seq order, and each scope's set without them.
    struct Witnessed {
        var receipts: [Change] = []
        var receiptsApplied = true
        var sets: [ScopeID: ReconciliationSet] = [:]
    }

    @Test func bothStoragesWitnessWhatTheyStoredFirstOnceAndHoldTheSameSets() async throws {
        try await PostgresCluster.with { cluster in
            for (n, scenario) in try LogConformance.scenarios().enumerated()
            where scenario.revoked.isEmpty && scenario.revocations.isEmpty {
                for size in [1, 3, 100] {
                    let batches = stride(from: 0, to: scenario.arrivals.count, by: size).map {
                        Array(scenario.arrivals[$0..<min($0 + size, scenario.arrivals.count)])
                    }
                    let sqlite = try Self.onSQLite(batches)
                    let postgres = try await Self.onPostgres(batches, on: cluster, database: "w\(n)_\(size)")
                    for (storage, witnessed) in [("SQLite", sqlite), ("PostgreSQL", postgres)] {
                        Self.check(witnessed, against: batches, "\(scenario.name), batches of \(size), \(storage)")
                    }
                    #expect(sqlite.sets == postgres.sets, "\(scenario.name), batches of \(size)")
                }
            }
        }
    }

    /// The checks of one storage against the oracle: the scenario's arrivals, first arrivals counted once.
    static func check(_ witnessed: Witnessed, against batches: [[Change]], _ label: String) {
        var seen = Set<ChangeID>()
        var firstStored: [Change] = []
        var receiptsDue = 0
        for batch in batches {
            var scopes = Set<ScopeID>()
            for change in batch where seen.insert(change.id).inserted {
                firstStored.append(change)
                if change.scope != .admin { scopes.insert(change.scope) }
            }
            receiptsDue += scopes.count
        }
        let due = firstStored.filter { $0.scope != .admin }
        let scopeOf = Dictionary(uniqueKeysWithValues: firstStored.map { ($0.id, $0.scope) })
        var named: [ChangeID] = []
        for receipt in witnessed.receipts {
            guard let ids = try? WitnessReceipt.decode(receipt.payload).ids else {
                Issue.record("\(label): receipt \(receipt.id.short) does not decode")
                continue
            }
            named += ids
            #expect(ids.allSatisfy { scopeOf[$0] == receipt.scope }, "\(label): a receipt names a change of another scope")
        }
        #expect(named.sorted() == due.map(\.id).sorted(), "\(label): witnessed \(named.count), stored first \(due.count)")
        #expect(witnessed.receipts.count == receiptsDue, "\(label): \(witnessed.receipts.count) receipts")
        #expect(witnessed.receipts.map(\.seq) == (0..<UInt64(witnessed.receipts.count)).map { $0 + 1 }, "\(label): a gap in the receipts")
        let applied = witnessed.receiptsApplied
        #expect(applied, "\(label): a receipt is not applied")
        let expectedSets = Dictionary(grouping: firstStored, by: \.scope).mapValues { ReconciliationSet($0.map(SyncItem.init(change:))) }
        #expect(witnessed.sets == expectedSets, "\(label): reconciliation sets")
    }

    /// A relay on SQLite, one append (one transaction) per batch.
    static func onSQLite(_ batches: [[Change]]) throws -> Witnessed {
        let log = try ChangeLog(inMemory: (), options: .init(merge: nil, clock: { now }, witness: relay))
        for batch in batches { _ = try log.append(batch) }
        var out = Witnessed()
        out.receipts = try log.entries(after: 0, limit: 10_000).map(\.change).filter { $0.author == relay.publicKey }
            .sorted { $0.seq < $1.seq }
        out.receiptsApplied = try out.receipts.allSatisfy { try log.state(of: $0.id) == .applied }
        let receiptIDs = Set(out.receipts.map(\.id))
        for scope in try log.scopes() {
            out.sets[scope] = ReconciliationSet(try log.members(of: scope).filter { !receiptIDs.contains($0.id) })
        }
        return out
    }

    /// A cluster process on PostgreSQL, one append (one SERIALIZABLE transaction) per batch; the sets
    /// as a process reads them before a session (`PostgresScopeSets`).
    static func onPostgres(_ batches: [[Change]], on cluster: PostgresCluster, database: String) async throws -> Witnessed {
        try await withLog(on: cluster, database: database) { log in
            var out = Witnessed()
            for batch in batches {
                out.receipts += try await log.append(batch, witness: PostgresWitness(key: relay), now: now).receipts
            }
            for receipt in out.receipts where try await log.state(of: receipt.id) != .applied { out.receiptsApplied = false }
            let receiptIDs = Set(out.receipts.map(\.id))
            var read = PostgresScopeSets()
            try await read.refresh(from: log)
            out.sets = read.sets.mapValues { ReconciliationSet($0.filter { !receiptIDs.contains($0.id) }) }
            return out
        }
    }
}
