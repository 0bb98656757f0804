import BaoxueCore
import BaoxueSync
import BaoxueTesting
import Testing

/// Every message round-trips through its bytes; hostile bytes get a typed error.
@Suite struct SyncMessageTests {
    static func samples() throws -> [SyncMessage] {
        let id = ShortID(try ChangeID(bytes: [UInt8](repeating: 7, count: 32)))
        return [
            .hello(scopes: [try ScopeID("school-001"), try ScopeID("丰南区-示例小学")]),
            .accept([true, false]),
            .reconcile(scope: 1, ranges: []),
            .reconcile(
                scope: 0,
                ranges: [
                    ReconcileRange(upper: RangeBound(timestamp: 5, prefix: []), mode: .skip),
                    ReconcileRange(upper: RangeBound(timestamp: 5, prefix: [0x80]), mode: .fingerprint([UInt8](repeating: 1, count: 16))),
                    ReconcileRange(upper: RangeBound(timestamp: 1 << 40, prefix: []), mode: .idList([id, id])),
                    ReconcileRange(
                        upper: .infinity,
                        mode: .idListResponse(have: [id], need: [true, false, true, true, false, false, false, false, true])),
                ]),
            .changes(batch: 3, encoded: Fixtures.chain(Fixtures.key(1), count: 2).map(\.encoded)),
            .ack(batch: 300),
            .done,
            .abort(code: 9, reason: "unsolicited_change"),
        ]
    }

    @Test func everyMessageRoundTrips() throws {
        for m in try Self.samples() {
            #expect(try SyncMessage.decode(m.encoded()) == m)
        }
    }

    @Test func hostileBytesGetATypedErrorNeverACrash() throws {
        var rng = SeededGenerator(seed: 77)
        let genuine = try Self.samples().map { $0.encoded() }
        var accepted = 0
        for i in 0..<50_000 {
            var bytes: [UInt8]
            if i % 2 == 0 {
                bytes = (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if bytes.count >= 2 {
                    bytes[0] = 1
                    bytes[1] = UInt8.random(in: 1...7, using: &rng)
                }
            } else {
                bytes = genuine[i % genuine.count]
                for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                if Bool.random(using: &rng) { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng))) }
            }
            do {
                let m = try SyncMessage.decode(bytes)
                // Whatever parses must re-encode to the very same bytes: one encoding per message.
                #expect(m.encoded() == bytes, "seed 77, input \(i)")
                accepted += 1
            } catch {
                #expect(!error.name.isEmpty)
            }
        }
        #expect(accepted > 0 && accepted < 50_000)
    }
}
