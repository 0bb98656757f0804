import BaoxueCore
import BaoxueStore

/// Who this device is and what its replica holds: the output of `init` and `whoami`.
public struct IdentityView: Encodable, Equatable, Sendable {
    public let directory: String
    public let fingerprint: String
    public let publicKey: String
    public let changes: Int
    public let pending: Int
    public let held: Int

    init(replica: Replica) throws(AppError) {
        directory = replica.directory
        fingerprint = replica.key.publicKey.fingerprint.text
        publicKey = replica.key.publicKey.hex
        changes = try attempt { () throws(StoreError) in try replica.log.count(nil) }
        pending = try attempt { () throws(StoreError) in try replica.log.count(.pending) }
        held = try attempt { () throws(StoreError) in try replica.log.count(.held) }
    }

    public func text(_ l: Language, created: Bool) -> String {
        var lines: [String] = []
        if created { lines.append(l.pick("已创建副本：\(directory)", "created replica: \(directory)")) }
        lines.append(l.pick("设备指纹：\(fingerprint)", "device fingerprint: \(fingerprint)"))
        lines.append(l.pick("公钥：\(publicKey)", "public key: \(publicKey)"))
        lines.append(l.pick("副本目录：\(directory)", "replica folder: \(directory)"))
        lines.append(l.pick("变更：共 \(changes) 条（待补依赖 \(pending)，冲突扣留 \(held)）",
                            "changes: \(changes) (waiting for deps \(pending), held for equivocation \(held))"))
        if created {
            lines.append(l.pick("请把设备指纹念给教育办核对，用于设备登记。",
                                "Read the fingerprint to the township office to compare when enrolling this device."))
        }
        return lines.joined(separator: "\n")
    }
}
