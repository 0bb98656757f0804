/// A scope's set as reconciliation reads it: items sorted ascending by
/// (timestamp, id), without duplicates, with the running sum of their ids.
///
/// Invariant: `prefix[i]` is the `IDSum` of `items[0..<i]`, so the sum (and
/// hence the fingerprint) of any range costs two lookups and one subtraction
/// instead of a pass over the range. A store keeps one per scope and brings it
/// up to date with `merging(_:)`, which redoes the running sums only from the
/// first position that changed (new changes usually sort last).
public struct ReconciliationSet: RandomAccessCollection, Equatable, Sendable {
    public private(set) var items: [SyncItem]
    private var prefix: [IDSum]

    public init() {
        items = []
        prefix = [IDSum()]
    }

    /// `items` may be in any order and hold duplicates: they are sorted and made unique.
    public init<S: Sequence<SyncItem>>(_ unsorted: S) {
        var sorted = Array(unsorted)
        sorted.sort()
        var unique: [SyncItem] = []
        unique.reserveCapacity(sorted.count)
        for item in sorted where unique.last != item { unique.append(item) }
        self.init(sortedUnique: unique)
    }

    /// `items` must be sorted ascending and free of duplicates (not checked).
    public init(sortedUnique items: [SyncItem]) {
        self.items = items
        prefix = []
        prefix.reserveCapacity(items.count + 1)
        var running = IDSum()
        prefix.append(running)
        for item in items {
            running.add(item)
            prefix.append(running)
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { items.count }
    public subscript(i: Int) -> SyncItem { items[i] }

    /// The sum of the ids in `items[range]`.
    public func sum(_ range: Range<Int>) -> IDSum {
        prefix[range.upperBound].minus(prefix[range.lowerBound])
    }

    /// The set with `added` merged in (sorted ascending; items already present are ignored).
    public func merging(_ added: [SyncItem]) -> ReconciliationSet {
        var out = self
        out.merge(added)
        return out
    }

    /// Merges `added` (sorted ascending; items already present are ignored) in place: only the items
    /// from the first one `added` precedes are moved and summed again, so new changes, which usually
    /// sort last, cost their own number, not the set's size (when the set is not shared).
    public mutating func merge(_ added: [SyncItem]) {
        guard let first = added.first else { return }
        var low = 0
        var high = items.count
        while low < high {
            let mid = (low + high) / 2
            if items[mid] < first { low = mid + 1 } else { high = mid }
        }
        let start = low
        var tail: [SyncItem] = []
        tail.reserveCapacity(items.count - start + added.count)
        var i = start
        var j = 0
        while i < items.count || j < added.count {
            if j == added.count || (i < items.count && items[i] < added[j]) {
                tail.append(items[i])
                i += 1
            } else if i < items.count && items[i] == added[j] {
                j += 1
            } else {
                if tail.last != added[j] { tail.append(added[j]) }
                j += 1
            }
        }
        items.replaceSubrange(start..., with: tail)
        prefix.removeSubrange((start + 1)...)
        var running = prefix[start]
        for item in items[start...] {
            running.add(item)
            prefix.append(running)
        }
    }

    public static func == (a: ReconciliationSet, b: ReconciliationSet) -> Bool { a.items == b.items }
}
