/// Where a stored change stands. Every storage keeps it as this integer.
public enum ChangeState: Int, Sendable, CaseIterable {
    /// Its deps and its author's previous change are applied; views may use it.
    case applied = 0
    /// Kept aside until its missing deps (or its author's previous change) arrive.
    case pending = 1
    /// Part of an equivocation (or after one, from the same author): kept as
    /// proof, not applied until a person decides.
    case held = 2
    /// Its author has no certificate that permits it (trust.md §6): kept,
    /// never applied, re-checked when a certificate for the author arrives.
    case quarantined = 3

    /// The stored integer as SQL text, for the conditions partial indexes match on (a bound
    /// parameter would not let the planner use `change_not_applied`): never a bare number in SQL.
    public var sql: String { String(rawValue) }
}
