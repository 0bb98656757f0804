import BaoxueCore

/// What one batch append did.
public struct AppendReport: Equatable, Sendable {
    /// Changes stored for the first time (in any state).
    public var inserted = 0
    /// Changes that were already present (no-ops).
    public var duplicates = 0
    /// Changes that became applied, including earlier pending ones this batch unblocked.
    public var applied = 0
    /// New changes kept aside waiting for deps.
    public var pending = 0
    /// Stored but quarantined: no certificate permits them (yet).
    public var quarantined = 0
    /// Changes inside transfers whose signature did not verify: dropped, the rest of the transfer applied.
    public var forgedInTransfers = 0
    /// Equivocations found: (author, seq) with two different changes.
    public var equivocations: [Equivocation] = []
    /// Receipts this replica (a relay) signed for the changes it stored first; not counted in `inserted`.
    public var receipts = 0
    /// The record views were re-derived from the whole log: a change leaving them (an
    /// equivocation, a revocation) could not be taken out row by row (`ViewRepair`), or the
    /// device's own revocation wiped its keys.
    public var viewsRebuilt = false
    /// Register writes the views read to show the touched records' fields: bounded by the fields
    /// touched, not by how many concurrent writes a field holds (a measure of work, records.md §3).
    public var registerWritesRead = 0

    public init() {}
}

/// Proof that an author signed two different changes with the same sequence number.
public struct Equivocation: Equatable, Hashable, Sendable {
    public let author: PublicKey
    public let seq: UInt64
    public let first: ChangeID
    public let second: ChangeID

    public init(author: PublicKey, seq: UInt64, first: ChangeID, second: ChangeID) {
        self.author = author
        self.seq = seq
        self.first = first
        self.second = second
    }
}
