/// The payload of a record change: 1–256 operations in record payload format 2, a binary
/// encoding with one byte sequence per payload (`Protocol/records.md` §1).
///
/// Invariant: `decode(encoded())` gives back the same ops, with text in NFC and the set-like
/// lists (`pred`, `tags`, `closes`, evidence) ascending; `encoded(decode(b)) == b` for every
/// `b` that decodes. Why binary: a signed payload must be read alike by every replica and
/// every implementation; JSON left duplicate keys, `null`, number forms and key order to the
/// parser's taste.
public struct RecordPayload: Sendable, Equatable {
    public static let maxOps = 256

    public let ops: [RecordOp]

    public init(ops: [RecordOp]) {
        self.ops = ops
    }

    /// Validates every op and encodes the payload.
    public func encoded() throws(RecordsError) -> [UInt8] {
        guard !ops.isEmpty, ops.count <= Self.maxOps else { throw .payloadTooLarge }
        for op in ops { try op.validate() }
        return try PayloadWriter.encode(ops)
    }

    /// Encodes without the op rules: what a faulty or hostile peer could sign (tests, vector tools).
    package func encodedUnchecked() throws(RecordsError) -> [UInt8] { try PayloadWriter.encode(ops) }

    /// Reads bytes from anywhere with the one strict reader; structure only (ops are
    /// validated when applied, one by one).
    public static func decode(_ bytes: [UInt8]) throws(RecordsError) -> RecordPayload {
        RecordPayload(ops: try PayloadReader.decode(bytes))
    }
}

extension Event {
    /// The event's bytes as format 2 writes them inside an `event` op; what the views keep.
    public func encoded() throws(RecordsError) -> [UInt8] { try PayloadWriter.encode(self) }

    /// Reads an event kept by the views, with the payload's strict reader.
    public static func decode(_ bytes: [UInt8]) throws(RecordsError) -> Event { try PayloadReader.decodeEvent(bytes) }
}
