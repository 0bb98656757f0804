import BaoxueCore

/// A district admin's decision about one stored change (`Protocol/trust.md` §8),
/// carried as an `_admin` change signed by the admin's device: its certificate
/// must give it the district-admin role at the ruling's time.
///
/// Encoding: `u8 kind` ‖ `bytes[32]` change id.
public struct Ruling: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        /// Apply a change held for a clock more than 24 h ahead, without waiting.
        case acceptClock = 1
        /// Of an equivocating pair, this change stands; the other stays held as proof.
        case uphold = 2
    }

    public let kind: Kind
    public let target: ChangeID

    public init(kind: Kind, target: ChangeID) {
        self.kind = kind
        self.target = target
    }

    public var encoded: [UInt8] { [kind.rawValue] + target.bytes }

    public static func decode(_ bytes: [UInt8]) throws(TrustError) -> Ruling {
        guard bytes.count == 33, let kind = Kind(rawValue: bytes[0]), let id = try? ChangeID(bytes: Array(bytes[1...])) else {
            throw .malformed("ruling")
        }
        return Ruling(kind: kind, target: id)
    }
}
