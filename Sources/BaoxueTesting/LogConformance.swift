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
        public var description: String { name }

        public init(name: String, arrivals: [Change], revoked: [Change], expected: [ChangeID: ChangeState]) {
            self.name = name
            self.arrivals = arrivals
            self.revoked = revoked
            self.expected = expected
        }
    }

    /// Runs `scenario` over `storage` the way a replica's append does, without a trust gate:
    /// arrival → equivocation hold, or admission → store → wait, or apply and release what waited.
    /// (A replica also takes back what depended on a change an equivocation un-applies: its host's work.)
    public static func run<S: LogStorage>(_ scenario: Scenario, on storage: inout S) throws -> Outcome {
        var out = Outcome()
        var applied = Set<ChangeID>()
        for change in scenario.revoked {
            let position = try storage.insert(change, state: .quarantined)
            try storage.quarantine(position, reason: .revoked)
        }
        for change in scenario.arrivals {
            let author = try storage.author(change.author)
            switch try LogRules.arrival(change, author: author, in: &storage) {
            case .duplicate:
                out.arrivals.append("duplicate")
                continue
            case .equivocation:
                out.arrivals.append("equivocation")
                _ = try storage.insert(change, state: .held)
                _ = try LogRules.equivocation(change, author: author, in: &storage)
                continue
            case .new: break
            }
            let (state, missing) = try LogRules.admission(
                change, author: author, missing: { try LogRules.missingDeps(change, applied: applied, in: &storage) },
                readsDetached: { false })
            out.arrivals.append("\(state)")
            let position = try storage.insert(change, state: state)
            if state == .pending { try storage.wait(position, on: missing) }
            guard state == .applied else { continue }
            var work = [change]
            while let c = work.popLast() {
                applied.insert(c.id)
                work += try LogRules.unblocked(by: c.id, applied: &applied, in: &storage)
            }
        }
        for change in scenario.revoked + scenario.arrivals {
            if let standing = try storage.standing(of: change.id) { out.states[change.id] = standing.state }
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
        let afterRevoked = try Change.sign(
            by: b, seq: 3, timestamp: try HLCTimestamp(milliseconds: 1_764_000_009_000, counter: 0), scope: scope,
            deps: [x[3].id], payload: [7])
        let revocation = try Change.sign(
            by: b, seq: 4, timestamp: try HLCTimestamp(milliseconds: 1_764_000_010_000, counter: 0), scope: .admin,
            deps: [x[2].id], payload: [AdminPayload.revocationTag])
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
        ]
    }
}
