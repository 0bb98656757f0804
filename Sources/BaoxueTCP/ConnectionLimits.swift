/// What a listening replica admits at `accept`, before any byte is read: sockets are counted
/// from the moment they connect, not once their handshake completes.
///
/// Why three numbers: `maxOpen` bounds descriptors and memory; a peer that opens sockets and
/// never completes a handshake is held to `handshakesPerAddress` at once; and
/// `reservedForIdentified` of `maxOpen` stay free of handshaking sockets altogether, so devices
/// that proved their key are served even when strangers hold every other slot.
public struct ConnectionLimits: Sendable, Equatable {
    public var maxOpen: Int
    public var handshakesPerAddress: Int
    public var reservedForIdentified: Int

    /// The defaults fit a township relay; a township's phones may share one NAT address, and each
    /// holds a handshaking socket for about a second on 2G, so 64 at once is ample.
    public init(maxOpen: Int = 8_000, handshakesPerAddress: Int = 64, reservedForIdentified: Int? = nil) {
        self.maxOpen = max(1, maxOpen)
        self.handshakesPerAddress = max(1, handshakesPerAddress)
        self.reservedForIdentified = min(self.maxOpen - 1, max(0, reservedForIdentified ?? max(8, self.maxOpen / 8)))
    }

    /// Why a socket was closed at accept, as logs and tests name it.
    public enum Refusal: String, Sendable, Equatable {
        /// `maxOpen` sockets are open.
        case serverFull = "server_full"
        /// Handshaking sockets fill everything but the reserve.
        case handshakes = "handshakes"
        /// This address already holds `handshakesPerAddress` handshaking sockets.
        case handshakesPerAddress = "handshakes_per_address"
    }
}
