import BaoxueCore
import BaoxueSync
import BaoxueTesting
import Testing

/// `seal` fills frames message by message without building the stream; its bytes must be
/// exactly those of sealing the whole length-prefixed stream, and the peer must read back
/// every message, whatever the sizes around the 65,519-byte frame boundary.
@Suite struct SecureChannelFramingTests {
    /// Two channels after a completed handshake.
    static func established() throws -> (SecureChannel, SecureChannel) {
        var a = try SecureChannel(role: .initiator, key: Fixtures.key(1))
        var b = try SecureChannel(role: .responder, key: Fixtures.key(2))
        var toB = try a.start()
        var toA = try b.start()
        while !(a.isEstablished && b.isEstablished) {
            toA += try b.receive(toB).send
            toB = try a.receive(toA).send
            toA = []
        }
        return (a, b)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func sealingMessagesEqualsSealingTheirStream(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var (a, b) = try Self.established()
        let frame = 65_519
        let sizes = [2, 3, frame - 4, frame - 3, frame, frame + 1, 2 * frame - 8, 100_000, 17]
        for round in 0..<4 {
            let messages = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
                (0..<sizes.randomElement(using: &rng)!).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
            var stream: [UInt8] = []
            for m in messages {
                stream += [
                    UInt8(m.count >> 24), UInt8(truncatingIfNeeded: m.count >> 16), UInt8(truncatingIfNeeded: m.count >> 8),
                    UInt8(truncatingIfNeeded: m.count),
                ]
                stream += m
            }
            var twin = a
            let sealed = try a.seal(messages)
            #expect(sealed == (try twin.sealRaw(stream)), "seed \(seed), round \(round), sizes \(messages.map(\.count))")
            let (_, events) = try b.receive(sealed)
            #expect(events == messages.map { SecureChannel.Event.message($0) }, "seed \(seed), round \(round)")
        }
    }
}
