/// An 18-character resident identity number (居民身份证号码, GB 11643-1999).
///
/// Invariant: 17 digits then a check character (0–9 or X) equal to the
/// ISO 7064 MOD 11-2 check of the first 17; characters 7–14 a real birth date.
public struct ResidentID: Hashable, Sendable, CustomStringConvertible {
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checks = Array("10X98765432")

    public let value: String
    public let birthDate: SimpleDate

    public init(_ text: String) throws(RecordsError) {
        let chars = Array(text.uppercased())
        guard chars.count == 18 else { throw .invalidField("idNumber", reason: "must be 18 characters") }
        var digits: [Int] = []
        for c in chars.prefix(17) {
            guard let d = c.wholeNumberValue, c.isASCII else { throw .invalidField("idNumber", reason: "first 17 must be digits") }
            digits.append(d)
        }
        let sum = zip(digits, Self.weights).reduce(0) { $0 + $1.0 * $1.1 }
        guard chars[17] == Self.checks[sum % 11] else { throw .invalidField("idNumber", reason: "check digit does not match") }
        guard let date = try? SimpleDate(String(chars[6..<10]) + "-" + String(chars[10..<12]) + "-" + String(chars[12..<14])) else {
            throw .invalidField("idNumber", reason: "birth date is not a real date")
        }
        value = String(chars)
        birthDate = date
    }

    /// The check character for 17 digits (for generators of synthetic data).
    public static func checkCharacter(for seventeen: String) -> Character {
        let sum = zip(seventeen.compactMap(\.wholeNumberValue), weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checks[sum % 11]
    }

    /// Odd 17th digit = male, even = female.
    public var gender: Gender { (Array(value)[16].wholeNumberValue ?? 0) % 2 == 1 ? .male : .female }

    /// The value with the middle masked, for screens and logs: `1302**********123X`.
    public var masked: String { String(value.prefix(4)) + String(repeating: "*", count: 10) + String(value.suffix(4)) }

    public var description: String { masked }
}

/// Phone numbers of guardians: a mainland mobile (11 digits starting 13–19)
/// or a landline with area code (0 + 2–3 digits, optional hyphen, 7–8 digits).
public enum PhoneNumber {
    public static func validate(_ text: String) throws(RecordsError) {
        let s = Array(text)
        guard s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else {
            throw .invalidField("phone", reason: "digits and hyphen only")
        }
        let digits = s.filter(\.isNumber)
        if s.count == 11, s[0] == "1", let second = s[1].wholeNumberValue, (3...9).contains(second), !s.contains("-") { return }
        if s.first == "0", (10...12).contains(digits.count), s.filter({ $0 == "-" }).count <= 1 { return }
        throw .invalidField("phone", reason: "not a mobile or landline number")
    }
}
