import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import Foundation
import NIOConcurrencyHelpers

/// The relay's live view of its connections: enforces `RelayLimits` (as the
/// server's `SessionGuard`) and collects per-device activity, flushed to the
/// store in batches so a busy relay does not fsync once per session.
///
/// Invariant: a connection counted in `live` is uncounted exactly once, in `ended`.
public final class RelayRegistry: SessionGuard, Sendable {
    /// Counters a metrics scrape reads.
    public struct Totals: Sendable, Equatable {
        public var active = 0
        public var sessions = 0
        public var failures = 0
        public var refused = 0
        /// Sessions waiting for a slot now.
        public var waiting = 0
        /// Sessions that had to wait for a slot, since the start.
        public var queued = 0
        public var changesIn = 0
        public var changesOut = 0
        public var bytesIn = 0
        public var bytesOut = 0
        /// Sockets closed at accept by the connection limits (`ConnectionLimits`).
        public var refusedAtAccept = 0
        /// Sessions that ended with an error, by the error's code name (`server_busy`, `not_authorized`, …).
        public var refusals: [String: Int] = [:]
        /// When a session last found the store full (a refused batch or `disk_full`), wall-clock ms.
        public var lastDiskFullMs: UInt64?
        /// When a session last ended on another store failure, wall-clock ms.
        public var lastStoreErrorMs: UInt64?
    }

    private struct State {
        var live: [PublicKey: Int] = [:]
        var connections: [UInt64: PublicKey] = [:]
        var window: [PublicKey: (minute: UInt64, bytes: Int)] = [:]
        /// Bytes each device sent today (UTC day number), against `RelayLimits.bytesPerDay`.
        var day: [PublicKey: (day: UInt64, bytes: Int)] = [:]
        var pending: [PublicKey: PeerActivity] = [:]
        /// Connections holding a slot for a session in progress.
        var inProgress: Set<UInt64> = []
        /// Connections waiting for a slot, in arrival order (`head` is the next one served).
        var queue: [(connection: UInt64, granted: @Sendable () -> Void)] = []
        var head = 0
        /// Connections in `queue` still waiting (the others left before their turn).
        var waiting: Set<UInt64> = []
        var totals = Totals()
    }

    private let limits: RelayLimits
    private let state = NIOLockedValueBox(State())
    private let clock: @Sendable () -> UInt64
    /// The store's last position, read when a session ends (for lag); nil in tests.
    private let position: (@Sendable () -> Int64)?

    public init(
        limits: RelayLimits, clock: @escaping @Sendable () -> UInt64 = ChangeLog.systemClock, position: (@Sendable () -> Int64)? = nil
    ) {
        self.limits = limits
        self.clock = clock
        self.position = position
    }

    public var totals: Totals { state.withLockedValue { $0.totals } }

    public func identified(_ peer: PublicKey, connection: UInt64) -> SyncError? {
        state.withLockedValue { s in
            let active = s.connections.count
            guard active < limits.connections else {
                s.totals.refused += 1
                return .overLimit("server_full")
            }
            guard s.live[peer, default: 0] < limits.connectionsPerDevice else {
                s.totals.refused += 1
                return .overLimit("connections")
            }
            s.live[peer, default: 0] += 1
            s.connections[connection] = peer
            s.totals.active = s.connections.count
            return nil
        }
    }

    public var admissionWaitMs: UInt64 { limits.admissionWaitMs }

    public func admit(connection: UInt64, granted: @escaping @Sendable () -> Void) -> Bool {
        state.withLockedValue { s in
            if s.inProgress.count < limits.sessionsInProgress {
                s.inProgress.insert(connection)
                return true
            }
            s.queue.append((connection, granted))
            s.waiting.insert(connection)
            s.totals.queued += 1
            s.totals.waiting = s.waiting.count
            return false
        }
    }

