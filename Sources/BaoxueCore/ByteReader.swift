/// Reads big-endian integers and bounded byte runs from untrusted input.
///
/// Invariant: never reads past the end and never allocates more than the
/// input it was given; every shortfall is `CoreError.truncated`.
public struct ByteReader: Sendable {
    private let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8]) { self.bytes = bytes; self.offset = 0 }

    public var remaining: Int { bytes.count - offset }

    public mutating func u8(_ field: String) throws(CoreError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated(field: field) }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func u16(_ field: String) throws(CoreError) -> UInt16 {
        UInt16(try uint(2, field))
    }

    public mutating func u32(_ field: String) throws(CoreError) -> UInt32 {
        UInt32(try uint(4, field))
    }

    public mutating func u64(_ field: String) throws(CoreError) -> UInt64 {
        try uint(8, field)
    }

    public mutating func take(_ count: Int, _ field: String) throws(CoreError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else { throw .truncated(field: field) }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    public func expectEnd() throws(CoreError) {
        guard remaining == 0 else { throw .trailingBytes(count: remaining) }
    }

    private mutating func uint(_ width: Int, _ field: String) throws(CoreError) -> UInt64 {
        guard remaining >= width else { throw .truncated(field: field) }
        var v: UInt64 = 0
        for i in 0..<width { v = v << 8 | UInt64(bytes[offset + i]) }
        offset += width
        return v
    }

    /// A varint as written by `ByteWriter.varint`: at most 10 bytes, no
    /// redundant leading zero groups (so every value has exactly one encoding).
    public mutating func varint(_ field: String) throws(CoreError) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<10 {
            let b = try u8(field)
            if i == 0 && b == 0x80 { throw .valueOutOfRange(field: field) }
            guard v >> 57 == 0 else { throw .valueOutOfRange(field: field) }
            v = v << 7 | UInt64(b & 0x7F)
            if b & 0x80 == 0 { return v }
        }
        throw .valueOutOfRange(field: field)
    }
}
