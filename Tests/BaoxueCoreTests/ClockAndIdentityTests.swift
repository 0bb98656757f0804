import BaoxueCore
import BaoxueTesting
import Foundation
import Testing

@Suite struct ClockAndIdentityTests {
    func ts(_ ms: UInt64, _ c: UInt16) -> HLCTimestamp { try! HLCTimestamp(milliseconds: ms, counter: c) }

    @Test func tickFollowsPhysicalTimeAndCountsWhenItStalls() throws {
        var clock = HybridLogicalClock()
        #expect(try clock.tick(now: 100) == ts(100, 0))
        #expect(try clock.tick(now: 100) == ts(100, 1))
        #expect(try clock.tick(now: 90) == ts(100, 2))
        #expect(try clock.tick(now: 101) == ts(101, 0))
    }

    @Test func receiveFollowsKulkarniRules() throws {
        var clock = HybridLogicalClock(last: ts(100, 5))
        try clock.receive(ts(100, 9), now: 50)
        #expect(clock.last == ts(100, 10))
        try clock.receive(ts(200, 3), now: 150)
        #expect(clock.last == ts(200, 4))
        try clock.receive(ts(10, 0), now: 150)
        #expect(clock.last == ts(200, 5))
        try clock.receive(ts(10, 0), now: 300)
        #expect(clock.last == ts(300, 0))
    }

    @Test func counterOverflowAdvancesMilliseconds() throws {
        var clock = HybridLogicalClock(last: ts(100, .max))
        #expect(try clock.tick(now: 0) == ts(101, 0))
        var end = HybridLogicalClock(last: ts(HLCTimestamp.maxMilliseconds, .max))
        #expect(throws: CoreError.clockOverflow) { try end.tick(now: 0) }
    }

    @Test func randomEventsKeepTimestampsStrictlyIncreasing() throws {
        var rng = SeededGenerator(seed: 77)
        var clock = HybridLogicalClock()
        var previous = clock.last
        for _ in 0..<10_000 {
            let now = UInt64.random(in: 1_000...1_050, using: &rng)
            if Bool.random(using: &rng) {
                try clock.receive(ts(UInt64.random(in: 900...1_100, using: &rng), UInt16.random(in: 0...9, using: &rng)), now: now)
            } else {
                _ = try clock.tick(now: now)
            }
            #expect(clock.last > previous, "seed 77")
            previous = clock.last
        }
    }

    @Test func packedFormKeepsOrder() throws {
        let a = ts(5, 65535)
        let b = ts(6, 0)
        #expect(a.packed < b.packed)
        #expect(try HLCTimestamp(packed: b.packed) == b)
        #expect(throws: CoreError.valueOutOfRange(field: "hlc.milliseconds")) { try HLCTimestamp(milliseconds: 1 << 47, counter: 0) }
    }

