import BaoxueCore
import BaoxueSodium
import Foundation

/// Writes `Protocol/vectors/changes.json`: valid changes from fixed seeds
/// (Ed25519 signing is deterministic, so the file is reproducible) and
/// malformed encodings with the error each must produce.
enum VectorMaker {
    struct Case {
        let name: String
        let seedByte: UInt8
        let seq: UInt64
        let ms: UInt64
        let counter: UInt16
        let scope: String
        let deps: Int
        let payload: [UInt8]
    }

    static func dep(_ i: Int) -> ChangeID { ChangeID(hashing: Array("dep-\(i)".utf8)[...]) }

    static let cases: [Case] = [
        Case(
            name: "minimal: seq 1, no deps, empty payload", seedByte: 1, seq: 1, ms: 1_764_000_000_000, counter: 0, scope: "school-001",
            deps: 0, payload: []),
        Case(
            name: "one dep, small payload", seedByte: 1, seq: 2, ms: 1_764_000_000_500, counter: 0, scope: "school-001", deps: 1,
            payload: Array("visit".utf8)),
        Case(
            name: "non-ASCII scope and payload text", seedByte: 2, seq: 7, ms: 1_764_000_100_000, counter: 3, scope: "丰南区第一小学", deps: 2,
            payload: Array("家访：孩子在家，家长同意返校。".utf8)),
        Case(
            name: "maximum deps (64)", seedByte: 3, seq: 42, ms: 1_764_000_200_000, counter: 1, scope: "township-07", deps: 64,
            payload: [0x00]),
        Case(
            name: "empty payload with deps", seedByte: 4, seq: 3, ms: 1_764_000_300_000, counter: 0, scope: "village-12", deps: 3,
            payload: []),
        Case(
            name: "largest seq, hlc milliseconds and counter", seedByte: 5, seq: UInt64(Int64.max), ms: (1 << 47) - 1, counter: 65535,
            scope: "s", deps: 1, payload: [0xff]),
        Case(
            name: "scope of 128 bytes", seedByte: 6, seq: 1, ms: 0, counter: 0, scope: String(repeating: "a", count: 128), deps: 0,
            payload: [1, 2, 3]),
        Case(
            name: "payload with every byte value", seedByte: 7, seq: 9, ms: 1_764_000_400_000, counter: 2, scope: "district-admin", deps: 1,
            payload: (0...255).map { UInt8($0) }),
        Case(
            name: "scope mixing scripts and emoji", seedByte: 8, seq: 100, ms: 1_764_000_500_000, counter: 0, scope: "学校-Ünïcødé-🏫",
            deps: 5, payload: Array("送教上门 2 课时".utf8)),
    ]

    static func make() throws -> String {
        var valid: [[String: Any]] = []
        var first: Change?
        for c in cases {
            let key = try DeviceKey(seed: [UInt8](repeating: c.seedByte, count: 32))
            let deps = (0..<c.deps).map(dep)
            let change = try Change.sign(
                by: key, seq: c.seq, timestamp: try HLCTimestamp(milliseconds: c.ms, counter: c.counter),
                scope: try ScopeID(c.scope), deps: deps, payload: c.payload
            )
            if first == nil { first = change }
            valid.append([
                "name": c.name,
                "seed": Hex.encode(key.seed),
                "author": key.publicKey.hex,
                "fingerprint": key.publicKey.fingerprint.text,
                "seq": String(c.seq),
                "hlc_ms": String(c.ms),
                "hlc_counter": Int(c.counter),
                "scope": c.scope,
                "deps": change.deps.map(\.hex),
                "payload": Hex.encode(c.payload),
                "signed_bytes": Hex.encode(change.signedBytes),
                "signature": change.signature.hex,
                "id": change.id.hex,
                "encoded": Hex.encode(change.encoded),
            ])
        }
        let invalid = try InvalidVectors.make(from: first!, key: try DeviceKey(seed: [UInt8](repeating: 1, count: 32)))
        let root: [String: Any] = [
            "description":
                "Baoxue canonical change encoding, format version 1. See Protocol/changes.md. "
                    + "Integers that may exceed 2^53 are decimal strings.",
            "valid": valid,
            "invalid": invalid,
        ]
        let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
