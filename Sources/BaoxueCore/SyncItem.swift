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

/// The sum of change ids read as 256-bit little-endian integers, mod 2^256,
/// with their count: what a reconciliation fingerprint hashes (`Protocol/sync.md` §4.2).
///
/// A group under addition, so the sum over a range is the difference of two
/// running sums.
public struct IDSum: Hashable, Sendable {
    /// Little-endian limbs: `l0` holds id bytes 0–7 read little-endian.
    public private(set) var l0: UInt64 = 0, l1: UInt64 = 0, l2: UInt64 = 0, l3: UInt64 = 0
    public private(set) var count: UInt64 = 0

    public init() {}

    public mutating func add(_ item: SyncItem) {
        let p = item.packed
        add(p.w0.byteSwapped, p.w1.byteSwapped, p.w2.byteSwapped, p.w3.byteSwapped)
        count &+= 1
    }

    private mutating func add(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) {
        var o: Bool
        var carry: UInt64
        (l0, o) = l0.addingReportingOverflow(a)
        carry = o ? 1 : 0
        (l1, carry) = Self.add(l1, b, carry)
        (l2, carry) = Self.add(l2, c, carry)
        (l3, _) = Self.add(l3, d, carry)
    }

    /// `self − other` mod 2^256, counts subtracted.
    public func minus(_ other: IDSum) -> IDSum {
        var out = IDSum()
        var borrow: UInt64
        var o: Bool
        (out.l0, o) = l0.subtractingReportingOverflow(other.l0)
        borrow = o ? 1 : 0
        (out.l1, borrow) = Self.subtract(l1, other.l1, borrow)
        (out.l2, borrow) = Self.subtract(l2, other.l2, borrow)
        (out.l3, _) = Self.subtract(l3, other.l3, borrow)
        out.count = count &- other.count
        return out
    }

    private static func add(_ x: UInt64, _ y: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
        let (s1, o1) = x.addingReportingOverflow(y)
        let (s2, o2) = s1.addingReportingOverflow(carry)
        return (s2, (o1 ? 1 : 0) + (o2 ? 1 : 0))
    }

    private static func subtract(_ x: UInt64, _ y: UInt64, _ borrow: UInt64) -> (UInt64, UInt64) {
        let (s1, o1) = x.subtractingReportingOverflow(y)
        let (s2, o2) = s1.subtractingReportingOverflow(borrow)
        return (s2, (o1 ? 1 : 0) + (o2 ? 1 : 0))
    }

    /// The sum as 32 little-endian bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for l in [l0, l1, l2, l3] {
            for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: l >> UInt64(8 * k))) }
        }
        return out
    }
}
