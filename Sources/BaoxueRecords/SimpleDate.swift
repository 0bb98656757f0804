/// A calendar date `yyyy-MM-dd` (China Standard Time is implied; no time of day).
///
/// Invariant: a real Gregorian date between 1900-01-01 and 2199-12-31.
public struct SimpleDate: Hashable, Comparable, Sendable, TextCodable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) throws(RecordsError) {
        guard (1900...2199).contains(year), (1...12).contains(month),
            (1...SimpleDate.daysIn(month: month, year: year)).contains(day)
        else {
            throw .invalidField("date", reason: "not a real date")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    public init(_ text: String) throws(RecordsError) {
        // Exactly ten ASCII bytes, digits but for the two dashes (read from the bytes: the views hold millions).
        let b = Array(text.utf8)
        let isDigit = { (i: Int) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) }
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy(isDigit) else {
            throw .invalidField("date", reason: "must be yyyy-MM-dd")
        }
        func number(_ digits: Range<Int>) -> Int { digits.reduce(0) { $0 * 10 + Int(b[$1] - UInt8(ascii: "0")) } }
        try self.init(year: number(0..<4), month: number(5..<7), day: number(8..<10))
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for arithmetic.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(dayNumber z0: Int) throws(RecordsError) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        try self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// The date (UTC+8) of a millisecond Unix time, e.g. an HLC timestamp.
    public init(unixMilliseconds ms: UInt64) throws(RecordsError) {
        try self.init(dayNumber: Int((ms / 1000 + 8 * 3600) / 86_400))
    }

    public func adding(days: Int) throws(RecordsError) -> SimpleDate { try SimpleDate(dayNumber: dayNumber + days) }

    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: SimpleDate, b: SimpleDate) -> Bool { a.dayNumber < b.dayNumber }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init(codingText: String) throws(RecordsError) { try self.init(codingText) }
    public var codingText: String { description }
}
