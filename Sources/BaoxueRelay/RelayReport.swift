import BaoxueCore
import BaoxueStore

/// A snapshot of a relay for `/health` (JSON) and `/metrics` (Prometheus):
/// counts only, never a name, a child or a payload.
public struct RelaySnapshot: Encodable, Sendable, Equatable {
    /// `ok`, or `degraded` with the reasons in `problems`.
    public var status = "ok"
    /// What is wrong, each a stable name: `disk_full` (the quota or the disk is full: new
    /// changes are refused, reads go on), `upstream_unreachable` (no upstream sync for longer
    /// than the alarm), `store_failed` (the store failed a read or a write lately).
    public var problems: [String] = []
    public var changes = 0
    public var quarantined = 0
    public var pending = 0
    public var equivocations = 0
    public var activeSessions = 0
    public var waitingSessions = 0
    public var queuedSessions = 0
    public var sessions = 0
    public var failedSessions = 0
    public var refusedSessions = 0
    public var changesIn = 0
    public var changesOut = 0
    public var bytesIn = 0
    public var bytesOut = 0
    public var diskBytes: Int64 = 0
    public var quotaBytes: Int64?
    public var refusedAtAccept = 0
    /// Sessions ended by an error, by its code name (`sync.md` §9).
    public var refusals: [String: Int] = [:]
    /// A cluster process's transactions on the shared database that committed, and those run
    /// again after a conflict with another process (absent on SQLite).
    public var databaseCommits: Int?
    public var databaseReruns: Int?
    public var upstreamLastSuccessMs: UInt64?
    public var upstreamError: String?
}

/// Reads a relay's snapshot from its store's figures and its registry.
package struct RelayReport: Sendable {
    let store: any RelayStoreFigures
    let registry: RelayRegistry
    let upstream: Upstream?

    init(store: any RelayStoreFigures, registry: RelayRegistry, upstream: Upstream?) {
        self.store = store
        self.registry = registry
        self.upstream = upstream
    }

    /// A relay without an upstream (a cluster process; tests of the metrics endpoint).
    package init(store: any RelayStoreFigures, registry: RelayRegistry) { self.init(store: store, registry: registry, upstream: nil) }

    /// How long a full store or a store failure keeps the relay degraded after it was last seen.
    static let diskFullMemoryMs: UInt64 = 60_000
    static let storeErrorMemoryMs: UInt64 = 300_000

    func snapshot() -> RelaySnapshot {
        var s = RelaySnapshot()
        let now = ChangeLog.systemClock()
        var readFailed = false
        var overQuota = false
        do {
            let f = try store.storeFigures()
            s.changes = f.changes
            s.quarantined = f.quarantined
            s.pending = f.pending
            s.equivocations = f.equivocations
            s.diskBytes = f.diskBytes
            s.quotaBytes = f.quotaBytes
            overQuota = f.overQuota
            s.databaseCommits = f.transactions?.committed
            s.databaseReruns = f.transactions?.reruns
        } catch {
            readFailed = true
        }
        let t = registry.totals
        s.activeSessions = t.active
        s.waitingSessions = t.waiting
        s.queuedSessions = t.queued
        s.sessions = t.sessions
        s.failedSessions = t.failures
        s.refusedSessions = t.refused
        s.changesIn = t.changesIn
        s.changesOut = t.changesOut
        s.bytesIn = t.bytesIn
        s.bytesOut = t.bytesOut
        s.refusedAtAccept = t.refusedAtAccept
        s.refusals = t.refusals
        if let upstream {
            let u = upstream.state
            s.upstreamLastSuccessMs = u.lastSuccessMs
            s.upstreamError = u.lastError
        }
        func recent(_ ms: UInt64?, within: UInt64) -> Bool { ms.map { now &- $0 < within } ?? false }
        var problems: [String] = []
        if overQuota || recent(t.lastDiskFullMs, within: Self.diskFullMemoryMs) { problems.append("disk_full") }
        if upstream?.isUnreachable(now: now) == true { problems.append("upstream_unreachable") }
        if readFailed || recent(t.lastStoreErrorMs, within: Self.storeErrorMemoryMs) { problems.append("store_failed") }
        s.problems = problems
        s.status = problems.isEmpty ? "ok" : "degraded"
        return s
    }
}
