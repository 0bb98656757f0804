/// Reads big-endian integers and bounded byte runs from untrusted input.
///
/// Invariant: never reads past the end and never allocates more than the
/// input it was given; every shortfall is `CoreError.truncated`.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8]) { self.bytes = bytes; self.offset = 0 }

    var remaining: Int { bytes.count - offset }

    mutating func u8(_ field: String) throws(CoreError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated(field: field) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16(_ field: String) throws(CoreError) -> UInt16 {
        UInt16(try uint(2, field))
    }

    mutating func u32(_ field: String) throws(CoreError) -> UInt32 {
        UInt32(try uint(4, field))
    }

    mutating func u64(_ field: String) throws(CoreError) -> UInt64 {
        try uint(8, field)
    }

    mutating func take(_ count: Int, _ field: String) throws(CoreError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else { throw .truncated(field: field) }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    func expectEnd() throws(CoreError) {
        guard remaining == 0 else { throw .trailingBytes(count: remaining) }
    }

    private mutating func uint(_ width: Int, _ field: String) throws(CoreError) -> UInt64 {
        guard remaining >= width else { throw .truncated(field: field) }
        var v: UInt64 = 0
        for i in 0..<width { v = v << 8 | UInt64(bytes[offset + i]) }
        offset += width
        return v
    }
}
