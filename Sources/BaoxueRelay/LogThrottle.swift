import NIOConcurrencyHelpers

/// Lets a repeated log line through once per window and counts the ones it held back, so a
/// flood of junk connections cannot fill the disk with identical lines (3.26 MB in 30 s of
/// churn before it), while the first of each kind is always written.
///
/// Invariant: at most `maxKeys` kinds are remembered; past that, new kinds share one key.
final class LogThrottle: Sendable {
    private struct Entry {
        var lastMs: UInt64
        var held: Int
    }

    let windowMs: UInt64
    let maxKeys: Int
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    init(windowMs: UInt64 = 10_000, maxKeys: Int = 1_024) {
        self.windowMs = windowMs
        self.maxKeys = maxKeys
    }

    /// nil: hold this line back. Otherwise write it, noting how many like it were held back since the last.
    func admit(_ key: String, now: UInt64) -> Int? {
        entries.withLockedValue { entries in
            var key = key
            if entries[key] == nil, entries.count >= maxKeys {
                entries = entries.filter { now &- $0.value.lastMs < windowMs }
                if entries.count >= maxKeys { key = "(other)" }
            }
            guard var entry = entries[key] else {
                entries[key] = Entry(lastMs: now, held: 0)
                return 0
            }
            guard now &- entry.lastMs >= windowMs else {
                entry.held += 1
                entries[key] = entry
                return nil
            }
            let held = entry.held
            entries[key] = Entry(lastMs: now, held: 0)
            return held
        }
    }
}
