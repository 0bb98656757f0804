import BaoxueCore

/// What a stored change waits on before the rules look at it again (trust.md §6): a missing
/// dependency, a certificate for a key, or the local clock catching up with the change's.
///
/// Stored as `bytes` in every storage's waiting table (`waiting.dep`, `log_waiting.dep`): a change
/// id is 32 bytes, a key `00 ‖ key` (33) and the clock `01` (1), so the three never collide.
public enum LogWait: Sendable, Hashable, Comparable {
    /// A dependency not yet applied.
    case change(ChangeID)
    /// A certificate (or delegation) for this key: its author's, or for a certificate change its issuer's.
    case certificate(PublicKey)
    /// The replica's clock: the change is dated more than the tolerance ahead of it.
    case clock

    public var bytes: [UInt8] {
        switch self {
        case .change(let id): id.bytes
        case .certificate(let key): [0x00] + key.bytes
        case .clock: [0x01]
        }
    }

    /// Reads what `bytes` wrote; nil for bytes no wait was written as (a corrupt row).
    public init?(bytes: some Collection<UInt8>) {
        switch (bytes.count, bytes.first) {
        case (32, _):
            guard let id = try? ChangeID(bytes: Array(bytes)) else { return nil }
            self = .change(id)
        case (33, 0x00?):
            guard let key = try? PublicKey(bytes: Array(bytes.dropFirst())) else { return nil }
            self = .certificate(key)
        case (1, 0x01?): self = .clock
        default: return nil
        }
    }

    public static func < (a: LogWait, b: LogWait) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}
