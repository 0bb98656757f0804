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
    /// Relays that countersigned the change: "name (fingerprint) at time", earliest first.
    public let witnessedBy: [String]
    /// The op's id (`change:index`), for `baoxue void`.
    public let op: String

    public func text(_ l: Language) -> String {
        let who = role.map { "\(author)（\($0)，\(device)）" } ?? l.say(TrustMessages.unenrolledDevice, device)
        let mark = verified ? l.say(TrustMessages.verified) : l.say(TrustMessages.signatureInvalid)
        let witness =
            witnessedBy.isEmpty
            ? l.say(TrustMessages.notWitnessedByRelay)
            : l.say(TrustMessages.witnessedBy) + witnessedBy.joined(separator: l.say(Punctuation.clauseSeparator))
        return "\(time) · \(who) · \(what) · \(mark) · \(witness)" + (note.isEmpty ? "" : " · \(note)") + " · \(op)"
    }
}

extension ReplicaCommands {
    /// The child's full history, oldest first, each change re-verified.
    public static func audit(directory: String, child: String, language l: Language) throws(AppError) -> [AuditLine] {
        let log = try open(directory).log
        let id = try resolveChild(log, child)
        let entries = try attempt { () throws(StoreError) in try log.audit(child: id) }
        var holders: [PublicKey: (name: String, role: String)?] = [:]
        func holder(_ key: PublicKey) throws(AppError) -> (name: String, role: String)? {
            if let known = holders[key] { return known }
            let h = try attempt { () throws(StoreError) in try log.holder(of: key) }
            holders[key] = .some(h.map { ($0.name, l.label($0.role)) })
            return holders[key]!
        }
        let format = ISO8601DateFormatter()
        func time(_ ms: UInt64) -> String { format.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)) }
        var out: [AuditLine] = []
        for e in entries {
            let h = try holder(e.author)
            var witnessedBy: [String] = []
            for w in e.witnesses {
                witnessedBy.append("\(try holder(w.relay)?.name ?? "-")（\(w.relay.fingerprint.text)）\(time(w.at))")
            }
            out.append(
                AuditLine(
                    time: time(e.hlc.milliseconds),
                    author: h?.name ?? "-", role: h?.role, device: e.author.fingerprint.text,
                    what: e.what, verified: e.verified, note: e.note, witnessedBy: witnessedBy, op: e.op.text))
        }
        return out
    }
}
