import BaoxueCore

/// One range of a RECONCILE message: everything from the previous range's
/// upper bound (or zero) up to `upper`, and what the sender says about it.
public struct ReconcileRange: Equatable, Sendable {
    /// What a range carries (`Protocol/sync.md`, "Ranges").
    public enum Mode: Equatable, Sendable {
        /// Nothing to do here.
        case skip
        /// The sender's fingerprint of its items in the range.
        case fingerprint([UInt8])
        /// Every id the sender holds in the range (short form).
        case idList([ShortID])
        /// The answer to an `idList`: ids the answerer holds that the list
        /// lacked, and one bit per listed id, set when the answerer lacks it.
        case idListResponse(have: [ShortID], need: [Bool])

        /// Fingerprint and id-list ranges need an answer; the others do not.
        var needsAnswer: Bool {
            switch self {
            case .fingerprint, .idList: true
            case .skip, .idListResponse: false
            }
        }
    }

    public let upper: RangeBound
    public let mode: Mode

    public init(upper: RangeBound, mode: Mode) {
        self.upper = upper
        self.mode = mode
    }
}

/// The wire form of a list of ranges (`Protocol/sync.md`, "Ranges").
enum RangeCodec {
    static let maxIdsPerRange = 65_536

    static func encode(_ ranges: [ReconcileRange], into w: inout ByteWriter) {
        w.varint(UInt64(ranges.count))
        var last: UInt64 = 0
        for r in ranges {
            if r.upper == .infinity {
                w.varint(0)
            } else {
                w.varint(1 + r.upper.timestamp - last)
                last = r.upper.timestamp
            }
            w.u8(UInt8(r.upper.prefix.count))
            w.raw(r.upper.prefix)
            switch r.mode {
            case .skip:
                w.varint(0)
            case .fingerprint(let fp):
                w.varint(1)
                w.raw(fp)
            case .idList(let ids):
                w.varint(2)
                w.varint(UInt64(ids.count))
                for id in ids { w.raw(id.bytes) }
            case .idListResponse(let have, let need):
                w.varint(3)
                w.varint(UInt64(have.count))
                for id in have { w.raw(id.bytes) }
                w.varint(UInt64(need.count))
                var byte: UInt8 = 0
                for (i, bit) in need.enumerated() {
                    if bit { byte |= 1 << UInt8(i % 8) }
                    if i % 8 == 7 {
                        w.u8(byte)
                        byte = 0
                    }
                }
                if need.count % 8 != 0 { w.u8(byte) }
            }
        }
    }

    static func decode(_ r: inout ByteReader) throws(SyncError) -> [ReconcileRange] {
        return try SyncError.parsing {
            let n = try r.varint("range count")
            guard n <= UInt64(r.remaining) else { throw SyncError.malformed("range count exceeds message") }
            var out: [ReconcileRange] = []
            var last: UInt64 = 0
            var previous: RangeBound?
            for _ in 0..<n {
                let encoded = try r.varint("bound timestamp")
                let ts: UInt64
                if encoded == 0 {
                    ts = .max
                } else {
                    let (sum, overflow) = last.addingReportingOverflow(encoded - 1)
                    guard !overflow, sum < .max else { throw SyncError.malformed("bound timestamp overflows") }
                    ts = sum
                    last = sum
                }
                let plen = Int(try r.u8("bound prefix length"))
                guard plen <= ChangeID.length else { throw SyncError.malformed("bound prefix longer than an id") }
                guard ts != .max || plen == 0 else { throw SyncError.malformed("infinite bound with a prefix") }
                let bound = RangeBound(timestamp: ts, prefix: Array(try r.take(plen, "bound prefix")))
                if let previous, !(previous < bound) { throw SyncError.malformed("bounds not increasing") }
                previous = bound
                let mode: ReconcileRange.Mode
                switch try r.varint("range mode") {
                case 0: mode = .skip
                case 1: mode = .fingerprint(Array(try r.take(Fingerprints.length, "fingerprint")))
                case 2: mode = .idList(try ids(&r))
                case 3:
                    let have = try ids(&r)
                    let bits = try r.varint("need bit count")
                    guard bits <= UInt64(maxIdsPerRange) else { throw SyncError.malformed("too many need bits") }
                    let bytes = Array(try r.take((Int(bits) + 7) / 8, "need bits"))
                    let need = (0..<Int(bits)).map { bytes[$0 / 8] & (1 << UInt8($0 % 8)) != 0 }
                    if bits % 8 != 0, bytes.last! >> UInt8(bits % 8) != 0 { throw SyncError.malformed("need bits past the end set") }
                    mode = .idListResponse(have: have, need: need)
                default: throw SyncError.malformed("unknown range mode")
                }
                out.append(ReconcileRange(upper: bound, mode: mode))
            }
            return out
        }
    }

    private static func ids(_ r: inout ByteReader) throws(CoreError) -> [ShortID] {
        let n = try r.varint("id count")
        guard n <= UInt64(maxIdsPerRange), n * UInt64(ShortID.length) <= UInt64(r.remaining) else {
            throw .valueOutOfRange(field: "id count")
        }
        var out: [ShortID] = []
        out.reserveCapacity(Int(n))
        for _ in 0..<n { out.append(ShortID(bytes: try r.take(ShortID.length, "id"))) }
        return out
    }
}
