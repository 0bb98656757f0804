import NIOConcurrencyHelpers
import NIOCore

/// The sockets a server holds, by state: every open channel (to close them all at `stop`), and
/// which are still handshaking, from which address. Invariant: a socket admitted by `accept` is
/// removed exactly once, in `closed`; `identified` only takes it out of the handshaking counts.
final class OpenSockets: Sendable {
    private struct State {
        var channels: [UInt64: any Channel] = [:]
        var handshaking: [UInt64: String] = [:]
        var perAddress: [String: Int] = [:]
    }

    let limits: ConnectionLimits
    private let state = NIOLockedValueBox(State())

    init(limits: ConnectionLimits) { self.limits = limits }

    /// Admits a new socket, or says why it must be closed at once (then it is not held).
    func accept(_ id: UInt64, _ channel: any Channel, address: String) -> ConnectionLimits.Refusal? {
        state.withLockedValue { s in
            if s.channels.count >= limits.maxOpen { return .serverFull }
            if s.handshaking.count >= limits.maxOpen - limits.reservedForIdentified { return .handshakes }
            if s.perAddress[address, default: 0] >= limits.handshakesPerAddress { return .handshakesPerAddress }
            s.channels[id] = channel
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
            guard s.channels.removeValue(forKey: id) != nil else { return }
            Self.endHandshake(id, &s)
        }
    }

    private static func endHandshake(_ id: UInt64, _ s: inout State) {
        guard let address = s.handshaking.removeValue(forKey: id) else { return }
        s.perAddress[address, default: 1] -= 1
        if s.perAddress[address] == 0 { s.perAddress[address] = nil }
    }

    var count: Int { state.withLockedValue { $0.channels.count } }
    var all: [any Channel] { state.withLockedValue { Array($0.channels.values) } }
}
