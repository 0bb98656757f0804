/// A value that travels in JSON as its validated text form (record ids, op
/// ids, dates): one place decodes the string and turns a rule failure into
/// a `DecodingError`.
public protocol TextCodable: Codable {
    init(codingText: String) throws(RecordsError)
    var codingText: String { get }
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(codingText: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(Self.self): \(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(codingText)
    }
}
