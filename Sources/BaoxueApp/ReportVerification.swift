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
    /// What making the report again on a replica gave (`--recompute`).
    public var recomputed: Recomputation?
    public var ok: Bool { problems.isEmpty && (recomputed?.agrees ?? true) }

    public func lines(_ l: Language) -> [String] {
        let exported = Date(timeIntervalSince1970: Double(exportedAt) / 1000).ISO8601Format()
        let summary = l.say(
            ReportMessages.manifestSummary, ReportKind(rawValue: kind)?.title(l) ?? kind, period, from, to,
            school ?? l.say(ReportMessages.allSchools), heads, exported)
        let again = recomputed?.lines(l) ?? []
        guard problems.isEmpty else { return [l.say(ReportMessages.verificationFailed), summary] + problems.map { "  " + $0 } + again }
        return [l.say(ReportMessages.verified, files.count, device), summary] + again
    }
}

/// The report made again on another replica and compared file by file with the signed one.
public struct Recomputation: Codable, Equatable, Sendable {
    /// Heads of the manifest this replica does not hold (then nothing was recomputed).
    public let missingHeads: Int
    /// The replica holds changes the exporter had not (its heads are not the manifest's).
    public let newer: Bool
    public let identical: [String]
    public let differing: [String]
    /// The summary sheet's lines that differ: (signed, recomputed); "" where one side has no such line.
    public let summaryDifferences: [[String]]
    public var agrees: Bool { missingHeads == 0 && differing.isEmpty }

    public func lines(_ l: Language) -> [String] {
        if missingHeads > 0 { return [l.say(ReportMessages.recomputeMissingHeads, missingHeads)] }
        var out = newer ? [l.say(ReportMessages.recomputeOnNewerReplica)] : []
        if differing.isEmpty { return out + [l.say(ReportMessages.recomputedIdentical, identical.count)] }
        out.append(l.say(ReportMessages.recomputedDiffers, differing.count, l.list(differing)))
        for pair in summaryDifferences {
            out.append(l.say(ReportMessages.signedLine, pair[0]))
            out.append(l.say(ReportMessages.recomputedLine, pair[1]))
        }
        return out
    }
}

extension ReplicaCommands {
    /// Signs the manifest of a report's files with this device's key, over the log's current heads.
    static func manifest(
        _ replica: Replica, kind: ReportKind, label: String, from: SimpleDate, to: SimpleDate, school: String?, fullID: Bool,
        files: [(name: String, bytes: [UInt8])]
    ) throws(AppError) -> [UInt8] {
        let heads = try attempt { () throws(StoreError) in try replica.log.heads() }
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        do {
            return try ReportManifest.sign(
                kind: kind.rawValue, period: label, from: from, to: to, school: school, fullIDs: fullID, exportedAt: now, heads: heads,
                files: files.map { ReportManifest.File(name: $0.name, bytes: $0.bytes) }, key: replica.key
            ).encoded
        } catch {
            throw .reportManifest(path: label + ReportManifest.fileSuffix, error)
        }
    }

    /// Checks a report folder offline against the signed manifests in it (one per report): each
    /// signature, and every file listed, missing, changed, or in the folder but in no manifest.
    /// Needs no replica.
    public static func verifyReport(
        folder: String, recomputeOn replicaDirectory: String? = nil, language l: Language
    ) throws(AppError) -> [ReportVerification] {
        let replica = try replicaDirectory.map { (d: String) throws(AppError) in try open(d) }
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
        return try manifests.enumerated().map { (i, manifest) throws(AppError) in
            // A file another manifest of the folder lists is that report's, not an intruder in this one.
            let elsewhere = Set(manifests.enumerated().filter { $0.offset != i }.flatMap { $0.element.files.map(\.name) })
            let problems = manifest.problems(present: others.subtracting(elsewhere.subtracting(manifest.files.map(\.name)))) { name in
                FileManager.default.contents(atPath: folder + "/" + name).map { Array($0) }
            }
            var view = ReportVerification(
                kind: manifest.kind, period: manifest.period, from: manifest.from.description, to: manifest.to.description,
                school: manifest.school, exportedAt: manifest.exportedAt, device: Fingerprint(of: manifest.device).text,
                heads: manifest.heads.count, files: manifest.files.map(\.name), problems: problems.map { Self.text($0, l) })
            if let replica { view.recomputed = try recompute(manifest, on: replica, folder: folder) }
            return view
        }
    }

    /// Makes the manifest's report again on `replica` and compares it file by file.
    static func recompute(_ manifest: ReportManifest, on replica: Replica, folder: String) throws(AppError) -> Recomputation {
        let log = replica.log
        // A relay keeps no record views: its figures would all be zero.
        guard log.merge != nil else { throw .recomputeNeedsRecords }
        let missing = try attempt { () throws(StoreError) in
            var n = 0
            for head in manifest.heads where !(try log.contains(head)) { n += 1 }
            return n
        }
        guard missing == 0 else {
            return Recomputation(missingHeads: missing, newer: false, identical: [], differing: [], summaryDifferences: [])
        }
        let newer = try attempt { () throws(StoreError) in Set(try log.heads()) != Set(manifest.heads) }
        guard let kind = ReportKind(rawValue: manifest.kind) else { throw .reportManifest(path: folder, .badField("kind")) }
        let names = Set(manifest.files.map(\.name))
        // The language the files were made in, read from their names.
        var language: Language?
        for lang in [Language.zh, .en]
        where try reportFileNames(kind: kind, period: manifest.period, language: lang).allSatisfy(names.contains) {
            language = lang
            break
        }
        guard let language else { throw .reportManifest(path: folder, .badField("file")) }
        let figures = try attempt { () throws(StoreError) in
            try log.periodFigures(from: manifest.from, to: manifest.to, school: manifest.school)
        }
        let book = try workbook(
            kind, figures: figures, log: log, school: manifest.school, asOf: manifest.to, fullID: manifest.fullIDs, language)
        let made = try namedFiles(book, kind, manifest.period, to: manifest.to, language)
        let signed = Dictionary(uniqueKeysWithValues: manifest.files.map { ($0.name, $0) })
        var identical: [String] = []
        var differing: [String] = []
        var summary: [[String]] = []
        for (index, file) in made.enumerated() {
            if signed[file.name] == ReportManifest.File(name: file.name, bytes: file.bytes) {
                identical.append(file.name)
                continue
            }
            differing.append(file.name)
            // The summary sheet (the first CSV): show its lines that differ, when the signed one is intact.
            guard index == 1, let bytes = FileManager.default.contents(atPath: folder + "/" + file.name),
                signed[file.name] == ReportManifest.File(name: file.name, bytes: Array(bytes))
            else { continue }
            func rows(_ b: [UInt8]) -> [String] {
                String(decoding: b, as: UTF8.self).replacingOccurrences(of: "\u{FEFF}", with: "").split(whereSeparator: \.isNewline)
                    .map(String.init)
            }
            let before = rows(Array(bytes))
            let after = rows(file.bytes)
            for k in 0..<max(before.count, after.count) {
                let a = k < before.count ? before[k] : ""
                let b = k < after.count ? after[k] : ""
                if a != b { summary.append([a, b]) }
            }
        }
        return Recomputation(missingHeads: 0, newer: newer, identical: identical, differing: differing, summaryDifferences: summary)
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
