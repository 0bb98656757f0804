import BaoxueCore

/// The upper end of a range of items: a timestamp and an id prefix.
///
/// An item lies below the bound iff its timestamp is smaller, or equal with
/// its id's first `prefix.count` bytes below `prefix`. `infinity` lies above
/// every item (no change can carry timestamp 2^64 − 1, the change format caps
/// HLC values at 2^63 − 1).
public struct RangeBound: Hashable, Comparable, Sendable {
    public let timestamp: UInt64
    public let prefix: [UInt8]

    public static let zero = RangeBound(timestamp: 0, prefix: [])
    public static let infinity = RangeBound(timestamp: .max, prefix: [])

    public init(timestamp: UInt64, prefix: [UInt8]) {
        self.timestamp = timestamp
        self.prefix = prefix
    }

    /// True iff `item` sorts at or after this bound.
    package func admits(_ item: SyncItem) -> Bool {
        if item.timestamp != timestamp { return item.timestamp > timestamp }
        if prefix.isEmpty { return true }
        let id = item.idBytes
        for i in 0..<prefix.count where id[i] != prefix[i] { return id[i] > prefix[i] }
        return true
    }

    /// The bound the reference puts between neighbouring items `previous < next` when the bound
    /// before it in the message has timestamp `after` (sync.md §4.3): if their timestamps differ,
    /// the timestamp t in (previous, next] for which t − `after` is a multiple of the largest power
    /// of two (the smallest such t; it encodes in the fewest bytes); if they are equal, next's timestamp and the
    /// shortest prefix of next's id that previous's id lies below.
    package static func between(_ previous: SyncItem, _ next: SyncItem, after: UInt64) -> RangeBound {
        if previous.timestamp != next.timestamp {
            let low = previous.timestamp + 1 - after  // ≥ 1: `after` never exceeds previous's timestamp
            let high = next.timestamp - after
            var z: UInt64 = 63
            while true {
                let q = low >> z + (low & ((1 << z) - 1) == 0 ? 0 : 1)
                if q <= high >> z { return RangeBound(timestamp: after + (q << z), prefix: []) }
                z -= 1
            }
        }
        let a = previous.idBytes
        let b = next.idBytes
        var shared = 0
        while shared < 32 && a[shared] == b[shared] { shared += 1 }
        return RangeBound(timestamp: next.timestamp, prefix: Array(b[0...min(shared, 31)]))
    }

    public static func < (a: RangeBound, b: RangeBound) -> Bool {
        if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
        var pa = a.prefix
        var pb = b.prefix
        let n = max(pa.count, pb.count)
        pa += [UInt8](repeating: 0, count: n - pa.count)
        pb += [UInt8](repeating: 0, count: n - pb.count)
        return pa.lexicographicallyPrecedes(pb)
    }
}

extension ReconciliationSet {
    /// The index of the first item at or above `bound` (binary search from `low`).
    func firstIndex(atOrAbove bound: RangeBound, from low: Int = 0) -> Int {
        if bound == .infinity { return count }
        var lo = low
        var hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if bound.admits(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
