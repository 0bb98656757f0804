/// A device's hybrid logical clock, as a value: the caller passes the
/// physical time in, so the core reads no clock itself.
///
/// Invariant: every timestamp it issues is greater than every timestamp it
/// issued or received before. When the 16-bit counter would overflow, the
/// millisecond part advances by one instead (the clock runs ahead of
/// physical time by at most that much).
public struct HybridLogicalClock: Sendable, Equatable {
    public private(set) var last: HLCTimestamp

    public init(last: HLCTimestamp? = nil) {
        self.last = last ?? (try! HLCTimestamp(milliseconds: 0, counter: 0))
    }

    /// Timestamp for a local event (a new change) at physical time `now` (ms).
    public mutating func tick(now: UInt64) throws(CoreError) -> HLCTimestamp {
        let l = max(last.milliseconds, now)
        let c: UInt32 = l == last.milliseconds ? UInt32(last.counter) + 1 : 0
        last = try Self.normalise(l, c)
        return last
    }

    /// Merges a timestamp seen on a received change at physical time `now` (ms).
    public mutating func receive(_ remote: HLCTimestamp, now: UInt64) throws(CoreError) {
        let l = max(last.milliseconds, remote.milliseconds, now)
        let c: UInt32
        if l == last.milliseconds && l == remote.milliseconds {
            c = UInt32(max(last.counter, remote.counter)) + 1
        } else if l == last.milliseconds {
            c = UInt32(last.counter) + 1
        } else if l == remote.milliseconds {
            c = UInt32(remote.counter) + 1
        } else {
            c = 0
        }
        last = try Self.normalise(l, c)
    }

    private static func normalise(_ ms: UInt64, _ counter: UInt32) throws(CoreError) -> HLCTimestamp {
        if counter > UInt32(UInt16.max) {
            guard ms < HLCTimestamp.maxMilliseconds else { throw .clockOverflow }
            return try HLCTimestamp(milliseconds: ms + 1, counter: 0)
        }
        return try HLCTimestamp(milliseconds: ms, counter: UInt16(counter))
    }
}
