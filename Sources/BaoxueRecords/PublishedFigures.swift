import BaoxueCore

/// One school's figures for one month, published in clear by its admin (trust.md §10) so that a
/// district or provincial relay, which holds no key, can show them: counts only, never a child.
///
/// Invariant: `school` is a record scope (not `_admin`), the month lies in 2000–2200, every count is
/// at most `maximum`, and `encoded` is the one canonical encoding, which `decode` reproduces byte
/// for byte. The gate refuses a month not yet over on the day it was signed (`endsBefore`).
public struct PublishedFigures: Sendable, Equatable, Hashable {
    public let school: ScopeID
    public let year: Int
    public let month: Int
    /// The counts in `Measure` order.
    public let counts: [Int]

    public static let version: UInt8 = 1
    /// The largest count a field may carry (a county has far fewer children).
    public static let maximum = 10_000_000

    /// What is counted, in the order of the wire; as the monthly report's summary sheet (records.md §3.1).
    public enum Measure: Int, CaseIterable, Sendable {
        case children, enrolled, suspectedOpen, dropoutOpen, ledgerOpened, closedOut, returned, visits, persuasionAttempts
        case homeTeachingSessions, homeTeachingHours, conflicts
        /// 巩固: children returned 1, 3 and 6 months before, and those of them not back on a dropout status now.
        case returned1MonthAgo, stayed1Month, returned3MonthsAgo, stayed3Months, returned6MonthsAgo, stayed6Months
        /// Children taught at home at the month's end, and the class hours the policy in force asks for them.
        case homeTeachingChildren, homeTeachingHoursExpected
        /// 摸排 coverage: households checked in the month (each once, as its latest check found it), and those
        /// where a child was found without household or student registration or not in school.
        case householdsChecked, householdsWithFindings

        public var name: String {
            [
                "children", "enrolled", "suspectedOpen", "dropoutOpen", "ledgerOpened", "closedOut", "returned", "visits",
                "persuasionAttempts", "homeTeachingSessions", "homeTeachingHours", "conflicts", "returned1MonthAgo", "stayed1Month",
                "returned3MonthsAgo", "stayed3Months", "returned6MonthsAgo", "stayed6Months", "homeTeachingChildren",
                "homeTeachingHoursExpected", "householdsChecked", "householdsWithFindings",
            ][rawValue]
        }
    }

    public init(school: ScopeID, year: Int, month: Int, counts: [Int]) throws(RecordsError) {
        guard school != .admin else { throw .invalidField("school", reason: "_admin holds no records") }
        guard (2000...2200).contains(year), (1...12).contains(month) else {
            throw .invalidField("period", reason: "must be 2000-01…2200-12")
        }
        guard counts.count == Measure.allCases.count else { throw .invalidField("counts", reason: "must be \(Measure.allCases.count)") }
        guard counts.allSatisfy({ (0...Self.maximum).contains($0) }) else {
            throw .invalidField("counts", reason: "must be 0–\(Self.maximum)")
        }
        self.school = school
        self.year = year
        self.month = month
        self.counts = counts
    }

    public subscript(_ m: Measure) -> Int { counts[m.rawValue] }

    /// `2026-11`.
    public var period: String { String(year) + "-" + (month < 10 ? "0" : "") + String(month) }

    /// The month's last day.
    public var lastDay: SimpleDate {
        // The range checks of `init` make the day valid.
        (try? SimpleDate(year: year, month: month, day: SimpleDate.daysIn(month: month, year: year)))!
    }

    /// Whether figures signed on `day` describe a month that is over by then (its last day or later).
    public func isOver(on day: SimpleDate) -> Bool { lastDay <= day }

    /// `u8` version ‖ `u8` length, school ‖ `u16` year, `u8` month ‖ each `Measure` as `u32`, big-endian.
    public var encoded: [UInt8] {
        var out: [UInt8] = [Self.version, UInt8(school.utf8.count)] + school.utf8
        out += [UInt8(year >> 8), UInt8(year & 0xff), UInt8(month)]
        for c in counts { out += [UInt8(c >> 24 & 0xff), UInt8(c >> 16 & 0xff), UInt8(c >> 8 & 0xff), UInt8(c & 0xff)] }
        return out
    }

    /// The one strict parser: known version, exact length, a scope, a month, every count in range.
    public static func decode(_ bytes: [UInt8]) throws(RecordsError) -> PublishedFigures {
        guard bytes.count >= 2, bytes[0] == version else { throw .invalidField("figures", reason: "unknown version") }
        let length = Int(bytes[1])
        guard length >= 1, bytes.count == 2 + length + 3 + 4 * Measure.allCases.count else {
            throw .invalidField("figures", reason: "wrong length")
        }
        let raw = Array(bytes[2..<(2 + length)])
        guard let text = String(validating: raw, as: UTF8.self) else { throw .invalidField("school", reason: "not UTF-8") }
        let school: ScopeID
        do { school = try ScopeID(text) } catch { throw .invalidField("school", reason: "not a scope") }
        guard school.utf8 == raw else { throw .invalidField("school", reason: "not canonical") }
        var at = 2 + length
        let year = Int(bytes[at]) << 8 | Int(bytes[at + 1])
        let month = Int(bytes[at + 2])
        at += 3
        var counts: [Int] = []
        for _ in Measure.allCases {
            counts.append(Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]))
            at += 4
        }
        let figures = try PublishedFigures(school: school, year: year, month: month, counts: counts)
        guard figures.encoded == bytes else { throw .invalidField("figures", reason: "not canonical") }
        return figures
    }
}
