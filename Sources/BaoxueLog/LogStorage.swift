import BaoxueCore

/// A stored change's place in one storage: its arrival order there, never compared across storages.
public struct LogPosition: Sendable, Hashable, Comparable {
    public let value: Int64
    public init(_ value: Int64) { self.value = value }
    public static func < (a: LogPosition, b: LogPosition) -> Bool { a.value < b.value }
}

/// What the log's rules know of one author: how far its chain is stored and whether it is held.
public struct LogAuthor: Sendable, Equatable {
    /// From this seq on, the author's changes are held (an unresolved equivocation); nil: none.
    public var heldFrom: UInt64?
    /// Highest seq stored in any state; a change above it cannot be a duplicate or an equivocation.
    public var storedSeq: UInt64

    public init(heldFrom: UInt64? = nil, storedSeq: UInt64 = 0) {
        self.heldFrom = heldFrom
        self.storedSeq = storedSeq
    }
}

/// Where a stored change stands, as the rules read it.
public struct LogStanding: Sendable, Equatable {
    public let state: ChangeState
    /// Read only for a quarantined change.
    public let reason: QuarantineReason?
    /// Where it is stored (a ruling names a change by id; the rules then read it there).
    public let position: LogPosition

    public init(state: ChangeState, reason: QuarantineReason? = nil, position: LogPosition) {
        self.state = state
        self.reason = reason
        self.position = position
    }
}

/// The reads and writes the log's acceptance rules (`LogRules`) need, and nothing else:
/// SQLite on a device or a relay, a dictionary in tests, PostgreSQL on a relay cluster.
///
/// Invariants every storage keeps: a change is stored once (by id), with one state; `wait`
/// is idempotent; positions only grow. The rules decide; the storage only stores. Every
/// storage passes the same conformance suite (`LogConformance` in BaoxueTesting).
public protocol LogStorage {
    /// The author's stored seq and hold (zero and none for an author never seen).
    mutating func author(_ key: PublicKey) throws -> LogAuthor
    /// Records from which seq on `key`'s changes are held (nil lifts the hold).
    mutating func hold(_ key: PublicKey, from seq: UInt64?) throws
    /// Moves every stored change of `author` from `seq` on to held and forgets what they waited on;
    /// returns the ids of those that were applied.
    mutating func holdChanges(of author: PublicKey, from seq: UInt64) throws -> [ChangeID]
    /// Every stored change of `author` from `seq` on (any state), in the order stored.
    mutating func changes(of author: PublicKey, from seq: UInt64) throws -> [LogFacts.Row]
    /// The ids stored for one author and seq, in any state, in the order stored (two or more: an equivocation).
    mutating func changeIDs(author: PublicKey, seq: UInt64) throws -> [ChangeID]
    /// The state of a stored change (nil when not stored), with its quarantine reason if quarantined.
    mutating func standing(of id: ChangeID) throws -> LogStanding?
    /// Stores a change in `state`; returns its position.
    mutating func insert(_ change: Change, state: ChangeState) throws -> LogPosition
    /// The change stored at `position` and its state.
    mutating func change(at position: LogPosition) throws -> (state: ChangeState, change: Change)?
    /// Moves a stored change to `state`.
    mutating func setState(_ state: ChangeState, at position: LogPosition) throws
    /// Notes that the change at `position` waits on each of `deps`.
    mutating func wait(_ position: LogPosition, on deps: [LogWait]) throws
    /// The positions waiting on `dep`, ascending.
    mutating func waiting(on dep: LogWait) throws -> [LogPosition]
    /// Forgets everything the change at `position` waits on.
    mutating func stopWaiting(_ position: LogPosition) throws
    /// Keeps why the change at `position` is quarantined (replacing an earlier reason); nil forgets
    /// the reason of a change the gate let through after all.
    mutating func quarantine(_ position: LogPosition, reason: QuarantineReason?) throws
    /// The stored changes (any state) that list `id` among their deps, ascending: what an
    /// equivocation takes back with a change it un-applies (changes.md §8).
    mutating func citing(_ id: ChangeID) throws -> [LogPosition]
    /// Whether any stored change is pending (the rules skip looking for waiters while none is).
    mutating func anyPending() throws -> Bool
}
