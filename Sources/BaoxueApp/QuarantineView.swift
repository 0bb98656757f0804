import BaoxueCore
import BaoxueStore

/// One quarantined change as `baoxue quarantine` shows it.
public struct QuarantineRow: Encodable, Equatable, Sendable {
    public let position: Int64
    public let id: String
    public let authorFingerprint: String
    public let scope: String
    public let reason: String

    init(_ q: QuarantinedChange) {
        position = q.position
        id = q.id.hex
        authorFingerprint = q.author.fingerprint.text
        scope = q.scope
        reason = q.reason
    }

    public func text(_ l: Language) -> String {
        "#\(position) \(id) \(authorFingerprint) [\(scope)] " + Self.reasonText(reason, l)
    }

    static func reasonText(_ code: String, _ l: Language) -> String {
        switch code {
        case "no_certificate": l.pick("作者尚无证书（证书同步到后会自动复查）", "author has no certificate yet (re-checked when one arrives)")
        case "role_forbids": l.pick("作者角色无权此操作", "the author's role may not do this")
        case "outside_scope": l.pick("超出作者证书的范围", "outside the author's certificate scopes")
        case "not_valid_at": l.pick("变更时间不在证书有效期内", "the certificate was not valid at the change's time")
        case "self_signed": l.pick("证书为自签，不被承认", "self-signed certificate")
        case "unknown_issuer": l.pick("证书签发者未知（等待其授权证书）", "unknown issuer (waiting for its delegation)")
        case "revoked": l.pick("作者设备已被吊销，此变更晚于吊销时间", "the author's device was revoked before this change")
        case "future_clock": l.pick("变更时间超前本机 24 小时以上，等本机时间追上后自动复查", "clock over 24 h ahead of this device; re-checked as time passes")
        case "delegation_widens": l.pick("下级授权越权", "a delegation exceeds its grant")
        default: code
        }
    }
}

extension ReplicaCommands {
    /// Quarantined changes, oldest first.
    public static func quarantine(directory: String) throws(AppError) -> [QuarantineRow] {
        let replica = try open(directory)
        return try attempt { () throws(StoreError) in try replica.log.quarantined() }.map(QuarantineRow.init)
    }
}
