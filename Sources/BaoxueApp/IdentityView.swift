import BaoxueCore
import BaoxueStore
import BaoxueTrust

/// Who this device is and what its replica holds: the output of `init` and `whoami`.
public struct IdentityView: Encodable, Equatable, Sendable {
    public let directory: String
    public let fingerprint: String
    public let publicKey: String
    public let changes: Int
    public let pending: Int
    public let held: Int
    /// The name and role this device's certificate gives it (nil on an unenrolled sandbox replica).
    public let name: String?
    public let role: Role?
    /// The scopes that certificate names.
    public let scopes: [String]
    /// This device's changes that no relay has countersigned yet (the work not yet at the township office).
    public let notAtRelay: Int

    init(replica: Replica) throws(AppError) {
        directory = replica.directory
        fingerprint = replica.key.publicKey.fingerprint.text
        publicKey = replica.key.publicKey.hex
        changes = try attempt { () throws(StoreError) in try replica.log.count(nil) }
        pending = try attempt { () throws(StoreError) in try replica.log.count(.pending) }
        held = try attempt { () throws(StoreError) in try replica.log.count(.held) }
        let own = try attempt { () throws(StoreError) in try replica.log.latestCertificate(of: replica.key.publicKey) }
        name = own?.name
        role = own?.role
        scopes = (own?.scopes ?? []).map(\.value).sorted()
        notAtRelay = try attempt { () throws(StoreError) in try replica.log.notYetWitnessed(author: replica.key.publicKey) }
    }

    public func text(_ l: Language, created: Bool) -> String {
        var lines: [String] = []
        if created { lines.append(l.pick("已创建副本：\(directory)", "created replica: \(directory)")) }
        if let name, let role {
            lines.append(
                l.pick(
                    "证书：\(name)，\(role.chinese)，范围 \(scopes.joined(separator: "、"))",
                    "certificate: \(name), \(role.english), scopes \(scopes.joined(separator: ", "))"))
        }
        lines.append(l.pick("设备指纹：\(fingerprint)", "device fingerprint: \(fingerprint)"))
        lines.append(l.pick("公钥：\(publicKey)", "public key: \(publicKey)"))
        lines.append(l.pick("副本目录：\(directory)", "replica folder: \(directory)"))
        lines.append(
            l.pick(
                "变更：共 \(changes) 条（待补依赖 \(pending)，冲突扣留 \(held)）",
                "changes: \(changes) (waiting for deps \(pending), held for equivocation \(held))"))
        if created {
            lines.append(
                l.pick(
                    "请把设备指纹念给教育办核对，用于设备登记。",
                    "Read the fingerprint to the township office to compare when enrolling this device."))
        }
        return lines.joined(separator: "\n")
    }
}
