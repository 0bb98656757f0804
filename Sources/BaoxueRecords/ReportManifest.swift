import BaoxueCore
import BaoxueSodium

/// The signed list of an exported report's files (`Protocol/reports.md`): what was reported
/// (kind, period, school), from which state of the log (its heads), by which device, and the
/// BLAKE2b-256 and size of every file, so anyone holding the folder can check offline that no
/// file was changed, removed or slipped in, and who vouches for it.
///
/// Invariant: `encoded` is the one canonical text of these fields; `parse` accepts exactly the
/// texts `encoded` produces and a valid signature is over all of it before the signature line.
public struct ReportManifest: Equatable, Sendable {
    /// One listed file: its name in the folder, size in bytes and BLAKE2b-256.
    public struct File: Equatable, Sendable {
        public let name: String
        public let size: Int
        public let hash: [UInt8]

        public init(name: String, bytes: [UInt8]) {
            self.name = name
            size = bytes.count
            hash = Blake2b.hash(bytes, length: 32)
        }

        init(name: String, size: Int, hash: [UInt8]) {
            self.name = name
            self.size = size
            self.hash = hash
        }
    }

    /// A manifest is saved beside its files as `<report>.manifest.baoxue` (so one folder may hold several reports).
    public static let fileSuffix = ".manifest.baoxue"
    static let firstLine = "baoxue report manifest 1"
    static let domain = Array("baoxue.report-manifest.v1".utf8) + [0]

    public let kind: String
    public let period: String
    public let from: SimpleDate
    public let to: SimpleDate
    /// The school reported on; nil for all the replica holds.
    public let school: String?
    /// The files carry whole ID numbers (`--full-id`), not only their last four digits.
    public let fullIDs: Bool
    /// When it was exported, Unix milliseconds.
    public let exportedAt: UInt64
    public let device: PublicKey
    /// The log's heads when the figures were computed, ascending.
    public let heads: [ChangeID]
    public let files: [File]
    public let signature: [UInt8]

    /// Signs the manifest of `files` with `key`.
    public static func sign(
        kind: String, period: String, from: SimpleDate, to: SimpleDate, school: String?, fullIDs: Bool, exportedAt: UInt64,
        heads: [ChangeID], files: [File], key: DeviceKey
    ) throws(ReportManifestError) -> ReportManifest {
        let unsigned = ReportManifest(
            kind: kind, period: period, from: from, to: to, school: school, fullIDs: fullIDs, exportedAt: exportedAt, device: key.publicKey,
            heads: heads.sorted(), files: files, signature: [])
        try unsigned.checkFields()
        let body = unsigned.body
        return ReportManifest(
            kind: kind, period: period, from: from, to: to, school: school, fullIDs: fullIDs, exportedAt: exportedAt, device: key.publicKey,
            heads: heads.sorted(), files: files, signature: key.sign(domain + body).bytes)
    }

    /// The lines before the signature, each ending with a newline.
    var body: [UInt8] {
        var lines = [Self.firstLine, "kind " + kind, "period " + period, "from \(from)", "to \(to)"]
        lines.append(school.map { "school " + $0 } ?? "school")
        lines.append(fullIDs ? "ids full" : "ids last4")
        lines.append("exported \(exportedAt)")
        lines.append("device " + Hex.encode(device.bytes))
        lines += heads.map { "head " + Hex.encode($0.bytes) }
        lines += files.map { "file " + Hex.encode($0.hash) + " \($0.size) " + $0.name }
        return Array(lines.map { $0 + "\n" }.joined().utf8)
    }

    public var encoded: [UInt8] { body + Array(("signature " + Hex.encode(signature) + "\n").utf8) }

    /// True iff the signature is the device's over the manifest (libsodium's Ed25519 rule, as for changes).
    public var signatureIsValid: Bool {
        Ed25519.verify(signature: signature, message: Self.domain + body, publicKey: device.bytes)
    }

    /// Values the text cannot carry unambiguously are refused, by name.
    func checkFields() throws(ReportManifestError) {
        func text(_ value: String, _ field: String, spaces: Bool) throws(ReportManifestError) {
            let bad = value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (!spaces && $0 == " ") }
            guard !value.isEmpty, !bad, value == value.canonicalNFC else { throw .badField(field) }
        }
        try text(kind, "kind", spaces: false)
        try text(period, "period", spaces: false)
        if let school { try text(school, "school", spaces: true) }
        guard !files.isEmpty else { throw .badField("file") }
        var names = Set<String>()
        for f in files {
            try text(f.name, "file", spaces: true)
            guard !f.name.contains("/"), f.name != ".", f.name != "..", !f.name.hasSuffix(Self.fileSuffix), names.insert(f.name).inserted
            else {
                throw .badField("file")
            }
        }
    }
}

