import BaoxueCore
import Testing

/// A packed id is the id: same bytes back, same order as the bytes, wrong lengths refused.
@Suite struct PackedChangeIDTests {
    static let seed: UInt64 = 0x9AC4ED

    @Test func packingKeepsTheBytesAndTheirOrder() throws {
        var rng = SeededGenerator(seed: Self.seed)
        let ids = try (0..<500).map { n in
            // Every fourth id shares a long prefix with the previous one, so later words decide the order.
            var bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if n % 4 == 0 { bytes[0..<24] = [UInt8](repeating: 7, count: 24)[...] }
            return try ChangeID(bytes: bytes)
        }
        for (i, id) in ids.enumerated() {
            let packed = PackedChangeID(id)
            #expect(packed.id == id, "seed \(Self.seed), id \(i)")
            #expect(try PackedChangeID(bytes: id.bytes[...]) == packed)
        }
        for (a, b) in zip(ids, ids.dropFirst()) {
            #expect((PackedChangeID(a) < PackedChangeID(b)) == (a < b), "seed \(Self.seed): \(a.hex) vs \(b.hex)")
        }
        #expect(ids.map(PackedChangeID.init).sorted().map(\.id) == ids.sorted())
    }

    @Test func aWrongLengthIsRefused() {
        #expect(throws: CoreError.wrongLength(field: "change id", expected: 32, actual: 31)) {
            try PackedChangeID(bytes: [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: CoreError.self) { try PackedChangeID(bytes: [UInt8](repeating: 1, count: 33)) }
    }
}
