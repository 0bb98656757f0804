/// What one relay allows each device and everyone together. Over a limit, the
/// session ends with ABORT `over_limit: <which>`, which the device shows its
/// user ("the relay is busy, sync again later"); acknowledged changes stay.
///
/// The defaults fit a township: a few hundred devices, a day's work each well
/// under a minute of traffic on a slow link.
public struct RelayLimits: Sendable, Equatable {
    /// Simultaneous sessions of one device (a phone retrying while its old connection lingers).
    public var connectionsPerDevice = 2
    /// Simultaneous sessions in all (file descriptors and memory).
    public var connections = 8_000
    /// Sessions past their handshake served at once; the others wait their turn, connected and
    /// reading nothing. Bounds the relay's memory and keeps each session fast when thousands of
    /// devices arrive together (they are served in arrival order, not all slowly at once).
    public var sessionsInProgress = 128
    /// How long a device waits for its turn before it is told `over_limit: server_busy`.
    public var admissionWaitMs: UInt64 = 30_000
    /// Bytes one device may send in any minute.
    public var bytesPerMinute = 64 << 20
    /// Bytes one device may send in a day (UTC): a day's records are a few hundred kilobytes, and an
    /// attachment at most 8 MiB (privacy.md §3.6), so this bounds what one phone can fill the relay with.
    public var bytesPerDay = 256 << 20
    /// Changes one device may push in one session; it continues in the next.
    public var changesPerSession = 50_000

    public init() {}
}
