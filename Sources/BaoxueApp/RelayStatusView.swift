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
            l.say(
                SyncMessages.changesQuarantinedEquivocatingGapsUnwitnessed, changes, quarantined, equivocations, gaps, unwitnessed,
                diskBytes / 1_048_576)
        ]
        if devices.isEmpty { out.append(l.say(SyncMessages.noDeviceHasSyncedYet)) }
        for d in devices {
            let who = d.name.map { "\($0)（\(d.role ?? "-")）" } ?? l.say(SyncMessages.unenrolled)
            var line = l.say(
                SyncMessages.lastSessionsFailedBehindBy, d.device, who, d.lastSeen, d.sessions, d.failures, d.lagChanges, d.lagMinutes)
            if let e = d.lastError { line += l.say(SyncMessages.lastFailure, e) }
            if d.equivocating { line += l.say(SyncMessages.equivocatedAwaitingDistrictAdminsRuling) }
            out.append(line)
        }
        if quarantined + equivocations + gaps + unwitnessed > 0 {
            out.append(
                l.say(SyncMessages.itemsNeedAttentionRunBaoxue))
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
                    device: a.key.fingerprint.text, name: holder?.name, role: holder.map { l.label($0.role) },
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
