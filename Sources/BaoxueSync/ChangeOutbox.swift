import BaoxueCore

/// The changes one side of a session sends, once reconciliation said which: read from the source
/// `batchChanges` at a time, cut into CHANGES batches of at most `batchBytes`, numbered from 0, at most
/// `min(sendWindow, window)` unacknowledged; DONE once every batch is acknowledged (sync.md §5).
///
/// A source that reads bytes later (`SyncDataSource.loadsLater`) is asked through `needs`: the outbox
/// waits for `loaded(_:)` before it cuts more.
///
/// Invariant: a batch is counted sent only when acknowledged; after a REFUSED nothing more is read or cut.
struct ChangeOutbox: Sendable {
    private var queue: [SyncItem]
    private var index = 0
    private var loaded: ArraySlice<[UInt8]> = []
    /// The ids asked of a source that loads later, until their bytes arrive.
    private var awaiting: [ChangeID]?
    private var nextBatch: UInt64 = 0
    private var unacked: [UInt64: Int] = [:]
    /// DONE went out.
    private(set) var isDone = false

    init(_ items: [SyncItem] = []) { queue = items }

    var count: Int { queue.count }

    /// The messages to send now — batches while the window has room, then DONE once all are acknowledged —
    /// and the encoded changes' bytes in them.
    /// With a source that loads later, `needs` holds the ids to load (once; then `loaded(_:)`).
    mutating func pump(
        _ source: any SyncDataSource, _ limits: SyncLimits
    ) throws(SyncError) -> (messages: [[UInt8]], bytes: Int, needs: [ChangeID]?) {
        var messages: [[UInt8]] = []
        var bytes = 0
        var needs: [ChangeID]?
        while awaiting == nil, unacked.count < min(limits.sendWindow, limits.window), index < queue.count || !loaded.isEmpty {
            if loaded.isEmpty {
                let end = min(queue.count, index + limits.batchChanges)
                let ids = queue[index..<end].map(\.id)
                if source.loadsLater {
                    awaiting = ids
                    needs = ids
                    break
                }
                loaded = try source.encodedChanges(ids)[...]
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
        if !isDone, awaiting == nil, unacked.isEmpty, index == queue.count, loaded.isEmpty {
            isDone = true
            messages.append(SyncMessage.done.encoded())
        }
        return (messages, bytes, needs)
    }

    /// The bytes of the ids `pump` asked for, in that order. After a REFUSED they are dropped.
    mutating func loaded(_ encoded: [[UInt8]]) throws(SyncError) {
        guard let ids = awaiting else { throw .store("bytes nobody asked for") }
        guard encoded.count == ids.count else { throw .store("asked for \(ids.count) changes, got \(encoded.count)") }
        awaiting = nil
        guard index < queue.count else { return }  // refused meanwhile
        loaded = encoded[...]
        index += ids.count
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
