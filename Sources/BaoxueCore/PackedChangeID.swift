/// A change id as four big-endian 64-bit words.
///
/// Invariant: the words are the id's 32 bytes in order, so comparing words
/// lexicographically is comparing the bytes. Why: a `ChangeID` holds its bytes
/// in a heap array; a scope's set of thousands of ids packed this way is one
/// flat array that copies, sorts and frees without reference counting.
public struct PackedChangeID: Hashable, Comparable, Sendable {
    public let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    @inlinable
    public init(words w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }

    public init(_ id: ChangeID) {
        self.init(unchecked: id.bytes)
    }

    /// The id whose bytes are `bytes`; throws unless there are exactly 32.
    @inlinable
    public init<C: Collection<UInt8>>(bytes: C) throws(CoreError) {
        guard bytes.count == ChangeID.length else {
            throw .wrongLength(field: "change id", expected: ChangeID.length, actual: bytes.count)
        }
        self.init(unchecked: bytes)
    }

    @inlinable
    init<C: Collection<UInt8>>(unchecked bytes: C) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for (i, b) in bytes.enumerated() {
            switch i >> 3 {
            case 0: words.0 = words.0 << 8 | UInt64(b)
            case 1: words.1 = words.1 << 8 | UInt64(b)
            case 2: words.2 = words.2 << 8 | UInt64(b)
            default: words.3 = words.3 << 8 | UInt64(b)
            }
        }
        (w0, w1, w2, w3) = words
    }

    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: ChangeID.length)
        for (i, w) in [w0, w1, w2, w3].enumerated() {
            for k in 0..<8 { out[i * 8 + k] = UInt8(truncatingIfNeeded: w >> UInt64(56 - 8 * k)) }
        }
        return out
    }

    public var id: ChangeID {
        // 32 bytes by construction.
        try! ChangeID(bytes: bytes)
    }

    public static func < (a: PackedChangeID, b: PackedChangeID) -> Bool {
        (a.w0, a.w1, a.w2, a.w3) < (b.w0, b.w1, b.w2, b.w3)
    }
}
