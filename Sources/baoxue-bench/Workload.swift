import BaoxueCore
import Dispatch
import Foundation

/// Single-op changes like the field produces: many authors, each a chain,
/// payloads of about one CRDT operation (~120 bytes).
enum Workload {
    /// `count` fixed device keys, one per school of a synthetic district: seeds of `fill` bytes with
    /// the index in the first two, so a reused database still matches its authors.
    static func deviceKeys(_ count: Int, fill: UInt8) -> [DeviceKey] {
        (0..<count).map { i in
            var seed = [UInt8](repeating: fill, count: 32)
            seed[0] = UInt8(i & 0xff)
            seed[1] = UInt8(i >> 8)
            return try! DeviceKey(seed: seed)
        }
    }

    static let scope = try! ScopeID("丰南区-示例小学")

    /// `count` changes from `authors` devices, authors interleaved; signed on all cores.
    static func changes(
        count: Int, authors: Int, firstSeq: UInt64 = 1, keySalt: UInt8 = 0, previous: [ChangeID?]? = nil
    ) -> (encoded: [[UInt8]], last: [ChangeID?]) {
        let perAuthor = count / authors
        let keys = (0..<authors).map { i -> DeviceKey in
            var seed = [UInt8](repeating: keySalt, count: 32)
            seed[0] = UInt8(i & 0xff)
            seed[1] = UInt8(i >> 8)
            seed[2] = 0xbe
            return try! DeviceKey(seed: seed)
        }
        let chains = UnsafeMutableBufferPointer<[Change]>.allocate(capacity: authors)
        chains.initialize(repeating: [])
        defer {
            chains.deinitialize()
            chains.deallocate()
        }
        nonisolated(unsafe) let shared = chains
        DispatchQueue.concurrentPerform(iterations: authors) { a in
            var deps: [ChangeID] = previous?[a].map { [$0] } ?? []
            var out: [Change] = []
            out.reserveCapacity(perAuthor)
            for i in 0..<perAuthor {
                let seq = firstSeq + UInt64(i)
                let c = try! Change.sign(
                    by: keys[a], seq: seq, timestamp: try! HLCTimestamp(milliseconds: 1_764_000_000_000 + seq, counter: UInt16(a)),
                    scope: scope, deps: deps, payload: payload(seq)
                )
                deps = [c.id]
                out.append(c)
            }
            shared[a] = out
        }
        var encoded: [[UInt8]] = []
        encoded.reserveCapacity(count)
        for i in 0..<perAuthor { for a in 0..<authors { encoded.append(chains[a][i].encoded) } }
        return (encoded, (0..<authors).map { chains[$0].last?.id })
    }

    static func payload(_ seq: UInt64) -> [UInt8] {
        Array("{\"op\":\"set\",\"record\":\"child/\(seq % 3000)\",\"field\":\"status\",\"value\":\"enrolled\",\"reason\":\"家访确认在校\"}".utf8)
    }
}
