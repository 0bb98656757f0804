/// A value that the CLI's JSON output (`--json`) writes as its text form (record ids, op ids,
/// dates). Not a wire format: record payloads are format 2 (`PayloadReader`), never JSON.
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
