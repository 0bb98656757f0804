/// How the reference splits a range that differs (`Protocol/sync.md` §4.4): planned from the
/// size of its own set so that the responder lists ids at a fixed message, and every message
/// before it narrows ranges by the same factor.
///
/// Why: with b buckets per split and lists of L ids, finding one difference costs about
/// 20 b bytes per level and 16 L for the list; over s levels that is least when the lists
/// hold about as many ids as a split has buckets, b = (0.8 m)^(1/(s+1)). The plan fixes s from
/// the set's size so that a difference anywhere is found in as many round trips as the
/// reference Negentropy takes (2 up to 2^17 items, 3 up to 2^25), while an unchanged scope
/// costs one fingerprint. The protocol accepts any split; only the reference's choice is this.
struct SplitPlan: Sendable {
    /// The message (1 = the opening) at which the responder lists ids.
    let listAt: Int
    /// Sets of 2^15 up to 2^17 items split in the opening itself (three levels fit in two round trips).
    let opensWithSplit: Bool

    init(count n: Int) {
        switch n {
        case ..<32: listAt = 2
        case ..<(1 << 17): listAt = 4
        case ..<(1 << 25): listAt = 6
        default: listAt = 8
        }
        opensWithSplit = n >= 1 << 15 && n < 1 << 17
    }

    /// How many buckets to split `m` items into in message `message`; 1 means list them.
    /// `density`: how many differences a differing range of this message is expected to hold.
    func buckets(items m: Int, message: Int, density: Double) -> Int {
        let levels = listAt - message
        if m <= 8 { return 1 }
        if levels <= 0 { return m <= Reconciler.answerCap ? 1 : 16 }
        // With δ differences per range the least cost is b = (0.8 m δ^s)^(1/(s+1)) for s levels.
        let delta = min(density, Double(m) / 2)
        var x = 0.8 * Double(m)
        for _ in 0..<levels { x *= delta }
        var b = Self.root(Int(min(x, 1e15)), levels + 1)
        // The responder's first split holds the only differing range of its level: four times as
        // many buckets cost little and shorten every list that follows when several items differ.
        if message == 2 && !opensWithSplit { b *= 4 }
        b = min(b, 256)
        if b * 2 > m { return m <= Reconciler.answerCap ? 1 : m / 2 }
        return max(b, 2)
    }

    /// The natural logarithm of x > 0, without Foundation: x = s · 2^e with s in [1, 2), and
    /// ln s = 2 atanh((s − 1)/(s + 1)) by its series.
    static func ln(_ x: Double) -> Double {
        let e = Double(x.exponent)
        let s = x.significand
        let y = (s - 1) / (s + 1)
        let y2 = y * y
        var term = y
        var sum = 0.0
        for k in stride(from: 1, through: 39, by: 2) {
            sum += term / Double(k)
            term *= y2
        }
        return 2 * sum + e * 0.693_147_180_559_945_3
    }

    /// ⌊x^(1/k)⌋ for x ≥ 0, k ≥ 1.
    static func root(_ x: Int, _ k: Int) -> Int {
        if k == 1 || x < 2 { return x }
        var lo = 1
        var hi = x
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if power(mid, k) <= x { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    private static func power(_ r: Int, _ k: Int) -> Int {
        var p = 1
        for _ in 0..<k {
            let (q, o) = p.multipliedReportingOverflow(by: r)
            if o { return .max }
            p = q
        }
        return p
    }
}
