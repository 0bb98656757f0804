import BaoxueCore

/// A RECONCILE reply as it grows: ranges in order, consecutive skips merged,
/// and its exact encoded size, so a reply fills its budget without passing it.
struct ReplyBuilder {
    private(set) var ranges: [ReconcileRange] = []
    /// Encoded bytes of `ranges` (without the range count).
    private(set) var size = 0
    /// The upper bound of the last range appended (zero at the start).
    private(set) var lastUpper = RangeBound.zero
    private var lastTimestamp: UInt64 = 0
    /// `lastTimestamp` before the last range was appended, and that range's encoded size.
    private var beforeLast: (timestamp: UInt64, size: Int) = (0, 0)

    /// What appending `next`, after a skip up to `lower`, would add.
    func cost(_ next: [ReconcileRange], after lower: RangeBound) -> Int {
        var last = lastTimestamp
        var total = 0
        for r in withSkip(next, lower) {
            total += RangeCodec.size(r, last: last)
            if r.upper != .infinity { last = r.upper.timestamp }
        }
        return total
    }

    /// Appends `next`, preceded by a skip up to `lower` when it starts above the last range.
    mutating func append(_ next: [ReconcileRange], after lower: RangeBound) {
        for r in withSkip(next, lower) {
            let bytes = RangeCodec.size(r, last: lastTimestamp)
            beforeLast = (lastTimestamp, bytes)
            size += bytes
            if r.upper != .infinity { lastTimestamp = r.upper.timestamp }
            ranges.append(r)
            lastUpper = r.upper
        }
    }

    /// Moves the last range's upper bound up to `upper` (the range then also covers what follows it).
    mutating func extendLast(to upper: RangeBound) {
        guard let last = ranges.popLast() else { return }
        let r = ReconcileRange(upper: upper, mode: last.mode)
        let bytes = RangeCodec.size(r, last: beforeLast.timestamp)
        size += bytes - beforeLast.size
        beforeLast.size = bytes
        lastTimestamp = upper == .infinity ? beforeLast.timestamp : upper.timestamp
        ranges.append(r)
        lastUpper = upper
    }

    private func withSkip(_ next: [ReconcileRange], _ lower: RangeBound) -> [ReconcileRange] {
        guard lastUpper < lower, lower != .zero else { return next }
        return [ReconcileRange(upper: lower, mode: .skip)] + next
    }
}
