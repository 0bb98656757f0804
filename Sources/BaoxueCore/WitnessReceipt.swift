/// A relay's countersignature on changes it stored first (`Protocol/trust.md`
/// §6): the payload of a change the relay authors in the same scope as the
/// changes it witnesses, so every replica holding that scope receives the
/// receipts for exactly the changes it holds. The relay's signature on that
/// change, and its HLC time, are the receipt's signature and witness time.
///
/// Encoding: `00 57 01` (zero, "W", version 1) ‖ varint count (1…32,768) ‖
/// count × change id (32 bytes), strictly ascending. A record payload is JSON
/// and starts with `{`, so the two can never be confused.
///
/// Invariant: `ids` is non-empty, strictly ascending, at most `maxIDs` long.
public struct WitnessReceipt: Sendable, Equatable {
    public static let magic: [UInt8] = [0x00, 0x57, 0x01]
    /// 32,768 ids × 32 bytes stays under the 1 MiB payload limit.
    public static let maxIDs = 32_768

    public let ids: [ChangeID]

    public init(ids: [ChangeID]) throws(CoreError) {
        let sorted = Array(Set(ids)).sorted()
        guard !sorted.isEmpty, sorted.count <= Self.maxIDs else {
            throw .lengthOutOfRange(field: "receipt.count", value: sorted.count, allowed: 1...Self.maxIDs)
        }
        self.ids = sorted
    }

    /// True when `payload` claims to be a receipt (whether or not it decodes).
    public static func isReceipt(_ payload: [UInt8]) -> Bool {
        payload.count >= 3 && payload[0] == magic[0] && payload[1] == magic[1]
    }

    public var encoded: [UInt8] {
        var w = ByteWriter()
        w.raw(Self.magic)
        w.varint(UInt64(ids.count))
        for id in ids { w.raw(id.bytes) }
        return w.bytes
    }

    public static func decode(_ payload: [UInt8]) throws(CoreError) -> WitnessReceipt {
        var r = ByteReader(payload)
        guard Array(try r.take(3, "receipt.magic")) == magic else { throw .badMagic }
        let count = try r.varint("receipt.count")
        guard count >= 1, count <= UInt64(maxIDs) else {
            throw .lengthOutOfRange(field: "receipt.count", value: Int(clamping: count), allowed: 1...maxIDs)
        }
        var ids: [ChangeID] = []
        ids.reserveCapacity(Int(count))
        for _ in 0..<count {
            let id = try ChangeID(bytes: Array(try r.take(32, "receipt.id")))
            if let last = ids.last, !(last < id) { throw .depsNotCanonical }
            ids.append(id)
        }
        try r.expectEnd()
        return try WitnessReceipt(ids: ids)
    }
}

extension Change {
    /// True for a relay's receipt: outside `_admin`, with a receipt payload (it touches no record view).
    public var isWitnessReceipt: Bool { scope != .admin && WitnessReceipt.isReceipt(payload) }
}
