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
        var out = [l.pick("设备 \(device)：\(changes) 条变更，\(children) 名儿童", "device \(device): \(changes) changes, \(children) children")]
        if lastSyncs.isEmpty {
            out.append(l.pick("从未同步。到学校或教育办后运行 baoxue sync。", "never synced. Run baoxue sync at school or at the township office."))
        }
        for s in lastSyncs {
            out.append(
                l.pick(
                    "上次与 \(s.name ?? s.peer) 同步：\(s.at)（共 \(s.sessions) 次）",
                    "last synced with \(s.name ?? s.peer): \(s.at) (\(s.sessions) sessions)"))
        }
        out.append(
            notYetAtRelay == 0
                ? l.pick("本机记录均已送达乡镇中继。", "everything recorded here has reached the township relay.")
                : l.pick(
                    "尚未送达乡镇中继的本机记录：\(notYetAtRelay) 条（与中继同步后，回执随下一次同步到达）。",
                    "\(notYetAtRelay) of this device's changes have not reached the township relay yet (its receipts arrive with the "
                        + "sync after)."
                ))
        out.append(
            l.pick(
                "待核实冲突 \(conflicts) 处，被隔离 \(quarantined) 条，等待前序变更 \(pending) 条。",
                "\(conflicts) conflicts to settle, \(quarantined) quarantined, \(pending) waiting for earlier changes."))
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
