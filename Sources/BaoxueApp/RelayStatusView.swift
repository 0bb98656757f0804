import BaoxueCore
import BaoxueStore
import BaoxueSync
import Foundation

/// `baoxue relay status`: the devices a relay serves and how far behind each
/// is, plus what needs the operator's attention. Readable while the relay runs.
public struct RelayStatusView: Encodable, Equatable, Sendable {
    public struct Device: Encodable, Equatable, Sendable {
        public let device: String
        public let name: String?
        public let role: String?
        public let lastSeen: String
        public let sessions: Int
        public let failures: Int
        public let lastError: String?
        /// Changes in its scopes stored here after its last successful sync.
        public let lagChanges: Int
        /// Age of the oldest of those, in minutes (0 when none).
        public let lagMinutes: Int
        /// The device signed two different changes with one seq (see `baoxue alerts`).
        public let equivocating: Bool
    }

    public let changes: Int
    public let quarantined: Int
    public let equivocations: Int
    public let gaps: Int
    public let unwitnessed: Int
    public let diskBytes: Int64
    public let devices: [Device]

    public func lines(_ l: Language) -> [String] {
        var out = [
            l.pick(
                "变更 \(changes) 条；隔离 \(quarantined)；一号多签 \(equivocations)；缺失 \(gaps)；未见证 \(unwitnessed)；磁盘 \(diskBytes / 1_048_576) MiB。",
                "\(changes) changes; \(quarantined) quarantined; \(equivocations) equivocating; \(gaps) gaps; \(unwitnessed) "
                    + "unwitnessed; disk \(diskBytes / 1_048_576) MiB."
            )
        ]
        if devices.isEmpty { out.append(l.pick("尚无设备同步过。", "no device has synced yet.")) }
        for d in devices {
            let who = d.name.map { "\($0)（\(d.role ?? "-")）" } ?? l.pick("未登记", "unenrolled")
            var line = l.pick(
                "\(d.device) \(who) 最近 \(d.lastSeen)，\(d.sessions) 次同步（失败 \(d.failures)），落后 \(d.lagChanges) 条 / \(d.lagMinutes) 分钟",
                "\(d.device) \(who) last \(d.lastSeen), \(d.sessions) sessions (\(d.failures) failed), behind by \(d.lagChanges) changes "
                    + "/ \(d.lagMinutes) min"
            )
            if let e = d.lastError { line += l.pick("；上次失败：\(e)", "; last failure: \(e)") }
            if d.equivocating { line += l.pick("；⚠ 一号多签，待区县管理员裁决", "; ⚠ EQUIVOCATED, awaiting a district admin's ruling") }
            out.append(line)
        }
        if quarantined + equivocations + gaps + unwitnessed > 0 {
            out.append(
                l.pick(
                    "有需要处理的事项：运行 baoxue alerts 与 baoxue quarantine 查看。", "items need attention: run baoxue alerts and baoxue quarantine."))
        }
        return out
    }
}

extension RelayCommands {
    public static func status(directory: String, language l: Language = .zh) throws(AppError) -> RelayStatusView {
        let replica = try ReplicaCommands.open(directory)
        let log = replica.log
        let now = ChangeLog.systemClock()
        let policy = try SyncCommands.policy(for: replica)
        let scopes = try attempt { () throws(StoreError) in try log.scopes() }
        let activity = try attempt { () throws(StoreError) in try log.peerActivity() }
        let format = ISO8601DateFormatter()
        let equivocations = try attempt { () throws(StoreError) in try log.equivocations() }
        let equivocators = Set(equivocations.map(\.author))
        var devices: [RelayStatusView.Device] = []
        for a in activity {
            let granted: [ScopeID]
            switch policy.grants[a.key] {
            case .allScopes?: granted = scopes
            case .scopes(let s)?: granted = s.sorted()
            case .within(let s)?: granted = s + [.admin]
            case .revocationOnly?, nil: granted = []
            }
            let lag = try attempt { () throws(StoreError) in try log.lag(after: a.position, scopes: granted) }
            let holder = try attempt { () throws(StoreError) in try log.holder(of: a.key) }
            devices.append(
                .init(
                    device: a.key.fingerprint.text, name: holder?.name, role: holder.map { l.pick($0.role.chinese, $0.role.english) },
                    lastSeen: format.string(from: Date(timeIntervalSince1970: Double(a.lastSeen) / 1000)),
                    sessions: a.sessions, failures: a.failures, lastError: a.lastError,
                    lagChanges: lag.changes, lagMinutes: lag.oldestMs.map { Int((now > $0 ? now - $0 : 0) / 60_000) } ?? 0,
                    equivocating: equivocators.contains(a.key)))
        }
        return RelayStatusView(
            changes: try attempt { () throws(StoreError) in try log.count(nil) },
            quarantined: try attempt { () throws(StoreError) in try log.count(.quarantined) },
            equivocations: equivocations.count,
            gaps: try attempt { () throws(StoreError) in try log.sequenceGaps() }.count,
            unwitnessed: try attempt { () throws(StoreError) in try log.unwitnessed() }.reduce(0) { $0 + $1.changes.count },
            diskBytes: log.diskBytes, devices: devices)
    }
}
