import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// What `baoxue report verify` found in a report folder: who signed it, what it reports, and
/// every problem (none when the folder is exactly what the device exported).
public struct ReportVerification: Codable, Equatable, Sendable {
    public let kind: String
    public let period: String
    public let from: String
    public let to: String
    public let school: String?
    public let exportedAt: UInt64
    /// The signing device's key fingerprint, as its owner reads it off their phone.
    public let device: String
    public let heads: Int
    public let files: [String]
    public let problems: [String]
    public var ok: Bool { problems.isEmpty }

    public func lines(_ l: Language) -> [String] {
        let exported = Date(timeIntervalSince1970: Double(exportedAt) / 1000).ISO8601Format()
        let summary = l.say(
            ReportMessages.manifestSummary, ReportKind(rawValue: kind)?.title(l) ?? kind, period, from, to, school ?? l.say(ReportMessages.allSchools), heads, exported)
        guard ok else { return [l.say(ReportMessages.verificationFailed), summary] + problems.map { "  " + $0 } }
        return [l.say(ReportMessages.verified, files.count, device), summary]
    }
}

extension ReplicaCommands {
    /// Signs the manifest of a report's files with this device's key, over the log's current heads.
    static func manifest(
        _ replica: Replica, kind: ReportKind, label: String, from: SimpleDate, to: SimpleDate, school: String?,
        files: [(name: String, bytes: [UInt8])]
    ) throws(AppError) -> [UInt8] {
        let heads = try attempt { () throws(StoreError) in try replica.log.heads() }
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        do {
            return try ReportManifest.sign(
                kind: kind.rawValue, period: label, from: from, to: to, school: school, exportedAt: now, heads: heads,
                files: files.map { ReportManifest.File(name: $0.name, bytes: $0.bytes) }, key: replica.key
            ).encoded
        } catch {
            throw .reportManifest(path: label + ReportManifest.fileSuffix, error)
        }
    }

    /// Checks a report folder offline against the signed manifests in it (one per report): each
    /// signature, and every file listed, missing, changed, or in the folder but in no manifest.
    /// Needs no replica.
    public static func verifyReport(folder: String, language l: Language) throws(AppError) -> [ReportVerification] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { throw .folderMissing(path: folder) }
        let manifestNames = names.filter { $0.hasSuffix(ReportManifest.fileSuffix) }.sorted()
        guard !manifestNames.isEmpty else { throw .fileMissing(path: folder + "/*" + ReportManifest.fileSuffix) }
        var manifests: [ReportManifest] = []
        for name in manifestNames {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { throw .fileMissing(path: path) }
            do { manifests.append(try ReportManifest.parse(Array(data))) } catch { throw .reportManifest(path: path, error) }
        }
        let others = Set(names).subtracting(manifestNames)
        return manifests.enumerated().map { i, manifest in
            // A file another manifest of the folder lists is that report's, not an intruder in this one.
            let elsewhere = Set(manifests.enumerated().filter { $0.offset != i }.flatMap { $0.element.files.map(\.name) })
            let problems = manifest.problems(present: others.subtracting(elsewhere.subtracting(manifest.files.map(\.name)))) { name in
                FileManager.default.contents(atPath: folder + "/" + name).map { Array($0) }
            }
            return ReportVerification(
                kind: manifest.kind, period: manifest.period, from: manifest.from.description, to: manifest.to.description,
                school: manifest.school, exportedAt: manifest.exportedAt, device: Fingerprint(of: manifest.device).text,
                heads: manifest.heads.count, files: manifest.files.map(\.name), problems: problems.map { Self.text($0, l) })
        }
    }

    static func text(_ problem: ReportProblem, _ l: Language) -> String {
        switch problem {
        case .badSignature: l.say(ReportMessages.manifestSignatureInvalid)
        case .missing(let name): l.say(ReportMessages.fileMissingFromReport, name)
        case .changed(let name): l.say(ReportMessages.fileChangedSinceSigned, name)
        case .unlisted(let name): l.say(ReportMessages.fileNotInManifest, name)
        }
    }
}
