import BaoxueCore

/// The signed change log as the rest of the system sees it; SQLite today,
/// another backend (PostgreSQL for a province relay) later.
///
/// Invariant of every implementation: a batch is appended whole or not at
/// all; only verified changes are stored; a change is `applied` only when
/// its deps are applied and it is not part of an equivocation.
public protocol ChangeStore: Sendable {
    /// Verifies every encoded change, then appends the batch in one transaction.
    /// True when a returned append has survived power loss (synchronous = FULL): the condition for acknowledging a peer.
    var isDurable: Bool { get }
    func append(encoded: [[UInt8]]) throws(StoreError) -> AppendReport
    /// Appends changes that are already decoded and verified.
    func append(_ changes: [Change]) throws(StoreError) -> AppendReport
    func contains(_ id: ChangeID) throws(StoreError) -> Bool
    /// Applied changes that no applied change depends on, ascending.
    func heads() throws(StoreError) -> [ChangeID]
    /// The highest sequence number of `author` among applied changes (0 if none).
    func appliedSeq(of author: PublicKey) throws(StoreError) -> UInt64
    func count(_ state: ChangeState?) throws(StoreError) -> Int
    /// Entries in local arrival order after `position`, at most `limit`.
    func entries(after position: Int64, limit: Int) throws(StoreError) -> [LogEntry]
    func equivocations() throws(StoreError) -> [Equivocation]
    /// The greatest HLC timestamp stored, for the local clock to continue from.
    func latestTimestamp() throws(StoreError) -> HLCTimestamp?
    /// Every stored change of `scope` (any state), ascending by (timestamp, id).
    func members(of scope: ScopeID) throws(StoreError) -> ReconciliationSet
    /// The encoded changes with these ids, in order; throws `changeMissing` for an id not stored.
    func encodedChanges(_ ids: [ChangeID]) throws(StoreError) -> [[UInt8]]
    /// The scopes that hold at least one change, ascending.
    func scopes() throws(StoreError) -> [ScopeID]
}

/// One stored change with its local position and state.
public struct LogEntry: Sendable, Equatable {
    /// Local arrival order; stable, increasing, never reused.
    public let position: Int64
    public let state: ChangeState
    public let change: Change
}
