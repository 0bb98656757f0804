import BaoxueCore

/// One range of a RECONCILE message: everything from the previous range's
/// upper bound (or zero) up to `upper`, and what the sender says about it.
public struct ReconcileRange: Equatable, Sendable {
    /// What a range carries (`Protocol/sync.md` §4.3).
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
        /// The answer to an empty id list: the answerer holds `count` items here
        /// and will send them all (no ids: the asker holds none of them).
        case all(count: UInt64)
        /// The sender has not answered the receiver's ranges from here up yet
        /// (its reply was full); only as the last range, bound infinity.
        case deferred

        /// Ranges that oblige the receiver to reply.
        var needsAnswer: Bool {
            switch self {
            case .fingerprint, .idList, .deferred: true
            case .skip, .idListResponse, .all: false
            }
        }

        /// The mode's number on the wire (sync.md §4.3).
        package var code: UInt64 {
            switch self {
            case .skip: 0
            case .fingerprint: 1
            case .idList: 2
            case .idListResponse: 3
            case .all: 4
            case .deferred: 5
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

/// The wire form of a list of ranges (`Protocol/sync.md` §4.3).
enum RangeCodec {
    static let maxIdsPerRange = 65_536
    static let maxAllCount: UInt64 = 1 << 32
    static let maxTag: UInt64 = ((63 * 33) + 32) * 8 + 7

    static func encode(_ ranges: [ReconcileRange], into w: inout ByteWriter) {
        w.varint(UInt64(ranges.count))
        var last: UInt64 = 0
        for r in ranges { encode(r, last: &last, into: &w) }
    }

    /// One range after a bound with timestamp `last` (updated when this bound is finite).
    static func encode(_ r: ReconcileRange, last: inout UInt64, into w: inout ByteWriter) {
        var z: UInt64 = 0
        if r.upper == .infinity {
            w.varint(0)
        } else {
            let delta = r.upper.timestamp - last
            var q = delta
            if delta != 0 {
                z = UInt64(delta.trailingZeroBitCount)
                q = delta >> z
            }
            w.varint(q + 1)
            last = r.upper.timestamp
        }
        w.varint((z * 33 + UInt64(r.upper.prefix.count)) * 8 + r.mode.code)
        w.raw(r.upper.prefix)
        switch r.mode {
        case .skip, .deferred:
            break
        case .fingerprint(let fp):
            w.raw(fp)
        case .idList(let ids):
            w.varint(UInt64(ids.count))
            for id in ids { w.raw(id.bytes) }
        case .idListResponse(let have, let need):
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
        case .all(let count):
            w.varint(count)
        }
    }

    /// The encoded size of `r` after a bound with timestamp `last`.
    static func size(_ r: ReconcileRange, last: UInt64) -> Int {
        var w = ByteWriter(capacity: 64)
        var l = last
        encode(r, last: &l, into: &w)
        return w.bytes.count
    }

    static func decode(_ r: inout ByteReader) throws(SyncError) -> [ReconcileRange] {
        return try SyncError.parsing {
            let n = try r.varint("range count")
            guard n <= UInt64(r.remaining) else { throw SyncError.malformed("range count exceeds message") }
            var out: [ReconcileRange] = []
            var last: UInt64 = 0
            var previous: RangeBound?
            for index in 0..<n {
                let head = try r.varint("bound")
                let tag = try r.varint("range tag")
                guard tag <= maxTag else { throw SyncError.malformed("range tag out of range") }
                let z = tag / 8 / 33
                let plen = Int(tag / 8 % 33)
                let code = tag % 8
                let ts: UInt64
                if head == 0 {
                    guard z == 0, plen == 0 else { throw SyncError.malformed("infinite bound with a prefix or scale") }
                    ts = .max
                } else {
                    let q = head - 1
                    guard q & 1 == 1 || (q == 0 && z == 0) else { throw SyncError.malformed("bound not in its shortest form") }
                    let (delta, o1) = q.multipliedReportingOverflow(by: 1 << z)
                    let (sum, o2) = last.addingReportingOverflow(delta)
                    guard !o1, !o2, sum < .max else {
                        throw SyncError.malformed("bound timestamp overflows")
                    }
                    ts = sum
                    last = sum
                }
                let bound = RangeBound(timestamp: ts, prefix: Array(try r.take(plen, "bound prefix")))
                if let previous, !(previous < bound) { throw SyncError.malformed("bounds not increasing") }
                previous = bound
                let mode: ReconcileRange.Mode
                switch code {
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
                case 4:
                    let count = try r.varint("item count")
                    guard count >= 1, count <= maxAllCount else { throw SyncError.malformed("item count out of range") }
                    mode = .all(count: count)
                case 5:
                    guard ts == .max, index == n - 1 else { throw SyncError.malformed("deferred range not last") }
                    mode = .deferred
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
