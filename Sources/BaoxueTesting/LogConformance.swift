import BaoxueCore
import BaoxueLog
import BaoxueTrust

/// The conformance suite of the log's storages: scenarios of arrivals (in order, out of order,
/// duplicates, equivocations, revoked deps, revocations ahead of their deps, shuffled replays), each
/// run through `LogRules` over any `LogStorage`. Every storage must end every scenario in the states
/// `expected` gives, and all storages in the same states.
public enum LogConformance {
    /// What one scenario left: the arrival of each change as it came, and every stored change's final state.
    public struct Outcome: Sendable, Equatable, CustomStringConvertible {
        public var arrivals: [String] = []
        public var states: [ChangeID: ChangeState] = [:]
        public var description: String {
            "arrivals \(arrivals); states " + states.sorted { $0.key < $1.key }.map { "\($0.key.short)=\($0.value)" }.joined(separator: " ")
        }
    }

    /// A named scenario: the changes in their arrival order, and the final state each must reach.
    public struct Scenario: Sendable, CustomStringConvertible {
        public let name: String
        public let arrivals: [Change]
        /// Revoked before the scenario starts (stored quarantined as `revoked`).
        public let revoked: [Change]
        public let expected: [ChangeID: ChangeState]
        /// Revocations applied after the arrivals: the subject, from this date (ms).
        public let revocations: [Revocation]
        public var description: String { name }

        /// A revocation of `subject`'s changes dated `at` (ms) or later (trust.md §7).
        public struct Revocation: Sendable {
            public let subject: PublicKey
            public let at: UInt64
        }

        public init(
            name: String, arrivals: [Change], revoked: [Change], expected: [ChangeID: ChangeState], revocations: [Revocation] = []
        ) {
            self.name = name
            self.arrivals = arrivals
            self.revoked = revoked
            self.expected = expected
            self.revocations = revocations
        }

        /// Whether its states are the same in any arrival order (no equivocation: which half of one
        /// arrives first decides which is the "first").
        public var isOrderFree: Bool { !name.contains("equivocation") }

        /// The same scenario with its first two arrivals repeated and everything shuffled: the same
        /// final states are expected (idempotence and order independence).
        public func shuffled(using rng: inout SeededGenerator) -> Scenario {
            var arrivals = self.arrivals + self.arrivals.prefix(2)
            arrivals.shuffle(using: &rng)
            return Scenario(name: name, arrivals: arrivals, revoked: revoked, expected: expected, revocations: revocations)
        }
    }

    /// Runs `scenario` over `storage` the way a replica's append does, without a trust gate:
    /// arrival → equivocation hold, or admission → store → wait, or apply and release what waited.
    /// (A replica also takes back what depended on a change an equivocation un-applies: its host's work.)
    public static func run<S: LogStorage>(_ scenario: Scenario, on storage: inout S) throws -> Outcome {
        var out = Outcome()
        for change in scenario.revoked {
            let position = try storage.insert(change, state: .quarantined)
            try storage.quarantine(position, reason: .revoked)
        }
        out.arrivals = try LogRules.append(scenario.arrivals, to: &storage).map(\.description)
        for r in scenario.revocations { _ = try LogRules.revoke(r.subject, from: r.at, in: &storage) }
        for change in scenario.revoked + scenario.arrivals {
            if let standing = try storage.standing(of: change.id) { out.states[change.id] = standing.state }
        }
        return out
    }

    /// Runs `scenario` over a log stored anywhere, `batchSize` arrivals at a time (one transaction
    /// each, as a relay appends what one device sent). Ends in the same outcome as `run` over memory.
    public static func run<L: ConformingLog>(_ scenario: Scenario, batchSize: Int, on log: inout L) async throws -> Outcome {
        var out = Outcome()
        try await log.storeRevoked(scenario.revoked)
        var rest = scenario.arrivals[...]
        while !rest.isEmpty {
            out.arrivals += try await log.append(Array(rest.prefix(batchSize))).map(\.description)
            rest = rest.dropFirst(batchSize)
        }
        for r in scenario.revocations { try await log.revoke(r.subject, from: r.at) }
        for change in scenario.revoked + scenario.arrivals {
            if let state = try await log.state(of: change.id) { out.states[change.id] = state }
        }
        return out
    }

