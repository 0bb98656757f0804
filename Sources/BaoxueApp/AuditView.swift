import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// One line of `baoxue audit CHILD`: who (name, role, device), when, what, verified, and its fate.
public struct AuditLine: Encodable, Equatable, Sendable {
    public let time: String
    public let author: String
    public let role: String?
    public let device: String
    public let what: String
    public let verified: Bool
    public let note: String

    public func text(_ l: Language) -> String {
        let who = role.map { "\(author)（\($0)，\(device)）" } ?? l.pick("未登记设备 \(device)", "unenrolled device \(device)")
        let mark = verified ? l.pick("签名有效", "verified") : l.pick("签名无效！", "SIGNATURE INVALID!")
        return "\(time) · \(who) · \(what) · \(mark)" + (note.isEmpty ? "" : " · \(note)")
    }
}

extension ReplicaCommands {
    /// The child's full history, oldest first, each change re-verified.
    public static func audit(directory: String, child: String, language l: Language) throws(AppError) -> [AuditLine] {
        guard let id = try? RecordID(hex: child) else { throw .invalidArgument(option: "CHILD", value: child) }
        let log = try open(directory).log
        let entries = try attempt { () throws(StoreError) in try log.audit(child: id) }
        var holders: [PublicKey: (name: String, role: String)?] = [:]
        let format = ISO8601DateFormatter()
        var out: [AuditLine] = []
        for e in entries {
            if holders[e.author] == nil {
                let h = try attempt { () throws(StoreError) in try log.holder(of: e.author) }
                holders[e.author] = .some(h.map { ($0.name, l.pick($0.role.chinese, $0.role.english)) })
            }
            let holder = holders[e.author]!
            out.append(AuditLine(
                time: format.string(from: Date(timeIntervalSince1970: Double(e.hlc.milliseconds) / 1000)),
                author: holder?.name ?? "-", role: holder?.role, device: e.author.fingerprint.text,
                what: e.what, verified: e.verified, note: e.note))
        }
        return out
    }
}