    /// Hands freed slots to the longest-waiting connections; returns whom to wake (outside the lock).
    private static func grant(_ s: inout State, limit: Int) -> [@Sendable () -> Void] {
        var wake: [@Sendable () -> Void] = []
        while s.inProgress.count < limit, s.head < s.queue.count {
            let next = s.queue[s.head]
            s.head += 1
            guard s.waiting.remove(next.connection) != nil else { continue }
            s.inProgress.insert(next.connection)
            wake.append(next.granted)
        }
        if s.head > 1_024, s.head * 2 > s.queue.count {
            s.queue.removeFirst(s.head)
            s.head = 0
        }
        s.totals.waiting = s.waiting.count
        return wake
    }

    public func received(_ bytes: Int, from peer: PublicKey) -> SyncError? {
        let minute = clock() / 60_000
        return state.withLockedValue { s in
            var w = s.window[peer] ?? (minute, 0)
            if w.minute != minute { w = (minute, 0) }
            w.bytes += bytes
            s.window[peer] = w
            var d = s.day[peer] ?? (minute / 1_440, 0)
            if d.day != minute / 1_440 { d = (minute / 1_440, 0) }
            d.bytes += bytes
            s.day[peer] = d
            guard w.bytes <= limits.bytesPerMinute else {
                s.totals.refused += 1
                return .overLimit("bytes_per_minute")
            }
            guard d.bytes <= limits.bytesPerDay else {
                s.totals.refused += 1
                return .overLimit("bytes_per_day")
            }
            return nil
        }
    }

    /// A socket was closed at accept by a connection limit.
    public func refusedAtAccept() {
        state.withLockedValue { $0.totals.refusedAtAccept += 1 }
    }

    /// A store failure outside any session (the activity flush, the upstream sync).
    public func storeFailed(diskFull: Bool) {
        let now = clock()
        state.withLockedValue { s in
            if diskFull { s.totals.lastDiskFullMs = now } else { s.totals.lastStoreErrorMs = now }
        }
    }

    public func ended(connection: UInt64, peer: PublicKey?, progress: SyncSummary, error: SyncError?) {
        let now = clock()
        let at = error == nil ? position?() ?? 0 : 0
        // One pass under the lock; the freed slot's next holders are woken after it.
        let wake = state.withLockedValue { s in
            if s.inProgress.remove(connection) == nil { s.waiting.remove(connection) }
            if let counted = s.connections.removeValue(forKey: connection) {
                s.live[counted, default: 1] -= 1
                if s.live[counted] == 0 { s.live[counted] = nil }
            }
            s.totals.active = s.connections.count
            s.totals.sessions += 1
            if let error {
                s.totals.failures += 1
                s.totals.refusals[error.name, default: 0] += 1
            }
            if error == .overLimit("server_busy") { s.totals.refused += 1 }
            if error == .diskFull || progress.refusedToPeer == .diskFull {
                s.totals.lastDiskFullMs = now
            }
            if case .store? = error { s.totals.lastStoreErrorMs = now }
            s.totals.changesIn += progress.receivedChanges
            s.totals.changesOut += progress.sentChanges
            s.totals.bytesIn += progress.bytesReceived
            s.totals.bytesOut += progress.bytesSent
            if let peer {
                let record = PeerActivity(
                    key: peer, lastSeen: now, sessions: 1, failures: error == nil ? 0 : 1,
                    changesIn: progress.receivedChanges, changesOut: progress.sentChanges,
                    bytesIn: progress.bytesReceived, bytesOut: progress.bytesSent, lastError: error?.name, position: at)
                if s.pending[peer] == nil { s.pending[peer] = record } else { s.pending[peer]!.absorb(record) }
            }
            return Self.grant(&s, limit: limits.sessionsInProgress)
        }
        wake.forEach { $0() }
    }

    /// Hands over the activity gathered since the last call (for `ChangeLog.recordPeerActivity`).
    public func drainActivity() -> [PeerActivity] {
        let minute = clock() / 60_000
        return state.withLockedValue { s in
            defer { s.pending = [:] }
            s.window = s.window.filter { $0.value.minute >= minute }
            return s.pending.values.sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }
        }
    }
}
