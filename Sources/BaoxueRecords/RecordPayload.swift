import Foundation

/// The payload of a record change: format version and a list of operations,
/// as JSON (`{"ops":[…],"v":1}`). JSON keeps the format readable for another
/// team; the change signature covers the exact bytes, so no canonical form
/// of the JSON is needed.
public struct RecordPayload: Codable, Sendable, Equatable {
    public static let version = 1
    public static let maxOps = 256

    public let v: Int
    public let ops: [RecordOp]

    public init(ops: [RecordOp]) {
        self.v = Self.version
        self.ops = ops
    }

    /// The payload when `bytes` has only the common op shapes `PayloadScanner` reads; nil
    /// otherwise (`decode` then asks JSONDecoder). Public for the differential tests.
    public static func decodeCommonShapes(_ bytes: [UInt8]) -> RecordPayload? { PayloadScanner.decode(bytes) }

    init(v: Int, ops: [RecordOp]) {
        self.v = v
        self.ops = ops
    }

    /// Validates every op and encodes the payload.
    public func encoded() throws(RecordsError) -> [UInt8] {
        guard !ops.isEmpty, ops.count <= Self.maxOps else { throw .payloadTooLarge }
        for op in ops { try op.validate() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { throw .malformedPayload("cannot encode") }
        return Array(data)
    }

    /// Decodes bytes from anywhere; structure only (ops are validated when applied, one by one).
    public static func decode(_ bytes: [UInt8]) throws(RecordsError) -> RecordPayload {
        let payload: RecordPayload
        if let common = PayloadScanner.decode(bytes) {
            payload = common
        } else {
            do {
                payload = try JSONDecoder().decode(RecordPayload.self, from: Data(bytes))
            } catch {
                throw .malformedPayload("not a record payload")
            }
        }
        guard payload.v == version else { throw .malformedPayload("unknown payload version \(payload.v)") }
        guard payload.ops.count <= maxOps else { throw .payloadTooLarge }
        return payload
    }
}