    @Test func scopeRules() throws {
        #expect(try ScopeID("丰南区第一小学").utf8.count == 21)
        #expect(throws: CoreError.invalidText(field: "scope")) { try ScopeID("e\u{301}") }
        #expect(throws: CoreError.invalidText(field: "scope")) { try ScopeID("a\tb") }
        #expect(throws: CoreError.lengthOutOfRange(field: "scope", value: 0, allowed: 1...128)) { try ScopeID("") }
        #expect(throws: CoreError.lengthOutOfRange(field: "scope", value: 129, allowed: 1...128)) {
            try ScopeID(String(repeating: "x", count: 129))
        }
    }

    /// Scopes and keys are compared and hashed by their bytes: equal ones meet in a set, any other never does.
    @Test func scopesAndKeysHashAndCompareByTheirBytes() throws {
        let names = ["丰南区/东镇/示例小学", "丰南区/东镇", "丰南区/东镇2", "café", "cafe", "_admin", "Ω"]
        let scopes = try names.map { try ScopeID($0) } + names.map { try ScopeID(String(decoding: Array($0.utf8), as: UTF8.self)) }
        #expect(Set(scopes).count == names.count)
        #expect(Dictionary(scopes.map { ($0, 1) }, uniquingKeysWith: +).values.allSatisfy { $0 == 2 })
        #expect(scopes.sorted().map(\.value) == scopes.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map(\.value))
        let keys = (0..<50).map { Fixtures.key(UInt8($0)).publicKey }
        let again = try keys.map { try PublicKey(bytes: Array($0.bytes)) }
        #expect(Set(keys + again).count == 50)
        #expect(Set(keys + again).allSatisfy { k in keys.contains(k) })
    }

    /// A scope covers itself and the paths below it, decided on bytes (trust.md §2): checked against every
    /// pair of a set of paths, including a sibling that shares a prefix and a separator followed by a
    /// combining mark (`/` + U+0301 is one character to `String`, still a path separator to bytes).
    @Test func aScopeCoversItselfAndThePathsBelowItByBytes() throws {
        let names = [
            "丰南区", "丰南区/东镇", "丰南区/东镇/示例小学", "丰南区/东镇2", "丰南区/东镇2/小学", "丰南区东镇", "_admin", "a", "a/\u{301}b",
        ]
        let scopes = try names.map { try ScopeID($0) }
        for outer in scopes {
            for inner in scopes {
                let o = Array(outer.value.utf8)
                let i = Array(inner.value.utf8)
                let expected = i == o || (i.count > o.count && Array(i.prefix(o.count)) == o && i[o.count] == 0x2F)
                #expect(outer.covers(inner) == expected, "\(outer) covers \(inner)")
            }
        }
        #expect(try ScopeID("丰南区/东镇").covers(try ScopeID("丰南区/东镇/示例小学")))
        #expect(!(try ScopeID("丰南区/东镇").covers(try ScopeID("丰南区/东镇2"))))
        #expect(try ScopeID("a").covers(try ScopeID("a/\u{301}b")))
    }

    @Test func fingerprintIsShortGroupedAndKeySpecific() {
        let a = Fixtures.key(1).publicKey.fingerprint.text
        let b = Fixtures.key(2).publicKey.fingerprint.text
        #expect(a.count == 19)
        #expect(a.split(separator: "-").map(\.count) == [4, 4, 4, 4])
        #expect(a.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ-".contains($0) })
        #expect(a != b)
        #expect(a == Fixtures.key(1).publicKey.fingerprint.text)
    }

    @Test func hexRoundTripAndRejects() throws {
        #expect(try Hex.decode("00ff10Ab") == [0, 255, 16, 171])
        #expect(Hex.encode([0, 255, 16, 171]) == "00ff10ab")
        // Every kind of byte sequence gives the same text: contiguous (array, slice, Data, raw buffer) or not.
        let bytes = (0...255).map { UInt8($0) }
        let expected = bytes.map { String(format: "%02x", $0) }.joined()
        #expect(Hex.encode(bytes) == expected)
        #expect(Hex.encode(bytes[16...]) == String(expected.dropFirst(32)))
        #expect(Hex.encode(Data(bytes)) == expected)
        #expect(bytes.withUnsafeBytes { Hex.encode($0) } == expected)
        #expect(Hex.encode(bytes.lazy.map { $0 }) == expected)
        #expect(Hex.encode([UInt8]()) == "")
        var appended = Array("x".utf8)
        Hex.append(bytes[0..<2], to: &appended)
        Hex.append(bytes.lazy.map { $0 }.prefix(1), to: &appended)
        #expect(String(decoding: appended, as: UTF8.self) == "x000100")
        #expect(throws: CoreError.invalidHex) { try Hex.decode("abc") }
        #expect(throws: CoreError.invalidHex) { try Hex.decode("zz") }
    }

    @Test func parallelVerificationMatchesSerialAndReportsFirstBadIndex() throws {
        var encoded = Fixtures.chain(Fixtures.key(4), count: 200).map(\.encoded)
        let serial = try BatchVerifier.verify(encoded, threads: 1)
        let parallel = try BatchVerifier.verify(encoded, threads: 2)
        #expect(serial == parallel)
        encoded[150][70] ^= 1
        encoded[170][70] ^= 1
        #expect(throws: BatchVerifier.Failure(index: 150, error: .badSignature)) { try BatchVerifier.verify(encoded, threads: 2) }
    }
}
