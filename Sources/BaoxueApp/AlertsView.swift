import BaoxueCore
import BaoxueStore

/// What needs a person's attention on this replica: equivocating devices,
/// holes in authors' sequences, quarantined changes.
public struct AlertsView: Encodable, Equatable, Sendable {
    public struct Equivocating: Encodable, Equatable, Sendable {
        public let device: String
        public let seq: UInt64
        public let first: String
        public let second: String
    }
    public struct Gap: Encodable, Equatable, Sendable {
        public let device: String
        public let scope: String
        public let missingFrom: UInt64
        public let waiting: Int
    }

    public let equivocations: [Equivocating]
    public struct Unwitnessed: Encodable, Equatable, Sendable {
        public let device: String
        public let revokedAt: UInt64
        public let changes: Int
    }

    public let gaps: [Gap]
    public let quarantined: Int
    /// Revoked devices with changes dated before the revocation that no relay witnessed in time.
    public let unwitnessed: [Unwitnessed]

    public func lines(_ l: Language) -> [String] {
        var out: [String] = []
        for e in equivocations {
            out.append(
                l.pick(
                    "设备 \(e.device) 在序号 \(e.seq) 签了两份不同的变更（\(e.first) 与 \(e.second)）：两份都已保留作证据，请区县管理员用 baoxue admin uphold 裁决。",
                    "device \(e.device) signed two different changes at seq \(e.seq) (\(e.first) and \(e.second)): both kept as proof; a "
                        + "district admin rules with baoxue admin uphold."
                ))
        }
        for g in gaps {
            out.append(
                l.pick(
                    "设备 \(g.device) 在 \(g.scope) 自序号 \(g.missingFrom) 起缺失变更（其后 \(g.waiting) 条在等待）：请与其他设备或中继再同步。",
                    "missing from device \(g.device) in \(g.scope) since seq \(g.missingFrom) (\(g.waiting) waiting behind it): sync "
                        + "with other devices or the relay."
                ))
        }
        for u in unwitnessed {
            out.append(
                l.pick(
                    "已吊销设备 \(u.device) 有 \(u.changes) 条变更标注在吊销之前，但吊销前没有任何中继见证（时钟可能被调早）：请逐条复核（baoxue audit）。",
                    "revoked device \(u.device): \(u.changes) change(s) dated before the revocation were not witnessed by any relay "
                        + "before it (its clock may have been set back); review each (baoxue audit)."
                ))
        }
        if quarantined > 0 {
            out.append(
                l.pick(
                    "\(quarantined) 条变更被隔离，运行 baoxue quarantine 查看原因。",
                    "\(quarantined) change(s) quarantined; run baoxue quarantine for the reasons."))
        }
        if out.isEmpty { out.append(l.pick("没有需要处理的警报。", "no alerts.")) }
        return out
    }
}

extension ReplicaCommands {
    public static func alerts(directory: String) throws(AppError) -> AlertsView {
        let log = try open(directory).log
        let equivocations = try attempt { () throws(StoreError) in try log.equivocations() }
        let gaps = try attempt { () throws(StoreError) in try log.sequenceGaps() }
        let quarantined = try attempt { () throws(StoreError) in try log.count(.quarantined) }
        let unwitnessed = try attempt { () throws(StoreError) in try log.unwitnessed() }
        return AlertsView(
            equivocations: equivocations.map {
                .init(device: $0.author.fingerprint.text, seq: $0.seq, first: $0.first.hex, second: $0.second.hex)
            },
            gaps: gaps.map {
                .init(device: $0.author.fingerprint.text, scope: $0.scope.value, missingFrom: $0.missingFrom, waiting: $0.waiting)
            },
            quarantined: quarantined,
            unwitnessed: unwitnessed.map { .init(device: $0.author.fingerprint.text, revokedAt: $0.revokedAt, changes: $0.changes.count) }
        )
    }
}
