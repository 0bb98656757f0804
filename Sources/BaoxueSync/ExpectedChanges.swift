import BaoxueCore

/// What reconciliation said the peer will send (`Protocol/sync.md` §5): changes named by short id,
/// and changes announced only by count in `all` ranges.
///
/// Invariant: `take` accepts a change only if it was announced, in its scope, and not yet taken,
/// and each range yields at most its count.
struct ExpectedChanges {
    private var named: [ShortID: ScopeID] = [:]
    /// Per scope: the `all` ranges, sorted and disjoint, with how many of their items are still to come.
    private var unnamed: [ScopeID: [(range: Reconciler.ReceiveRange, left: UInt64)]] = [:]
    private var takenUnnamed: Set<ShortID> = []

    mutating func add(_ reconciler: Reconciler, scope: ScopeID) {
        for id in reconciler.toReceive { named[id] = scope }
        let ranges = reconciler.toReceiveRanges.sorted { $0.lower < $1.lower }
        if !ranges.isEmpty { unnamed[scope] = ranges.map { ($0, $0.count) } }
    }

    /// Changes still to come.
    var remaining: Int { named.count + Int(clamping: unnamed.values.joined().reduce(UInt64(0)) { $0 + $1.left }) }

    mutating func take(_ change: Change) throws(SyncError) {
        let item = SyncItem(change: change)
        let id = ShortID(item)
        if let scope = named.removeValue(forKey: id) {
            guard scope == change.scope else { throw .unsolicitedChange }
            return
        }
        guard var ranges = unnamed[change.scope], !takenUnnamed.contains(id) else { throw .unsolicitedChange }
        var lo = 0
        var hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].range.upper.admits(item) { lo = mid + 1 } else { hi = mid }
        }
        guard lo < ranges.count, ranges[lo].range.lower.admits(item), ranges[lo].left > 0 else { throw .unsolicitedChange }
        ranges[lo].left -= 1
        unnamed[change.scope] = ranges
        takenUnnamed.insert(id)
    }
}
