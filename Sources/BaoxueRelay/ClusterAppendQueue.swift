import BaoxueCore
import BaoxueSync
import NIOConcurrencyHelpers

/// The verified batches a relay process's sessions are waiting to store, stored together: at most one
/// transaction of this process at a time, holding every batch queued when it starts (up to `maxChanges`).
///
/// Why: each process witnesses with one key whose next seq every append reads and writes, so two
/// transactions of one process always conflict and one of them runs again; and a transaction's fixed
/// cost (its round trips, its commit's flush) is then paid once for many sessions. Invariant: every
/// batch gets exactly one answer, its group's; a caller that waits for its previous batch's answer
/// before queueing the next (as `ClusterStore` does per session) keeps its batches in order.
package final class ClusterAppendQueue: Sendable {
    package typealias Commit = @Sendable ([Change]) async -> Result<Void, SyncError>

    private struct Waiting {
        let changes: [Change]
        let answer: CheckedContinuation<Result<Void, SyncError>, Never>
    }

    private struct State {
        var queue: [Waiting] = []
        var running = false
    }

    private let state = NIOLockedValueBox(State())
    private let commit: Commit
    /// A group takes queued batches while it holds at most this many changes (always at least one batch).
    /// Measured at 1,000 devices (`baoxue-bench relay --store postgres`): 512 stored 6,828 changes/s, 256
    /// stored 5,691, and 4,096 only 2,463 with three times the relay CPU per change: a conflict with the
    /// other process (14 % of transactions) reruns the whole group, so a larger group loses more to each.
    package let maxChanges: Int

    package init(maxChanges: Int = 512, commit: @escaping Commit) {
        self.maxChanges = maxChanges
        self.commit = commit
    }

    /// Batches waiting for the next group (not counting the group being stored).
    package var queued: Int { state.withLockedValue { $0.queue.count } }

    /// Stores `changes` with whatever else is queued; returns once their group's transaction has ended.
    package func append(_ changes: [Change]) async -> Result<Void, SyncError> {
        await withCheckedContinuation { answer in
            let start = state.withLockedValue { state -> Bool in
                state.queue.append(Waiting(changes: changes, answer: answer))
                defer { state.running = true }
                return !state.running
            }
            if start { Task { await self.drain() } }
        }
    }

    /// Runs groups until the queue is empty, then lets the next `append` start again.
    private func drain() async {
        while true {
            let group = state.withLockedValue { state -> [Waiting] in
                var count = 0
                var taken = 0
                for waiting in state.queue {
                    if taken > 0, count + waiting.changes.count > maxChanges { break }
                    count += waiting.changes.count
                    taken += 1
                }
                let group = Array(state.queue.prefix(taken))
                state.queue.removeFirst(taken)
                if group.isEmpty { state.running = false }
                return group
            }
            guard !group.isEmpty else { return }
            let result = await commit(group.flatMap(\.changes))
            for waiting in group { waiting.answer.resume(returning: result) }
        }
    }
}
