import BaoxueCore
import BaoxueTesting
import Testing

/// 100,000 random and mutated inputs through the decoder: each differs from every genuine
/// change, so each must fail with a typed error (a forgery that decodes is reported at once).
@Suite struct HostileInputTests {
    static let seed: UInt64 = 0xB40_0E5D

    @Test func randomAndMutatedInputsNeverDecodeToForgeries() {
        var rng = SeededGenerator(seed: Self.seed)
        let originals = (1...4).flatMap { i in Fixtures.chain(Fixtures.key(UInt8(i)), count: 3, payloadBytes: 8 * i) }
        let genuine = Set(originals.map(\.encoded))
        var failures = 0, accepted = 0, unchanged = 0
        let rounds = 100_000
        for round in 0..<rounds {
            var input: [UInt8]
            switch round % 4 {
            case 0:
                input = rng.bytes(Int.random(in: 0...300, using: &rng))
            case 1:
                input = originals.randomElement(using: &rng)!.encoded
                for _ in 0...Int.random(in: 0...3, using: &rng) {
                    let i = Int.random(in: 0..<input.count, using: &rng)
                    input[i] ^= UInt8.random(in: 1...255, using: &rng)
                }
            case 2:
                input = originals.randomElement(using: &rng)!.encoded
                let cut = Int.random(in: 0..<input.count, using: &rng)
                input = Int.random(in: 0...1, using: &rng) == 0 ? Array(input.prefix(cut)) : input + rng.bytes(cut % 7 + 1)
            default:
                // Valid prefix up to a length field, then an extreme length.
                input = Array(originals.randomElement(using: &rng)!.encoded.prefix(Int.random(in: 0...80, using: &rng)))
                input += [0xff, 0xff, 0xff, 0xff, 0x7f, 0x80, 0x00].shuffled(using: &rng)
            }
            // Two flips of one byte can cancel out: such an input is a genuine change again, and must decode.
            let isGenuine = genuine.contains(input)
            if isGenuine { unchanged += 1 }
            do {
                let c = try Change.decode(input)
                if !isGenuine || c.encoded != input {
                    Issue.record("round \(round): forged input decoded; reproduce with seed \(Self.seed)")
                }
                accepted += 1
            } catch {
                if isGenuine { Issue.record("round \(round): a genuine change was refused (\(error)); seed \(Self.seed)") }
                failures += 1
            }
        }
        // Random bytes, a flipped byte, a cut, extra bytes, an extreme length: each is refused, and only
        // inputs identical to a genuine change are accepted.
        #expect(accepted == unchanged, "seed \(Self.seed)")
        #expect(failures == rounds - unchanged, "seed \(Self.seed)")
        #expect(unchanged < rounds / 1_000, "the mutations mutate")
        for original in originals { #expect(throws: Never.self) { try Change.decode(original.encoded) } }
    }

    @Test func oversizeInputIsRefusedBeforeParsing() {
        let huge = [UInt8](repeating: 0x42, count: ChangeFormat.maxEncodedBytes + 1)
        #expect(throws: CoreError.lengthOutOfRange(field: "change", value: huge.count, allowed: 0...ChangeFormat.maxEncodedBytes)) {
            try Change.decode(huge)
        }
    }

    @Test func signingRefusesWhatDecodingWouldRefuse() throws {
        let key = Fixtures.key(1)
        let ts = try HLCTimestamp(milliseconds: 1, counter: 0)
        let scope = try ScopeID("s")
        #expect(throws: CoreError.sequenceZero) {
            try Change.sign(by: key, seq: 0, timestamp: ts, scope: scope, deps: [], payload: [])
        }
        let dep = Fixtures.chain(key, count: 1)[0].id
        #expect(throws: CoreError.depsNotCanonical) {
            try Change.sign(by: key, seq: 1, timestamp: ts, scope: scope, deps: [dep, dep], payload: [])
        }
        let many = Fixtures.chain(key, count: 65).map(\.id)
        #expect(throws: CoreError.lengthOutOfRange(field: "deps", value: 65, allowed: 0...64)) {
            try Change.sign(by: key, seq: 1, timestamp: ts, scope: scope, deps: many, payload: [])
        }
        #expect(throws: CoreError.lengthOutOfRange(field: "payload", value: (1 << 20) + 1, allowed: 0...(1 << 20))) {
            try Change.sign(by: key, seq: 1, timestamp: ts, scope: scope, deps: [], payload: [UInt8](repeating: 0, count: (1 << 20) + 1))
        }
    }

    @Test func maximumPayloadRoundTrips() throws {
        let key = Fixtures.key(3)
        let c = try Change.sign(
            by: key, seq: 1, timestamp: try HLCTimestamp(milliseconds: 5, counter: 0), scope: try ScopeID("s"),
            deps: [], payload: [UInt8](repeating: 7, count: 1 << 20)
        )
        #expect(try Change.decode(c.encoded) == c)
    }
}
