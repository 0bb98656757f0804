import BaoxueStore

/// The summary `baoxue verify` prints.
public struct VerifyView: Encodable, Equatable, Sendable {
    public let changes: Int
    public let authors: Int
    public let failedPositions: [Int64]
    public let certificates: Int
    public let certificateFailures: Int?

    init(_ r: VerificationReport) {
        changes = r.changes
        authors = r.authors
        failedPositions = r.failed
        certificates = r.certificates
        certificateFailures = r.certificateFailures
    }

    public var ok: Bool { failedPositions.isEmpty && (certificateFailures ?? 0) == 0 }

    public func text(_ l: Language) -> String {
        let certs =
            certificateFailures.map { l.say(TrustMessages.certificatesInvalid, certificates, $0) }
            ?? l.say(TrustMessages.noAuthorityPinnedCertificatesNot)
        let head =
            l.say(TrustMessages.verifiedChangesFromAuthorsFailed, changes, authors, failedPositions.count) + certs
        guard !failedPositions.isEmpty else { return head }
        let list = failedPositions.prefix(20).map { "#\($0)" }.joined(separator: " ")
        return head + "\n"
            + l.say(TrustMessages.failedReSyncFromAnother, list)
    }
}

extension ReplicaCommands {
    public static func verify(directory: String, progress: @escaping (Int, Int) -> Void) throws(AppError) -> VerifyView {
        let log = try open(directory).log
        return VerifyView(try attempt { () throws(StoreError) in try log.verifyAll(progress: progress) })
    }
}
