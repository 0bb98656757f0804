import CSodium

/// The one entry point to libsodium's initialisation.
///
/// Invariant: every wrapper in this module calls `Sodium.ready()` before
/// touching libsodium, so callers never see an uninitialised library.
/// `sodium_init` is thread-safe and idempotent; the lazy global only
/// avoids calling it on every operation.
public enum Sodium {
    private static let initialised: Bool = sodium_init() >= 0

    /// Makes sure libsodium is initialised; traps if the library can't start,
    /// since no signature could then be checked at all.
    @inline(__always)
    public static func ready() {
        precondition(initialised, "libsodium failed to initialise")
    }

    /// The linked libsodium version, e.g. "1.0.18".
    public static var version: String {
        ready()
        return String(cString: sodium_version_string())
    }

    /// Fills `count` bytes from the operating system's CSPRNG.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        ready()
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, count) }
        return out
    }

    /// Compares two byte strings in constant time (for secrets and MACs).
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        ready()
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in sodium_memcmp(pa.baseAddress!, pb.baseAddress!, a.count) == 0 }
        }
    }
}
