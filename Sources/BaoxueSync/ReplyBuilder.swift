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
            size += RangeCodec.size(r, last: lastTimestamp)
            if r.upper != .infinity { lastTimestamp = r.upper.timestamp }
            ranges.append(r)
            lastUpper = r.upper
        }
    }

    private func withSkip(_ next: [ReconcileRange], _ lower: RangeBound) -> [ReconcileRange] {
        guard lastUpper < lower, lower != .zero else { return next }
        return [ReconcileRange(upper: lower, mode: .skip)] + next
    }
}
