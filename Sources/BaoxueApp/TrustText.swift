import BaoxueTrust

/// The user-facing wording of trust failures and roles, in both languages.
enum TrustText {
    static func error(_ e: TrustError, _ l: Language) -> String {
        switch e {
        case .malformed(let why):
            return l.say(TrustMessages.fileIsNotValidCheck, why)
        case .badSignature:
            return l.say(TrustMessages.signatureDoesNotVerifyFile)
        case .selfSigned:
            return l.say(TrustMessages.certificateIsSelfSignedAnd)
        case .unknownIssuer(let k):
            return l.say(TrustMessages.issuerFingerprintIsNotThis, k.fingerprint.text)
        case .delegationWidens(let why):
            return l.say(TrustMessages.delegationExceedsItsOwnGrant, why)
        case .notValidAt:
            return l.say(TrustMessages.certificateIsNotValidAt)
        case .noCertificate(let k):
            return l.say(TrustMessages.deviceHasNoCertificateYet, k.fingerprint.text)
        case .outsideScope(let s):
            return l.say(TrustMessages.scopeIsOutsideCertificate, s)
        case .revoked:
            return l.say(TrustMessages.deviceWasRevokedItsLater)
        case .roleForbids(let role, let op):
            return l.say(TrustMessages.roleMayNot, l.label(role), l.label(op))
        }
    }

    /// Parses a role as typed on the command line.
    /// A `--role` outside the list, with the list (Chinese names, or the English codes).
    static func roleChoices(_ text: String) -> AppError {
        .invalidChoice(
            option: "--role", value: text, chinese: ["教师", "村联络员", "学校管理员", "中继", "区县管理员"],
            english: ["teacher", "liaison", "school-admin", "relay", "district-admin"])
    }

    static func role(_ text: String) -> Role? {
        switch text.lowercased() {
        case "teacher", "教师": .teacher
        case "liaison", "村联络员", "联络员": .liaison
        case "school-admin", "学校管理员": .schoolAdmin
        case "relay", "中继": .relay
        case "district-admin", "区县管理员": .districtAdmin
        default: nil
        }
    }
}
