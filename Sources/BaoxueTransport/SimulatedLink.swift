import BaoxueCore
import BaoxueSync

/// Runs two endpoints against each other over a simulated link, in
/// virtual time: deterministic for given conditions, no threads, no clock.
///
/// Invariant: bytes arrive in the order they were sent (a stream, as TCP);
/// after a cut neither side receives anything more and both are told the
/// connection closed.
public enum SimulatedLink {
    /// What a run did.
    public struct Report: Sendable {
        public var initiator: Result<SyncSummary, SyncError>?
        public var responder: Result<SyncSummary, SyncError>?
        public var bytesFromInitiator = 0
        public var bytesFromResponder = 0
        /// Virtual time from start to the end of the last event.
        public var durationMs: Double = 0
        public var cut = false
    }

    private struct Event {
        let time: Double
        let order: Int
        let to: Int
        let bytes: [UInt8]
        let close: Bool
    }

    /// Runs until both sessions end (or nothing can happen any more).
    public static func run(
        initiator: inout SyncEndpoint, responder: inout SyncEndpoint,
        conditions: LinkConditions = .perfect, startMs: UInt64 = 0,
        tickMs: Double = 1_000
    ) -> Report {
        var sides = [initiator, responder]
        defer { initiator = sides[0]; responder = sides[1] }
        var rng = SeededGenerator(seed: conditions.seed)
        var events: [Event] = []
        var order = 0
        var freeAt = [Double(startMs), Double(startMs)]
        var lastArrival = [Double(startMs), Double(startMs)]
        var delivered = 0
        var closed = false
        var report = Report()
        var now = Double(startMs)

        func push(_ e: Event) {
            let i = events.firstIndex { ($0.time, $0.order) > (e.time, e.order) } ?? events.count
            events.insert(e, at: i)
        }
        func send(from s: Int, _ bytes: [UInt8]) {
            guard !bytes.isEmpty, !closed else { return }
            if s == 0 { report.bytesFromInitiator += bytes.count } else { report.bytesFromResponder += bytes.count }
            var arrival = lastArrival[s]
            var at = 0
            var payload = bytes
            var cutHere = false
            if let cut = conditions.cutAfterBytes, delivered + bytes.count >= cut {
                payload = Array(bytes.prefix(cut - delivered))
                cutHere = true
            }
            delivered += payload.count
            while at < max(payload.count, 1) {
                let seg = min(conditions.segmentBytes, max(payload.count - at, 0))
                let depart = max(now, freeAt[s])
                freeAt[s] = depart + (conditions.bytesPerSecond.map { Double(seg) / $0 * 1000 } ?? 0)
                var t = freeAt[s] + conditions.latencyMs
                if conditions.lossRate > 0, Double(rng.next() >> 11) / Double(1 << 53) < conditions.lossRate { t += conditions.retransmitMs }
                arrival = max(arrival, t)
                at += max(seg, 1)
            }
            lastArrival[s] = arrival
            order += 1
            if !payload.isEmpty { push(Event(time: arrival, order: order, to: 1 - s, bytes: payload, close: false)) }
            if cutHere {
                closed = true
                report.cut = true
                order += 1
                push(Event(time: arrival, order: order, to: -1, bytes: [], close: true))
            }
        }
        func afterStep(_ s: Int) {
            // A side that ended hangs up once its last bytes are out.
            if sides[s].isOver, !closed {
                closed = true
                order += 1
                push(Event(time: max(lastArrival[s], now), order: order, to: 1 - s, bytes: [], close: true))
            }
        }

        send(from: 0, sides[0].start(now: UInt64(now)))
        send(from: 1, sides[1].start(now: UInt64(now)))
        var quietTicks = 0
        var lastTick = now
        while !(sides[0].isOver && sides[1].isOver) {
            if events.isEmpty || events[0].time > lastTick + tickMs {
                // Nothing arrives for a while: let the clocks run so timeouts can fire.
                lastTick += tickMs
                now = max(now, lastTick)
                for s in 0..<2 where !sides[s].isOver { send(from: s, sides[s].tick(now: UInt64(now))); afterStep(s) }
                if events.isEmpty { quietTicks += 1 }
                if quietTicks > 3_600 { break }
                continue
            }
            quietTicks = 0
            let e = events.removeFirst()
            now = e.time
            if e.close {
                for s in 0..<2 where !sides[s].isOver && (e.to == -1 || e.to == s) { sides[s].closed(now: UInt64(now)) }
                continue
            }
            guard !sides[e.to].isOver else { continue }
            send(from: e.to, sides[e.to].receive(e.bytes, now: UInt64(now)))
            afterStep(e.to)
        }
        report.durationMs = now - Double(startMs)
        report.initiator = sides[0].result
        report.responder = sides[1].result
        return report
    }
}
