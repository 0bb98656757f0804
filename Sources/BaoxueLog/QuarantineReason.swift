/// Why a stored change is quarantined: kept, never applied while the reason holds.
///
/// Stored as its `code` (the same text `baoxue quarantine` and the relay's views show);
/// control flow reads the case, never the text.
public enum QuarantineReason: Sendable, Hashable {
    /// Its author was revoked from a time at or before it (trust.md §7): final. Changes that
    /// depend on it count it as present, so honest work written after it never waits for ever.
    case revoked
    /// Dated more than the tolerance ahead of this replica's clock: waits for the clock or a ruling.
    case futureClock
    /// A trust rule refused it (trust.md §6), named by the rule's code.
    case refused(code: String)

    public init(code: String) {
        switch code {
        case "revoked": self = .revoked
        case "future_clock": self = .futureClock
        default: self = .refused(code: code)
        }
    }

    public var code: String {
        switch self {
        case .revoked: "revoked"
        case .futureClock: "future_clock"
        case .refused(let code): code
        }
    }
}
