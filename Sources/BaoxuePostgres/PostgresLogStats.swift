import Synchronization

/// How often a `PostgresLog`'s transactions ran, and how often PostgreSQL aborted one for a
/// conflict with another process and it ran again: the contention between relay processes.
/// Shared by every copy of the log value (a class), counted atomically.
public final class PostgresLogStats: Sendable {
    private let committed = Atomic<Int>(0)
    private let conflicts = Atomic<Int>(0)

    public init() {}

    /// Transactions that committed.
    public var commits: Int { committed.load(ordering: .relaxed) }
    /// Transactions aborted for a conflict and run again.
    public var reruns: Int { conflicts.load(ordering: .relaxed) }

    func didCommit() { committed.add(1, ordering: .relaxed) }
    func didConflict() { conflicts.add(1, ordering: .relaxed) }
}
