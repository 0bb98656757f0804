import BaoxueCore
import BaoxueStore
import Foundation

/// `baoxue status`: what a teacher checks before and after going out — when
/// this device last synced and with whom, its work not yet at the township
/// relay, and what needs a person (conflicts, quarantine, pending changes).
public struct StatusView: Codable, Equatable, Sendable {
    public struct LastSync: Codable, Equatable, Sendable {
        public let peer: String
        public let name: String?
        public let at: String
        public let sessions: Int
    }
    public let device: String
    public let changes: Int
    public let children: Int
    /// This device's record changes no relay has countersigned yet.
    public let notYetAtRelay: Int
    public let pending: Int
    public let quarantined: Int
    public let conflicts: Int
    public let lastSyncs: [LastSync]

    public func lines(_ l: Language) -> [String] {
        var out = [l.say(TrustMessages.deviceChangesChildren, device, changes, children)]
        if lastSyncs.isEmpty {
            out.append(l.say(TrustMessages.neverSyncedRunBaoxueSync))
        }
        for s in lastSyncs {
            out.append(
                l.say(TrustMessages.lastSyncedWithSessions, s.name ?? s.peer, s.at, s.sessions))
        }
        out.append(
            notYetAtRelay == 0
                ? l.say(TrustMessages.everythingRecordedHereHasReached)
                : l.say(TrustMessages.ofThisDevicesChangesHave, notYetAtRelay))
        out.append(
            l.say(TrustMessages.conflictsToSettleQuarantinedWaiting, conflicts, quarantined, pending))
        return out
    }
}

extension ReplicaCommands {
    public static func status(directory: String) throws(AppError) -> StatusView {
        let replica = try open(directory)
        let log = replica.log
        return try attempt { () throws(StoreError) in
            let format = ISO8601DateFormatter()
            let syncs = try log.peerActivity().sorted { $0.lastSeen > $1.lastSeen }.prefix(5).map { a throws(StoreError) in
                StatusView.LastSync(
                    peer: a.key.fingerprint.text, name: try log.holder(of: a.key)?.name,
                    at: format.string(from: Date(timeIntervalSince1970: Double(a.lastSeen) / 1000)), sessions: a.sessions)
            }
            return StatusView(
                device: replica.key.publicKey.fingerprint.text, changes: try log.count(nil),
                children: try log.children(limit: 1_000_000).count,
                notYetAtRelay: try log.notYetWitnessed(author: replica.key.publicKey), pending: try log.count(.pending),
                quarantined: try log.count(.quarantined), conflicts: try log.conflicts().count, lastSyncs: syncs)
        }
    }
}
