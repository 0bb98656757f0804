/// The length a sealed payload's plaintext is padded to (privacy.md §3.4), so that its size
/// tells a relay a size class rather than what the change says.
///
/// Up to 4 KiB: the next multiple of 128 bytes. A field record (an absence, a status change, a
/// visit or persuasion with a short note) is one or two steps, a roster row two or three, so the
/// size tells a relay roughly how much text a change holds, not which values (privacy.md §3.4).
/// Above 4 KiB (transfers, long notes): Padmé, which leaks O(log log L) bits of the length and
/// costs at most 12 %.
/// Invariant: `length(for: n) >= n`, and it is the only length a reader accepts for content of n bytes.
public enum SealedPadding {
    public static let step = 128
    public static let stepLimit = 4096

    public static func length(for n: Int) -> Int {
        guard n > stepLimit else { return max(step, (n + step - 1) / step * step) }
        return padme(n)
    }

    /// Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and Communication
    /// with PURBs", PETS 2019): keep the top ⌊log₂ E⌋ + 1 bits of the length, round the rest up.
    static func padme(_ n: Int) -> Int {
        let e = Int.bitWidth - 1 - n.leadingZeroBitCount
        let s = Int.bitWidth - (e.leadingZeroBitCount)
        let lastBits = e - s
        let mask = (1 << lastBits) - 1
        return (n + mask) & ~mask
    }
}
