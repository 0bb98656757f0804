import BaoxueCore
import BaoxueStore

/// A snapshot of a relay for `/health` (JSON) and `/metrics` (Prometheus):
/// counts only, never a name, a child or a payload.
public struct RelaySnapshot: Encodable, Sendable, Equatable {
    public var status = "ok"
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
    public var upstreamLastSuccessMs: UInt64?
    public var upstreamError: String?
}

/// Reads a relay's snapshot from its store and registry.
struct RelayReport: Sendable {
    let log: ChangeLog
    let registry: RelayRegistry
    var upstream: (@Sendable () -> Upstream.State?)? = nil

    func snapshot() -> RelaySnapshot {
        var s = RelaySnapshot()
        do {
            s.changes = try log.count(nil)
            s.quarantined = try log.count(.quarantined)
            s.pending = try log.count(.pending)
            s.equivocations = try log.equivocations().count
        } catch {
            s.status = "store_failed"
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
        s.diskBytes = log.diskBytes
        if let u = upstream?() {
            s.upstreamLastSuccessMs = u.lastSuccessMs
            s.upstreamError = u.lastError
        }
        return s
    }
}
