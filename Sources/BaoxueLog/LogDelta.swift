import BaoxueCore

/// What one run of the log's rules over a `LogSnapshot` wrote, for a storage to commit at once.
///
/// Positions at or above `LogSnapshot.firstStaged` name changes `inserted` in the same delta; a
/// storage gives each its real position when it inserts it and reads every later position through
/// that map. Apply in this order: insert, set states, clear waits, add waits, holds, reasons.
public struct LogDelta: Sendable {
    /// New changes in the order the rules stored them, each in its final state.
    public var inserted: [(change: Change, state: ChangeState, staged: LogPosition)]
    /// New states of changes stored before the run.
    public var states: [LogPosition: ChangeState]
    /// Stored changes whose every wait is forgotten (before `waits` adds any back).
    public var cleared: Set<LogPosition>
    /// The deps each position waits on, added.
    public var waits: [LogPosition: [LogWait]]
    /// Holds set (a nil value lifts one).
    public var holds: [PublicKey: UInt64?]
    /// Quarantine reasons kept (nil: forgotten, the change was let through).
    public var reasons: [LogPosition: QuarantineReason?]

    public var isEmpty: Bool {
        inserted.isEmpty && states.isEmpty && cleared.isEmpty && waits.isEmpty && holds.isEmpty && reasons.isEmpty
    }

    /// Applies the delta through another storage's own writes (memory, SQLite); returns where each
    /// staged position landed. PostgreSQL applies it in set-wise statements instead.
    @discardableResult
    public func apply<S: LogStorage>(to storage: inout S) throws -> [LogPosition: LogPosition] {
        var real: [LogPosition: LogPosition] = [:]
        for entry in inserted { real[entry.staged] = try storage.insert(entry.change, state: entry.state) }
        func map(_ position: LogPosition) -> LogPosition { real[position] ?? position }
        for (position, state) in states.sorted(by: { $0.key < $1.key }) { try storage.setState(state, at: position) }
        for position in cleared.sorted() { try storage.stopWaiting(position) }
        for (position, deps) in waits.sorted(by: { $0.key < $1.key }) { try storage.wait(map(position), on: deps) }
        for (key, seq) in holds.sorted(by: { $0.key < $1.key }) { try storage.hold(key, from: seq) }
        for (position, reason) in reasons.sorted(by: { $0.key < $1.key }) { try storage.quarantine(map(position), reason: reason) }
        return real
    }
}
