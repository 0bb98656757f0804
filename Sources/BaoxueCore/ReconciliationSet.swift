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
        guard !added.isEmpty else { return self }
        var out = self
        var firstChanged = items.count
        var merged: [SyncItem] = []
        merged.reserveCapacity(items.count + added.count)
        var i = 0
        var j = 0
        while i < items.count || j < added.count {
            if j == added.count || (i < items.count && items[i] < added[j]) {
                merged.append(items[i])
                i += 1
            } else if i < items.count && items[i] == added[j] {
                j += 1
            } else {
                if merged.count < firstChanged { firstChanged = merged.count }
                if merged.last != added[j] { merged.append(added[j]) }
                j += 1
            }
        }
        out.items = merged
        out.prefix.removeSubrange((firstChanged + 1)...)
        var running = out.prefix[firstChanged]
        for item in merged[firstChanged...] {
            running.add(item)
            out.prefix.append(running)
        }
        return out
    }

    public static func == (a: ReconciliationSet, b: ReconciliationSet) -> Bool { a.items == b.items }
}
