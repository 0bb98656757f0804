import BaoxueCore
import BaoxueRelay
import BaoxueSync
import BaoxueTesting
import NIOConcurrencyHelpers
import Testing

/// The relay's per-device and total limits, decided on identification and on every read.
@Suite struct RelayRegistryTests {
    final class Clock: @unchecked Sendable { var ms: UInt64 = 1_000_000 }

    @Test func connectionsPerDeviceAndInAll() {
        var limits = RelayLimits()
        limits.connectionsPerDevice = 2
        limits.connections = 3
        let r = RelayRegistry(limits: limits)
        let a = Fixtures.key(1).publicKey
        let b = Fixtures.key(2).publicKey
        #expect(r.identified(a, connection: 1) == nil)
        #expect(r.identified(a, connection: 2) == nil)
        #expect(r.identified(a, connection: 3) == .overLimit("connections"))
        #expect(r.identified(b, connection: 4) == nil)
        #expect(r.identified(b, connection: 5) == .overLimit("server_full"))
        r.ended(connection: 1, peer: a, progress: SyncSummary(), error: nil)
        #expect(r.identified(a, connection: 6) == nil, "a slot freed when a session ended")
        #expect(r.totals.active == 3 && r.totals.refused == 2)
        // A connection refused before it was counted does not free anyone's slot.
        r.ended(connection: 3, peer: a, progress: SyncSummary(), error: .overLimit("connections"))
        #expect(r.totals.active == 3)
    }

    /// Admission: at most `sessionsInProgress` at once; the rest are served in arrival order as
    /// slots free, and one that leaves while waiting is skipped, not granted.
    @Test func sessionsBeyondTheLimitWaitTheirTurnInOrder() {
        var limits = RelayLimits()
        limits.sessionsInProgress = 2
        let r = RelayRegistry(limits: limits)
        let granted = NIOLockedValueBox<[UInt64]>([])
        func ask(_ c: UInt64) -> Bool {
            _ = r.identified(Fixtures.key(UInt8(c)).publicKey, connection: c)
            return r.admit(connection: c, granted: { granted.withLockedValue { $0.append(c) } })
        }
        #expect(ask(1) && ask(2))
        #expect(!ask(3) && !ask(4) && !ask(5))
        #expect(r.totals.waiting == 3 && r.totals.queued == 3)
        // Connection 4 gives up while waiting (the device hung up).
        r.ended(connection: 4, peer: Fixtures.key(4).publicKey, progress: SyncSummary(), error: .connectionClosed)
        #expect(r.totals.waiting == 2)
        r.ended(connection: 1, peer: Fixtures.key(1).publicKey, progress: SyncSummary(), error: nil)
        #expect(granted.withLockedValue { $0 } == [3])
        r.ended(connection: 2, peer: Fixtures.key(2).publicKey, progress: SyncSummary(), error: nil)
        #expect(granted.withLockedValue { $0 } == [3, 5], "4 left, so 5 is next")
        #expect(r.totals.waiting == 0)
        // A waiting session told the relay is busy counts as refused.
        #expect(!ask(6))
        r.ended(connection: 6, peer: Fixtures.key(6).publicKey, progress: SyncSummary(), error: .overLimit("server_busy"))
        #expect(r.totals.refused == 1 && r.totals.waiting == 0)
        r.ended(connection: 3, peer: Fixtures.key(3).publicKey, progress: SyncSummary(), error: nil)
        #expect(granted.withLockedValue { $0 } == [3, 5], "6 left before its turn: never granted")
    }

    @Test func bytesPerMinuteReopenEachMinuteAndSurviveReconnecting() {
        var limits = RelayLimits()
        limits.bytesPerMinute = 1_000
        let clock = Clock()
        let r = RelayRegistry(limits: limits, clock: { clock.ms })
        let a = Fixtures.key(1).publicKey
        #expect(r.identified(a, connection: 1) == nil)
        #expect(r.received(600, from: a) == nil)
        r.ended(connection: 1, peer: a, progress: SyncSummary(), error: nil)
        #expect(r.identified(a, connection: 2) == nil)
        #expect(r.received(600, from: a) == .overLimit("bytes_per_minute"), "reconnecting does not reset the minute")
        clock.ms += 60_000
        #expect(r.received(600, from: a) == nil)
    }

    /// A day's bytes per device bound what one phone (attachments included) can fill the relay with;
    /// another device is not affected and the next UTC day starts afresh.
    @Test func bytesPerDayBoundOneDeviceForTheDay() {
        var limits = RelayLimits()
        limits.bytesPerDay = 10_000
        let clock = Clock()
        clock.ms = 1_764_000_000_000 / 86_400_000 * 86_400_000
        let r = RelayRegistry(limits: limits, clock: { clock.ms })
        let (a, b) = (Fixtures.key(1).publicKey, Fixtures.key(2).publicKey)
        for minute in 0..<9 {
            clock.ms += 60_000
            #expect(r.received(1_000, from: a) == nil, "minute \(minute)")
        }
        clock.ms += 60_000
        #expect(r.received(1_000, from: a) == nil, "exactly the day's limit")
        #expect(r.received(1, from: a) == .overLimit("bytes_per_day"))
        #expect(r.received(5_000, from: b) == nil)
        clock.ms += 86_400_000
        #expect(r.received(1_000, from: a) == nil)
    }

    @Test func activityIsGatheredPerDeviceAndHandedOverOnce() {
        let r = RelayRegistry(limits: RelayLimits())
        let a = Fixtures.key(1).publicKey
        var s = SyncSummary()
        s.receivedChanges = 5
        s.sentChanges = 7
        for c in 1...3 as ClosedRange<UInt64> {
            _ = r.identified(a, connection: c)
            r.ended(connection: c, peer: a, progress: s, error: c == 3 ? .idleTimeout : nil)
        }
        let drained = r.drainActivity()
        #expect(drained.count == 1)
        #expect(drained.first?.sessions == 3 && drained.first?.failures == 1)
        #expect(drained.first?.changesIn == 15 && drained.first?.changesOut == 21)
        #expect(drained.first?.lastError == "idle_timeout")
        #expect(r.drainActivity().isEmpty)
    }
}
