/// Which register writes and set tags are in force once voids exist (records.md §3):
/// voiding an op undoes it, so the values it superseded or the tags it removed come back.
///
/// - A write is **superseded** when some write naming it in `pred` is not voided, or is
///   itself superseded (a voided write that a later write replaced still replaced what it saw).
/// - A write is **live** when it is neither voided nor superseded.
/// - A tag is **live** when it is not voided and no remove naming it is in force (not voided).
///
/// Each is a function of the set of applied ops. Only chains through voided writes are
/// walked, so the common case (no void near a write) costs one check.
public enum Liveness {
    /// A stored write or tag whose live flag changed: the record to refresh.
    public struct Change: Hashable, Sendable {
        public let kind: RecordKind
        public let record: RecordID
        public init(kind: RecordKind, record: RecordID) { self.kind = kind; self.record = record }
    }

    /// Longest chain of voided writes walked; beyond it a write counts as superseded.
    static let maxDepth = 64

    /// Whether `op` is superseded by a write in force, following voided superseders. Each op is
    /// looked at once (`memo`): many voided writes over one field stay linear, not exponential.
    public static func isSuperseded<S: RecordViewStorage>(_ op: OpID, in storage: inout S) throws -> Bool {
        var memo: [OpID: Bool] = [:]
        return try isSuperseded(op, in: &storage, memo: &memo, depth: 0)
    }

    private static func isSuperseded<S: RecordViewStorage>(
        _ op: OpID, in storage: inout S, memo: inout [OpID: Bool], depth: Int
    ) throws -> Bool {
        if let known = memo[op] { return known }
        memo[op] = false
        var result = false
        for next in try storage.successors(of: op) {
            if try !storage.isVoided(next) || depth >= maxDepth { result = true; break }
            if try isSuperseded(next, in: &storage, memo: &memo, depth: depth + 1) { result = true; break }
        }
        memo[op] = result
        return result
    }

    /// Sets the live flag of write `op` by the rule, then of the writes it superseded when it is
    /// voided (their state hangs on whether it is superseded). Returns the records changed.
    public static func refreshWrite<S: RecordViewStorage>(_ op: OpID, in storage: inout S) throws -> Set<Change> {
        var changed = Set<Change>()
        var visited = Set<OpID>()
        var pending = [op]
        while let next = pending.popLast(), visited.count < 4096 {
            guard visited.insert(next).inserted else { continue }
            let voided = try storage.isVoided(next)
            let live = try !voided && !isSuperseded(next, in: &storage)
            if let record = try storage.setWriteLive(next, live) { changed.insert(record) }
            if voided { pending += try storage.predecessors(of: next) }
        }
        return changed
    }

    /// Sets the live flag of tag `tag` by the rule; returns the record when it changed.
    public static func refreshTag<S: RecordViewStorage>(_ tag: OpID, in storage: inout S) throws -> Change? {
        var live = try !storage.isVoided(tag)
        if live {
            for remover in try storage.removers(of: tag) where try !storage.isVoided(remover) {
                live = false
                break
            }
        }
        return try storage.setTagLive(tag, live)
    }
}