    /// Every scenario, built from fixed keys (deterministic: the same changes on every run).
    public static func scenarios() throws -> [Scenario] {
        let scope = try ScopeID("示例一小")
        let a = Fixtures.key(41)
        let b = Fixtures.key(42)
        func chain(_ key: DeviceKey, _ n: Int, tag: UInt8 = 0, from: Change? = nil) throws -> [Change] {
            var out: [Change] = []
            var dep = from.map { [$0.id] } ?? []
            for i in 0..<n {
                let seq = UInt64(i + 1) + (from?.seq ?? 0)
                let c = try Change.sign(
                    by: key, seq: seq, timestamp: try HLCTimestamp(milliseconds: 1_764_000_000_000 + seq * 1_000, counter: 0),
                    scope: scope, deps: dep, payload: [tag, UInt8(i)])
                out.append(c)
                dep = [c.id]
            }
            return out
        }
        let x = try chain(a, 4)
        let y = try chain(b, 2, from: nil)
        let fork = try chain(a, 1, tag: 9, from: x[0])  // a second change with x[1]'s seq
        let c = Fixtures.key(43)
        // Waits on y[1] (pending itself, its y[0] never comes) until b is revoked from y[1]'s date.
        let waiter = try Change.sign(
            by: c, seq: 1, timestamp: try HLCTimestamp(milliseconds: 1_764_000_005_000, counter: 0), scope: scope,
            deps: [y[1].id], payload: [5])
        let bAdmin = try Change.sign(
            by: b, seq: 3, timestamp: try HLCTimestamp(milliseconds: 1_764_000_003_000, counter: 0), scope: .admin,
            deps: [], payload: [AdminPayload.revocationTag])
        let revokeB = Scenario.Revocation(subject: b.publicKey, at: y[1].timestamp.milliseconds)
        let afterRevoked = try Change.sign(
            by: b, seq: 3, timestamp: try HLCTimestamp(milliseconds: 1_764_000_009_000, counter: 0), scope: scope,
            deps: [x[3].id], payload: [7])
        let revocation = try Change.sign(
            by: b, seq: 4, timestamp: try HLCTimestamp(milliseconds: 1_764_000_010_000, counter: 0), scope: .admin,
            deps: [x[2].id], payload: [AdminPayload.revocationTag])
        // Another teacher's work on x[1] (z[0] cites it, z[1] cites z[0]): an equivocation on x[1]'s seq takes it back.
        let e = Fixtures.key(45)
        var z: [Change] = []
        for (i, dep) in [x[1].id, nil].enumerated() {
            z.append(
                try Change.sign(
                    by: e, seq: UInt64(i + 1), timestamp: try HLCTimestamp(milliseconds: 1_764_000_006_000 + UInt64(i) * 1_000, counter: 0),
                    scope: scope, deps: [dep ?? z[0].id], payload: [6, UInt8(i)]))
        }
        func all(_ changes: [Change], _ state: ChangeState) -> [ChangeID: ChangeState] {
            Dictionary(uniqueKeysWithValues: changes.map { ($0.id, state) })
        }
        return [
            Scenario(name: "a chain in order", arrivals: x, revoked: [], expected: all(x, .applied)),
            Scenario(
                name: "a chain backwards: each waits, the first releases all", arrivals: x.reversed(), revoked: [],
                expected: all(x, .applied)),
            Scenario(
                name: "a gap: the changes after it wait", arrivals: [x[0], x[2], x[3]], revoked: [],
                expected: [x[0].id: .applied, x[2].id: .pending, x[3].id: .pending]),
            Scenario(
                name: "duplicates are stored once", arrivals: [x[0], x[0], x[1], x[0]], revoked: [],
                expected: all([x[0], x[1]], .applied)),
            Scenario(
                name: "an equivocation holds the author from its seq", arrivals: [x[0], x[1], y[0], fork[0], x[2]], revoked: [],
                expected: [x[0].id: .applied, x[1].id: .held, fork[0].id: .held, x[2].id: .held, y[0].id: .applied]),
            Scenario(
                name: "two authors interleaved, out of order", arrivals: [y[1], x[1], y[0], x[0]], revoked: [],
                expected: all([x[0], x[1], y[0], y[1]], .applied)),
            Scenario(
                name: "a dep quarantined as revoked counts as present", arrivals: [x[0], x[1], x[2], afterRevoked],
                revoked: [x[3]], expected: all([x[0], x[1], x[2], afterRevoked], .applied).merging([x[3].id: .quarantined]) { a, _ in a }),
            Scenario(
                name: "a revocation applies ahead of its deps", arrivals: [revocation, x[0]], revoked: [],
                expected: [revocation.id: .applied, x[0].id: .applied]),
            Scenario(
                name: "revoked from a date: later changes quarantined, earlier and _admin ones kept", arrivals: [y[0], y[1], bAdmin],
                revoked: [], expected: [y[0].id: .applied, y[1].id: .quarantined, bAdmin.id: .applied], revocations: [revokeB]),
            Scenario(
                name: "a change waiting on a revoked one goes on", arrivals: [y[1], waiter], revoked: [],
                expected: [y[1].id: .quarantined, waiter.id: .applied], revocations: [revokeB]),
            Scenario(
                name: "an equivocation takes back another author's work built on it", arrivals: [x[0], x[1], z[0], z[1], fork[0]],
                revoked: [],
                expected: [x[0].id: .applied, x[1].id: .held, fork[0].id: .held, z[0].id: .pending, z[1].id: .pending]),
            Scenario(
                name: "work on a change an equivocation took back waits", arrivals: [x[0], x[1], z[0], fork[0], z[1]], revoked: [],
                expected: [x[0].id: .applied, x[1].id: .held, fork[0].id: .held, z[0].id: .pending, z[1].id: .pending]),
        ]
    }
}

