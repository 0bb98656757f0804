import BaoxueCore
import BaoxueSodium

/// Reconciliation fingerprints (`Protocol/sync.md` §4.2): BLAKE2b-256 of an
/// `IDSum` (32 little-endian bytes) and its count as a varint, first 16 bytes —
/// Negentropy's incremental hash with BLAKE2b in place of SHA-256.
enum Fingerprints {
    static let length = 16

    static func of(_ sum: IDSum) -> [UInt8] {
        var w = ByteWriter(capacity: 42)
        w.raw(sum.bytes)
        w.varint(sum.count)
        return Array(Blake2b.hash(w.bytes, length: 32).prefix(length))
    }

    /// The fingerprint of the empty range: a side that sees it knows the peer holds nothing there.
    static let empty = of(IDSum())

    static func of<S: Sequence<SyncItem>>(items: S) -> [UInt8] {
        var s = IDSum()
        for i in items { s.add(i) }
        return of(s)
    }
}

/// The first 16 bytes of a change id: how id lists name changes on the wire.
///
/// Half the bytes of a full id, and still 128 bits: finding a second change
/// whose id shares them takes ~2^128 hash evaluations, and an accidental
/// match inside one small range is out of reach.
public struct ShortID: Hashable, Sendable {
    let hi: UInt64, lo: UInt64
    public static let length = 16

    init(hi: UInt64, lo: UInt64) {
        self.hi = hi
        self.lo = lo
    }

    public init(_ item: SyncItem) { self.init(hi: item.packed.w0, lo: item.packed.w1) }
    public init(_ id: ChangeID) { self.init(SyncItem(timestamp: 0, id: id)) }

    init(bytes: ArraySlice<UInt8>) {
        var h: UInt64 = 0
        var l: UInt64 = 0
        let b = Array(bytes)
        for k in 0..<8 {
            h = h << 8 | UInt64(b[k])
            l = l << 8 | UInt64(b[8 + k])
        }
        self.init(hi: h, lo: l)
    }

    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: hi >> UInt64(56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: lo >> UInt64(56 - 8 * $0)) }
    }
}
