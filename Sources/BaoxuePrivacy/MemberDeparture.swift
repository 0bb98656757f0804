import BaoxueCore

/// A member leaving a school (privacy.md §2(c)): a school or district admin's signed statement,
/// in the school's scope, that a device stopped being a member at `leftAt`, though its certificate
/// may still cover the school (a teacher moved, a phone handed back). From then on the device is
/// not a current member of the scope, so the admin's key round rotates the scope's key away from
/// it and never seals a key to it again, until a certificate issued after `leftAt` makes it one.
///
/// Layout: `00 4C 01 | member Ed25519 key (32) | left at, ms since the epoch (u64 BE)`: 43 bytes.
public struct MemberDeparture: Sendable, Equatable {
    public static let magic: [UInt8] = [0x00, 0x4C, 0x01]
    public static let length = 3 + 32 + 8

    public let member: PublicKey
    public let leftAt: UInt64

    public init(member: PublicKey, leftAt: UInt64) {
        self.member = member
        self.leftAt = leftAt
    }

    public static func isDeparture(_ bytes: [UInt8]) -> Bool { bytes.starts(with: magic) }

    public var encoded: [UInt8] {
        Self.magic + member.bytes + (0..<8).reversed().map { UInt8(truncatingIfNeeded: leftAt >> (8 * UInt64($0))) }
    }

    /// The strict parser: exactly 43 bytes, a valid key.
    public init(bytes: [UInt8]) throws(PrivacyError) {
        guard bytes.count == Self.length, bytes.starts(with: Self.magic) else { throw .malformed("member departure: \(bytes.count) bytes") }
        guard let member = try? PublicKey(bytes: Array(bytes[3..<35])) else { throw .malformed("member departure: key") }
        self.member = member
        leftAt = bytes[35..<43].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
