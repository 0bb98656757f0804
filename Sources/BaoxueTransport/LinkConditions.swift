/// What a simulated link does to bytes: delay, a bandwidth cap, lost
/// segments (each costs a retransmission wait, as TCP would), and a cut
/// after a given number of bytes.
public struct LinkConditions: Sendable, Equatable {
    /// One-way delay.
    public var latencyMs: Double = 0
    /// Per direction; nil is unlimited.
    public var bytesPerSecond: Double?
    /// Chance that a segment is lost and resent after `retransmitMs`.
    public var lossRate: Double = 0
    public var retransmitMs: Double = 1_000
    public var segmentBytes = 1_400
    /// The connection drops once this many bytes (both directions together) have been delivered.
    public var cutAfterBytes: Int?
    /// Seeds the loss draws, so every run with the same conditions is the same run.
    public var seed: UInt64 = 1

    public init(latencyMs: Double = 0, bytesPerSecond: Double? = nil, lossRate: Double = 0, cutAfterBytes: Int? = nil, seed: UInt64 = 1) {
        self.latencyMs = latencyMs
        self.bytesPerSecond = bytesPerSecond
        self.lossRate = lossRate
        self.cutAfterBytes = cutAfterBytes
        self.seed = seed
    }

    /// A 2G/EDGE phone link: ~50 kbit/s each way, 300 ms one-way.
    public static let edge = LinkConditions(latencyMs: 300, bytesPerSecond: 50_000 / 8)
    public static let perfect = LinkConditions()
}
