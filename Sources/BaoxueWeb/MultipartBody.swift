import Foundation

/// A submitted form with files (`multipart/form-data`, RFC 7578), parsed strictly: every part has
/// a `form-data` disposition with a name, no text field twice and no name both a field and a file
/// (several files may share a name, as `<input type=file multiple>` sends them, RFC 7578 §4.3), and
/// the body ends with the closing boundary; anything else refuses the whole body (400). A file's name keeps only its last path
/// component, without control characters, so an upload can never name a path.
struct MultipartBody {
    struct File {
        let name: String
        let bytes: [UInt8]
    }

    /// Three photos of at most 8 MiB each and the form around them.
    static let maxBytes = 25 << 20
    static let maxFileBytes = 8 << 20
    static let maxFiles = 3
    private(set) var fields: [String: String] = [:]
    private(set) var files: [String: [File]] = [:]

    /// Every file, by the field it came in.
    var allFiles: [(field: String, file: File)] { files.sorted { $0.key < $1.key }.flatMap { f in f.value.map { (f.key, $0) } } }

    subscript(_ name: String) -> String? { fields[name] }

    static func boundary(ofContentType type: String?) -> String? {
        guard let type, type.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for param in type.split(separator: ";").dropFirst() {
            let kv = param.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                let b = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return (1...70).contains(b.utf8.count) ? b : nil
            }
        }
        return nil
    }

    init?(_ body: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        guard body.starts(with: delimiter) else { return nil }
        var at = delimiter.count
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[at...].starts(with: [45, 45]) { return }
            guard body[at...].starts(with: crlf) else { return nil }
            at += 2
            guard let headerEnd = body[at...].firstRange(of: crlf + crlf) else { return nil }
            guard let headers = String(validating: body[at..<headerEnd.lowerBound], as: UTF8.self) else { return nil }
            at = headerEnd.upperBound
            guard let next = body[at...].firstRange(of: crlf + delimiter) else { return nil }
            let content = Array(body[at..<next.lowerBound])
            at = next.upperBound
            guard let (name, filename) = Self.disposition(headers), fields[name] == nil else { return nil }
            if let filename {
                if !content.isEmpty { files[name, default: []].append(File(name: Self.safeName(filename), bytes: content)) }
            } else {
                guard files[name] == nil, let text = String(validating: content, as: UTF8.self) else { return nil }
                fields[name] = text
            }
        }
    }

    private static func disposition(_ headers: String) -> (name: String, filename: String?)? {
        for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            let params = line.dropFirst("content-disposition:".count).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard params.first?.lowercased() == "form-data" else { return nil }
            var name: String?
            var filename: String?
            for p in params.dropFirst() {
                let kv = p.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { continue }
                let value = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                switch kv[0].lowercased() {
                case "name": name = value
                case "filename": filename = value
                default: break
                }
            }
            return name.map { ($0, filename) }
        }
        return nil
    }

    /// The last path component, without control characters, at most 100 characters; "照片.jpg" when nothing is left.
    static func safeName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init)).prefix(100)
        return clean.isEmpty || clean == "." || clean == ".." ? "照片.jpg" : String(clean)
    }
}