/// A log under the conformance suite, stored anywhere (memory read through snapshots, PostgreSQL):
/// the suite drives it batch by batch and reads back states.
public protocol ConformingLog {
    /// Stores `changes` quarantined as revoked: a scenario's starting point.
    mutating func storeRevoked(_ changes: [Change]) async throws
    /// Appends one batch through `LogRules.append` and commits it.
    mutating func append(_ batch: [Change]) async throws -> [LogRules.Verdict]
    /// A stored change's state (nil: not stored).
    mutating func state(of id: ChangeID) async throws -> ChangeState?
    /// Applies a revocation of `subject` from `at` (ms) through `LogRules.revoke` and commits it.
    mutating func revoke(_ subject: PublicKey, from at: UInt64) async throws
}

/// A `LogMemory` the rules reach only through `LogSnapshot` and `LogDelta`, as they reach
/// PostgreSQL: proves the snapshot path ends every scenario where direct storage does.
public struct SnapshotMemoryLog: ConformingLog {
    public private(set) var memory = LogMemory()
    /// Facts fetched (prefetch included); with prefetch, the rules' runs that missed one.
    public private(set) var fetched = 0
    /// Facts read ahead before the first run of each batch (the relay's prefetch).
    public let prefetches: Bool

    public init(prefetches: Bool) { self.prefetches = prefetches }

    public mutating func storeRevoked(_ changes: [Change]) async throws {
        for change in changes {
            let position = try memory.insert(change, state: .quarantined)
            try memory.quarantine(position, reason: .revoked)
        }
    }

    public mutating func append(_ batch: [Change]) async throws -> [LogRules.Verdict] {
        var facts = LogFacts()
        let source = memory
        var misses = 0
        let (verdicts, delta) = try await LogSnapshot.run(
            &facts, prefetch: prefetches ? LogFacts.needs(of: batch) : [],
            fetch: { needs, facts in
                misses += needs.count
                for need in needs { source.answer(need, into: &facts) }
            }
        ) { snapshot in try LogRules.append(batch, to: &snapshot) }
        fetched += misses
        try delta.apply(to: &memory)
        return verdicts
    }

    public mutating func revoke(_ subject: PublicKey, from at: UInt64) async throws {
        var facts = LogFacts()
        let source = memory
        let (_, delta) = try await LogSnapshot.run(
            &facts, prefetch: prefetches ? [.authorFrom(subject, 1), .anyPending] : [],
            fetch: { needs, facts in for need in needs { source.answer(need, into: &facts) } }
        ) { snapshot in try LogRules.revoke(subject, from: at, in: &snapshot) }
        try delta.apply(to: &memory)
    }

    public mutating func state(of id: ChangeID) async throws -> ChangeState? { try memory.standing(of: id)?.state }
}