extension ReportManifest {
    /// Reads a manifest, accepting only its canonical text (the signature is checked separately).
    public static func parse(_ bytes: [UInt8]) throws(ReportManifestError) -> ReportManifest {
        guard bytes.count <= 1 << 20 else { throw .malformed(line: 0, reason: "longer than 1 MiB") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformed(line: 0, reason: "not UTF-8") }
        guard text.hasSuffix("\n") else { throw .malformed(line: 0, reason: "no newline at the end") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var at = 0
        func next(_ key: String) throws(ReportManifestError) -> String {
            guard at < lines.count else { throw .malformed(line: at + 1, reason: "'\(key)' missing") }
            let line = lines[at]
            at += 1
            if line == key { return "" }
            guard line.hasPrefix(key + " ") else { throw .malformed(line: at, reason: "'\(key)' expected") }
            return String(line.dropFirst(key.count + 1))
        }
        func hex(_ value: String, _ count: Int) throws(ReportManifestError) -> [UInt8] {
            guard value.count == 2 * count, value == value.lowercased(), let b = try? Hex.decode(value), b.count == count else {
                throw .malformed(line: at, reason: "not \(count) bytes of lowercase hex")
            }
            return b
        }
        func number(_ value: String) throws(ReportManifestError) -> UInt64 {
            guard let n = UInt64(value), String(n) == value else { throw .malformed(line: at, reason: "not a decimal number") }
            return n
        }
        func date(_ value: String) throws(ReportManifestError) -> SimpleDate {
            guard let d = try? SimpleDate(value), d.description == value else { throw .malformed(line: at, reason: "not a date") }
            return d
        }
        guard lines.first == firstLine else { throw .malformed(line: 1, reason: "not a Baoxue report manifest, version 1") }
        at = 1
        let kind = try next("kind")
        let period = try next("period")
        let from = try date(try next("from"))
        let to = try date(try next("to"))
        let schoolLine = try next("school")
        let ids = try next("ids")
        guard ids == "full" || ids == "last4" else { throw .malformed(line: at, reason: "ids is full or last4") }
        let exported = try number(try next("exported"))
        guard let device = try? PublicKey(bytes: try hex(try next("device"), 32)) else { throw .malformed(line: at, reason: "not a key") }
        var heads: [ChangeID] = []
        while at < lines.count, lines[at].hasPrefix("head ") {
            guard let head = try? ChangeID(bytes: hex(try next("head"), 32)) else { throw .malformed(line: at, reason: "not an id") }
            heads.append(head)
            if heads.count > 1, !(heads[heads.count - 2] < heads[heads.count - 1]) {
                throw .malformed(line: at, reason: "heads not ascending")
            }
        }
        var files: [File] = []
        while at < lines.count, lines[at].hasPrefix("file ") {
            let parts = try next("file").split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { throw .malformed(line: at, reason: "a file line is: hash size name") }
            let size = try number(parts[1])
            guard size <= UInt64(Int.max) else { throw .malformed(line: at, reason: "size out of range") }
            files.append(File(name: parts[2], size: Int(size), hash: try hex(parts[0], 32)))
        }
        let signature = try hex(try next("signature"), 64)
        guard at == lines.count else { throw .malformed(line: at + 1, reason: "text after the signature") }
        let manifest = ReportManifest(
            kind: kind, period: period, from: from, to: to, school: schoolLine.isEmpty ? nil : schoolLine, fullIDs: ids == "full",
            exportedAt: exported,
            device: device, heads: heads, files: files, signature: signature)
        do { try manifest.checkFields() } catch { throw .malformed(line: 0, reason: "\(error)") }
        guard manifest.encoded == bytes else { throw .malformed(line: 0, reason: "not in its canonical form") }
        return manifest
    }

    /// What is wrong with a folder of this manifest's files: `present` names every file in the
    /// folder but the manifest, `read` gives a listed file's bytes. Empty when all checks out.
    public func problems(present: Set<String>, read: (String) -> [UInt8]?) -> [ReportProblem] {
        var out: [ReportProblem] = []
        if !signatureIsValid { out.append(.badSignature) }
        for f in files {
            guard present.contains(f.name), let bytes = read(f.name) else {
                out.append(.missing(f.name))
                continue
            }
            if bytes.count != f.size || Blake2b.hash(bytes, length: 32) != f.hash { out.append(.changed(f.name)) }
        }
        let listed = Set(files.map(\.name))
        for name in present.sorted() where !listed.contains(name) { out.append(.unlisted(name)) }
        return out
    }
}

/// One reason a report folder fails verification.
public enum ReportProblem: Equatable, Sendable {
    /// The signature is not the named device's over this manifest: it was altered or forged.
    case badSignature
    /// A listed file is not in the folder.
    case missing(String)
    /// A listed file's bytes differ from what was signed.
    case changed(String)
    /// A file in the folder the manifest does not list.
    case unlisted(String)
}

/// Why a manifest or a report folder does not check out.
public enum ReportManifestError: Error, Equatable, Sendable {
    /// The manifest's text is not the canonical one: the line (1-based) and what is wrong.
    case malformed(line: Int, reason: String)
    /// A field the format cannot carry (control characters, an unsafe or repeated file name).
    case badField(String)
}
