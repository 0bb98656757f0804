import NIOConcurrencyHelpers

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

/// The sockets a server holds, by state. Invariant: every counted socket is uncounted exactly
/// once, in `closed`; `identified` only moves a socket out of the handshaking counts.
final class SocketCounter: Sendable {
    private struct State {
        var open = 0
        var handshaking: [UInt64: String] = [:]
        var perAddress: [String: Int] = [:]
        var counted: Set<UInt64> = []
    }

    let limits: ConnectionLimits
    private let state = NIOLockedValueBox(State())

    init(limits: ConnectionLimits) { self.limits = limits }

    /// Counts a new socket, or says why it must be closed at once (then it is not counted).
    func accept(_ id: UInt64, address: String) -> ConnectionLimits.Refusal? {
        state.withLockedValue { s in
            if s.open >= limits.maxOpen { return .serverFull }
            if s.handshaking.count >= limits.maxOpen - limits.reservedForIdentified { return .handshakes }
            if s.perAddress[address, default: 0] >= limits.handshakesPerAddress { return .handshakesPerAddress }
            s.open += 1
            s.counted.insert(id)
            s.handshaking[id] = address
            s.perAddress[address, default: 0] += 1
            return nil
        }
    }

    /// The socket's peer proved its device key: it no longer counts as handshaking.
    func identified(_ id: UInt64) {
        state.withLockedValue { s in Self.endHandshake(id, &s) }
    }

    func closed(_ id: UInt64) {
        state.withLockedValue { s in
            guard s.counted.remove(id) != nil else { return }
            Self.endHandshake(id, &s)
            s.open -= 1
        }
    }

    private static func endHandshake(_ id: UInt64, _ s: inout State) {
        guard let address = s.handshaking.removeValue(forKey: id) else { return }
        s.perAddress[address, default: 1] -= 1
        if s.perAddress[address] == 0 { s.perAddress[address] = nil }
    }

    /// Open sockets and those still handshaking.
    var counts: (open: Int, handshaking: Int) { state.withLockedValue { ($0.open, $0.handshaking.count) } }
}
