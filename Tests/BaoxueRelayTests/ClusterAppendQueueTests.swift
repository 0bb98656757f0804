import BaoxueCore
import BaoxueRelay
import BaoxueSync
import BaoxueTesting
import Testing

/// A relay process stores its sessions' batches one group per transaction: what queues while a group is
/// being stored goes in the next one, up to the group's size, and each batch hears its own group's answer.
@Suite struct ClusterAppendQueueTests {
    /// Holds the first group's commit until the test lets it go, and records every group it is given.
    actor Database {
        private(set) var groups: [[ChangeID]] = []
        private var held: CheckedContinuation<Void, Never>?
        private var release = false
        let failing: Set<Int>

        init(failing: Set<Int> = []) { self.failing = failing }

        func commit(_ changes: [Change]) async -> Result<Void, SyncError> {
            groups.append(changes.map(\.id))
            let number = groups.count
            if number == 1, !release { await withCheckedContinuation { held = $0 } }
            return failing.contains(number) ? .failure(.overLimit("database_unavailable")) : .success(())
        }

        func letGo() {
            release = true
            held?.resume()
            held = nil
        }
    }

    /// A batch's answer as its error (nil: stored).
    static func refusal(_ answer: Result<Void, SyncError>) -> SyncError? {
        if case .failure(let error) = answer { error } else { nil }
    }

    @Test func batchesQueuedDuringAGroupGoInTheNextUpToItsSizeEachWithItsGroupsAnswer() async throws {
        let database = Database(failing: [2])
        let queue = ClusterAppendQueue(maxChanges: 5) { await database.commit($0) }
        let changes = Fixtures.chain(Fixtures.key(7), count: 10)
        let batches = [Array(changes[0..<3]), Array(changes[3..<5]), Array(changes[5..<7]), Array(changes[7..<10])]

        let first = Task { await queue.append(batches[0]) }
        while await database.groups.isEmpty { await Task.yield() }
        // The first group is being stored: the next three wait, in this order.
        var rest: [Task<Result<Void, SyncError>, Never>] = []
        for (i, batch) in batches.dropFirst().enumerated() {
            rest.append(Task { await queue.append(batch) })
            while queue.queued < i + 1 { await Task.yield() }
        }
        await database.letGo()

        #expect(Self.refusal(await first.value) == nil)
        let answers = [await rest[0].value, await rest[1].value, await rest[2].value].map(Self.refusal)
        // 2 + 2 changes fit in a group of 5; the batch of 3 makes a third group.
        #expect(await database.groups == [batches[0].map(\.id), (batches[1] + batches[2]).map(\.id), batches[3].map(\.id)])
        #expect(answers == [.overLimit("database_unavailable"), .overLimit("database_unavailable"), nil])
        #expect(queue.queued == 0)
    }

    @Test func aBatchLargerThanAGroupIsStoredWholeAlone() async throws {
        let database = Database()
        await database.letGo()
        let queue = ClusterAppendQueue(maxChanges: 2) { await database.commit($0) }
        let batch = Fixtures.chain(Fixtures.key(8), count: 5)
        #expect(Self.refusal(await queue.append(batch)) == nil)
        #expect(Self.refusal(await queue.append(Array(batch.prefix(1)))) == nil)
        #expect(await database.groups == [batch.map(\.id), [batch[0].id]])
    }
}
