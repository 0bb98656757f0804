import BaoxueApp

/// Locks the device when nobody has used the app for `limitMs` and a lock passphrase is set
/// (UI.md: a phone left on a table shows only the unlock page). Every admitted request counts as
/// use; `check` runs before each request and, from the executable, on a timer, so an idle phone
/// locks even when no page is asked for.
///
/// Invariant: a check after `limitMs` of silence locks (`FieldDevice.lockNow`) before any page is served.
public actor IdleLock {
    let device: FieldDevice
    let limitMs: UInt64
    private var lastUseMs: UInt64

    init(device: FieldDevice, limitMs: UInt64, now: UInt64) {
        self.device = device
        self.limitMs = limitMs
        lastUseMs = now
    }

    func touch(_ now: UInt64) { lastUseMs = max(lastUseMs, now) }

    /// Locks when idle too long; true when it locked now.
    @discardableResult
    public func check(now: UInt64) async -> Bool {
        guard now >= lastUseMs, now - lastUseMs >= limitMs, await device.locksWhenIdle else { return false }
        return (try? await device.lockNow()) ?? false
    }
}
