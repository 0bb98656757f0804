import BaoxueCore

/// The changes one side of a session sends, once reconciliation said which: read from the source
/// `batchChanges` at a time, cut into CHANGES batches of at most `batchBytes`, numbered from 0, at most
/// `min(sendWindow, window)` unacknowledged; DONE once every batch is acknowledged (sync.md §5).
///
/// Invariant: a batch is counted sent only when acknowledged; after a REFUSED nothing more is read or cut.
struct ChangeOutbox: Sendable {
    private var queue: [SyncItem]
    private var index = 0
    private var loaded: ArraySlice<[UInt8]> = []
    private var nextBatch: UInt64 = 0
    private var unacked: [UInt64: Int] = [:]
    /// DONE went out.
    private(set) var isDone = false

    init(_ items: [SyncItem] = []) { queue = items }

    var count: Int { queue.count }

    /// The messages to send now — batches while the window has room, then DONE once all are acknowledged —
    /// and the encoded changes' bytes in them.
    mutating func pump(_ source: any SyncDataSource, _ limits: SyncLimits) throws(SyncError) -> (messages: [[UInt8]], bytes: Int) {
        var messages: [[UInt8]] = []
        var bytes = 0
        while unacked.count < min(limits.sendWindow, limits.window), index < queue.count || !loaded.isEmpty {
            if loaded.isEmpty {
                let end = min(queue.count, index + limits.batchChanges)
                loaded = try source.encodedChanges(queue[index..<end].map(\.id))[...]
                index = end
            }
            var batch: [[UInt8]] = []
            var size = 0
            while let next = loaded.first, batch.isEmpty || size + next.count <= limits.batchBytes {
                batch.append(next)
                size += next.count
                loaded.removeFirst()
            }
            messages.append(SyncMessage.changes(batch: nextBatch, encoded: batch).encoded())
            bytes += size
            unacked[nextBatch] = batch.count
            nextBatch += 1
        }
        if !isDone, unacked.isEmpty, index == queue.count, loaded.isEmpty {
            isDone = true
            messages.append(SyncMessage.done.encoded())
        }
        return (messages, bytes)
    }

    /// ACK of `batch`: how many changes it held, nil for a batch not in flight.
    mutating func acknowledged(_ batch: UInt64) -> Int? { unacked.removeValue(forKey: batch) }

    /// REFUSED of `batch`: nothing more is sent (what was not yet read or cut stays for another session);
    /// returns how many changes go unsent with it, nil for a batch not in flight.
    mutating func refused(_ batch: UInt64) -> Int? {
        guard let count = unacked.removeValue(forKey: batch) else { return nil }
        defer {
            index = queue.count
            loaded = []
        }
        return count + queue.count - index + loaded.count
    }
}
