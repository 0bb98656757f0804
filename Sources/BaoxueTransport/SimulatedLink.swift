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
        let bytes: ArraySlice<UInt8>
        let close: Bool
    }

    /// Runs until both sessions end (or nothing can happen any more).
    public static func run(
        initiator: inout SyncEndpoint, responder: inout SyncEndpoint,
        conditions: LinkConditions = .perfect, startMs: UInt64 = 0,
        tickMs: Double = 1_000
    ) -> Report {
        var sides = [initiator, responder]
        defer {
            initiator = sides[0]
            responder = sides[1]
        }
        var rng = SeededGenerator(seed: conditions.seed)
        // One FIFO per direction (index = sender): arrivals in a direction never overtake each other.
        var queues: [[Event]] = [[], []]
        var heads = [0, 0]
        var freeAt = [Double(startMs), Double(startMs)]
        var lastArrival = [Double(startMs), Double(startMs)]
        var delivered = 0
        var closed = false
        var report = Report()
        var now = Double(startMs)

        func send(from s: Int, _ bytes: [UInt8]) {
            guard !bytes.isEmpty, !closed else { return }
            if s == 0 { report.bytesFromInitiator += bytes.count } else { report.bytesFromResponder += bytes.count }
            var payload = bytes[...]
            var cutHere = false
            if let cut = conditions.cutAfterBytes, delivered + bytes.count >= cut {
                payload = bytes.prefix(cut - delivered)
                cutHere = true
            }
            delivered += payload.count
            var at = payload.startIndex
            while at < payload.endIndex {
                let end = min(payload.endIndex, at + conditions.segmentBytes)
                let depart = max(now, freeAt[s])
                freeAt[s] = depart + (conditions.bytesPerSecond.map { Double(end - at) / $0 * 1000 } ?? 0)
                var t = freeAt[s] + conditions.latencyMs
                if conditions.lossRate > 0, Double(rng.next() >> 11) / Double(1 << 53) < conditions.lossRate {
                    t += conditions.retransmitMs
                }
                lastArrival[s] = max(lastArrival[s], t)
                queues[s].append(Event(time: lastArrival[s], bytes: payload[at..<end], close: false))
                at = end
            }
            if cutHere {
                closed = true
                report.cut = true
                queues[s].append(Event(time: max(lastArrival[s], now), bytes: [], close: true))
            }
        }
        func hangUpIfOver(_ s: Int) {
            // A side that ended hangs up once its last bytes are out.
            if sides[s].isOver, !closed {
                closed = true
                queues[s].append(Event(time: max(lastArrival[s], now), bytes: [], close: true))
            }
        }
        func next() -> Int? {
            let a = heads[0] < queues[0].count ? queues[0][heads[0]].time : nil
            let b = heads[1] < queues[1].count ? queues[1][heads[1]].time : nil
            switch (a, b) {
            case (nil, nil): return nil
            case (let x?, nil):
                _ = x
                return 0
            case (nil, let y?):
                _ = y
                return 1
            case (let x?, let y?): return x <= y ? 0 : 1
            }
        }

        send(from: 0, sides[0].start(now: UInt64(now)))
        send(from: 1, sides[1].start(now: UInt64(now)))
        var quietTicks = 0
        var lastTick = now
        while !(sides[0].isOver && sides[1].isOver) {
            let dir = next()
            if dir == nil || queues[dir!][heads[dir!]].time > lastTick + tickMs {
                // Nothing arrives for a while: let the clocks run so timeouts can fire.
                lastTick += tickMs
                now = max(now, lastTick)
                for s in 0..<2 where !sides[s].isOver {
                    send(from: s, sides[s].tick(now: UInt64(now)))
                    hangUpIfOver(s)
                }
                if dir == nil { quietTicks += 1 }
                if quietTicks > 3_600 { break }
                continue
            }
            quietTicks = 0
            let from = dir!
            let e = queues[from][heads[from]]
            heads[from] += 1
            if heads[from] > 4_096 {
                queues[from].removeFirst(heads[from])
                heads[from] = 0
            }
            now = max(now, e.time)
            lastTick = max(lastTick, now - tickMs)
            let to = 1 - from
            if e.close {
                for s in [to, from] where !sides[s].isOver { sides[s].closed(now: UInt64(now)) }
                continue
            }
            guard !sides[to].isOver else { continue }
            send(from: to, sides[to].receive(Array(e.bytes), now: UInt64(now)))
            hangUpIfOver(to)
        }
        report.durationMs = now - Double(startMs)
        report.initiator = sides[0].result
        report.responder = sides[1].result
        return report
    }
}
