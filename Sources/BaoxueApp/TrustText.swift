import BaoxueTrust

/// The user-facing wording of trust failures and roles, in both languages.
enum TrustText {
    static func error(_ e: TrustError, _ l: Language) -> String {
        switch e {
        case .malformed(let why):
            return l.pick(
                "文件格式不对（\(why)）。请确认拿到的是完整的申请或证书文件。",
                "the file is not valid (\(why)). Check that it is the complete request or certificate file.")
        case .badSignature:
            return l.pick(
                "签名不符：文件已被改动或不是本人签发。请重新获取。",
                "the signature does not verify: the file was altered or not issued by who it claims. Obtain it again.")
        case .selfSigned:
            return l.pick("证书是自签的，不被承认。请向教育局申请。", "the certificate is self-signed and not accepted. Apply to the education bureau.")
        case .unknownIssuer(let k):
            return l.pick(
                "签发者（指纹 \(k.fingerprint.text)）不是本区授权机构。请核对授权公钥。",
                "the issuer (fingerprint \(k.fingerprint.text)) is not this district's authority. Check the authority key.")
        case .delegationWidens(let why):
            return l.pick("下级授权越权：\(why)。", "a delegation exceeds its own grant: \(why).")
        case .notValidAt:
            return l.pick("证书不在有效期内。请向教育局续期。", "the certificate is not valid at that time. Ask the education bureau to renew it.")
        case .noCertificate(let k):
            return l.pick("设备 \(k.fingerprint.text) 还没有证书。", "device \(k.fingerprint.text) has no certificate yet.")
        case .outsideScope(let s):
            return l.pick("范围 \(s) 不在证书授权之内。", "scope \(s) is outside the certificate.")
        case .revoked:
            return l.pick("该设备已被吊销，其后的变更不予采信。", "the device was revoked; its later changes are not trusted.")
        case .roleForbids(let role, let op):
            return l.pick("角色“\(role.chinese)”无权执行 \(op.rawValue)。", "the role \(role.english) may not perform \(op.rawValue).")
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
