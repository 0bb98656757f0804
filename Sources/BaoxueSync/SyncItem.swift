import BaoxueCore
import BaoxueSodium

/// One element of a scope's set as reconciliation sees it: the change's
/// HLC timestamp (packed, as in the change format) and its id.
///
/// Items sort by (timestamp, id bytes). The id is held as four big-endian
/// words so a million items are one flat array, not a million heap arrays.
public struct SyncItem: Hashable, Comparable, Sendable {
    public let timestamp: UInt64
    public let packed: PackedChangeID

    public init(timestamp: UInt64, id: ChangeID) {
        self.init(timestamp: timestamp, packed: PackedChangeID(id))
    }

    public init(timestamp: UInt64, packed: PackedChangeID) {
        self.timestamp = timestamp
        self.packed = packed
    }

    public init(change: Change) {
        self.init(timestamp: UInt64(change.timestamp.packed), id: change.id)
    }

    public var idBytes: [UInt8] { packed.bytes }

    public var id: ChangeID { packed.id }

    public static func < (a: SyncItem, b: SyncItem) -> Bool {
        (a.timestamp, a.packed) < (b.timestamp, b.packed)
    }
}

/// The fingerprint of a run of items: the sum of their ids as 256-bit
/// little-endian integers mod 2^256, and their count (Negentropy's
/// incremental hash), hashed to 16 bytes.
struct FingerprintSum {
    private var limb: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private(set) var count: UInt64 = 0

    mutating func add(_ item: SyncItem) {
        // Little-endian limbs of the id: bytes 0–7 are the lowest limb.
        let (a, b, c, d) = (item.packed.w0.byteSwapped, item.packed.w1.byteSwapped, item.packed.w2.byteSwapped, item.packed.w3.byteSwapped)
        var carry: UInt64
        var o: Bool
        (limb.0, o) = limb.0.addingReportingOverflow(a)
        carry = o ? 1 : 0
        (limb.1, carry) = Self.add(limb.1, b, carry)
        (limb.2, carry) = Self.add(limb.2, c, carry)
        (limb.3, _) = Self.add(limb.3, d, carry)
        count += 1
    }

    private static func add(_ x: UInt64, _ y: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
        let (s1, o1) = x.addingReportingOverflow(y)
        let (s2, o2) = s1.addingReportingOverflow(carry)
        return (s2, (o1 ? 1 : 0) + (o2 ? 1 : 0))
    }

    /// BLAKE2b-256(sum as 32 little-endian bytes ‖ varint(count)), first 16 bytes.
    func fingerprint() -> [UInt8] {
        var w = ByteWriter(capacity: 42)
        for l in [limb.0, limb.1, limb.2, limb.3] { w.raw(withUnsafeBytes(of: l.littleEndian) { Array($0) }) }
        w.varint(count)
        return Array(Blake2b.hash(w.bytes, length: 32).prefix(Fingerprints.length))
    }

    static func of(_ items: ArraySlice<SyncItem>) -> [UInt8] {
        var s = FingerprintSum()
        for i in items { s.add(i) }
        return s.fingerprint()
    }
}

enum Fingerprints {
    static let length = 16
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
