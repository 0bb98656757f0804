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
        case "no_certificate": l.say(TrustMessages.authorHasNoCertificateYet)
        case "role_forbids": l.say(TrustMessages.authorsRoleMayNotDo)
        case "outside_scope": l.say(TrustMessages.outsideAuthorsCertificateScopes)
        case "not_valid_at": l.say(TrustMessages.certificateWasNotValidAt)
        case "self_signed": l.say(TrustMessages.selfSignedCertificate)
        case "unknown_issuer": l.say(TrustMessages.unknownIssuerWaitingForIts)
        case "revoked": l.say(TrustMessages.authorsDeviceWasRevokedBefore)
        case "future_clock": l.say(TrustMessages.clockOverHAheadOf)
        case "delegation_widens": l.say(TrustMessages.delegationExceedsItsGrant)
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
