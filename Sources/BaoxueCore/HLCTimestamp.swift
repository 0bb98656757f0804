/// A hybrid logical clock timestamp (Kulkarni et al., 2014): physical
/// milliseconds since the Unix epoch plus a logical counter.
///
/// Invariant: `milliseconds < 2^47` (year ≈ 6429), so the packed form fits a
/// positive SQLite INTEGER. Ordered by (milliseconds, counter).
public struct HLCTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let maxMilliseconds: UInt64 = (1 << 47) - 1

    public let milliseconds: UInt64
    public let counter: UInt16

    public init(milliseconds: UInt64, counter: UInt16) throws(CoreError) {
        guard milliseconds <= Self.maxMilliseconds else { throw .valueOutOfRange(field: "hlc.milliseconds") }
        self.milliseconds = milliseconds
        self.counter = counter
    }

    /// `milliseconds << 16 | counter`: one integer with the same order.
    public var packed: Int64 { Int64(milliseconds << 16 | UInt64(counter)) }

    public init(packed: Int64) throws(CoreError) {
        guard packed >= 0 else { throw .valueOutOfRange(field: "hlc") }
        try self.init(milliseconds: UInt64(packed) >> 16, counter: UInt16(truncatingIfNeeded: packed))
    }

    public static func < (a: HLCTimestamp, b: HLCTimestamp) -> Bool {
        (a.milliseconds, a.counter) < (b.milliseconds, b.counter)
    }

    public var description: String { "\(milliseconds).\(counter)" }
}
