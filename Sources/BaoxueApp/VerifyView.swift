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
            certificateFailures.map { l.pick("，证书 \(certificates) 份（无效 \($0)）", ", \(certificates) certificate(s) (\($0) invalid)") }
            ?? l.pick("，未设定授权机构，证书未核验", ", no authority pinned: certificates not checked")
        let head =
            l.pick(
                "已核验 \(changes) 条变更、\(authors) 个作者：签名无效 \(failedPositions.count) 条",
                "verified \(changes) change(s) from \(authors) author(s): \(failedPositions.count) failed") + certs
        guard !failedPositions.isEmpty else { return head }
        let list = failedPositions.prefix(20).map { "#\($0)" }.joined(separator: " ")
        return head + "\n"
            + l.pick("无效的变更：\(list)。请从其他设备重新同步，并报告教育局。", "failed: \(list). Re-sync from another device and report it to the bureau.")
    }
}

extension ReplicaCommands {
    public static func verify(directory: String, progress: @escaping (Int, Int) -> Void) throws(AppError) -> VerifyView {
        let log = try open(directory).log
        return VerifyView(try attempt { () throws(StoreError) in try log.verifyAll(progress: progress) })
    }
}
