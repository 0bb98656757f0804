import BaoxueCore

/// Every district policy a replica holds, and the rule that picks the one in force (records.md §3.2).
///
/// For a record of scope S on day D: among the policies whose district covers S and whose effective
/// date is on or before D, the one of the most specific district wins; among those, the latest
/// effective date; then the later signature (HLC, then change id). With none, `base` (the Fengnan
/// notice's rules, built in). A function of the set of policies, so every replica that holds the
/// same ones evaluates the same way, whatever order they arrived in.
public struct PolicyBook: Sendable, Equatable {
    /// One published policy and the signed change that carried it.
    public struct Entry: Sendable, Equatable {
        public let policy: DistrictPolicy
        public let hlc: HLCTimestamp
        public let change: ChangeID

        public init(policy: DistrictPolicy, hlc: HLCTimestamp, change: ChangeID) {
            self.policy = policy
            self.hlc = hlc
            self.change = change
        }
    }

    public let entries: [Entry]
    public let base: Policy

    public init(_ entries: [Entry] = [], base: Policy = .fengnan) {
        self.entries = entries.sorted(by: Self.before)
        self.base = base
    }

    /// The rules for a record of `scope` on `day`; `scope` nil (unknown) takes `base`.
    public func policy(for scope: ScopeID?, on day: SimpleDate) -> Policy {
        entry(for: scope, on: day)?.policy.rules ?? base
    }

    /// The entry in force, if any.
    public func entry(for scope: ScopeID?, on day: SimpleDate) -> Entry? {
        guard let scope, !entries.isEmpty else { return nil }
        return entries.last { $0.policy.district.covers(scope) && $0.policy.effective <= day }
    }

    /// Ascending precedence: a broader district, then an earlier date, then an earlier signature.
    static func before(_ a: Entry, _ b: Entry) -> Bool {
        let (x, y) = (a.policy, b.policy)
        if x.district.utf8.count != y.district.utf8.count { return x.district.utf8.count < y.district.utf8.count }
        if x.effective != y.effective { return x.effective < y.effective }
        if a.hlc != b.hlc { return a.hlc.packed < b.hlc.packed }
        return a.change.bytes.lexicographicallyPrecedes(b.change.bytes)
    }
}
