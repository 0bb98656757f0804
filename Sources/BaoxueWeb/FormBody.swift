import Foundation

/// A submitted form (`application/x-www-form-urlencoded`), parsed strictly: a field named twice,
/// bad percent-encoding or bytes that are not UTF-8 make the whole body refused (400), never half-read.
struct FormBody {
    static let maxBytes = 64 << 10
    private(set) var fields: [String: String] = [:]

    init?(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : ""), fields[name] == nil else {
                return nil
            }
            fields[name] = value
        }
    }

    subscript(_ name: String) -> String? { fields[name] }

    private static func decode(_ s: Substring) -> String? {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
