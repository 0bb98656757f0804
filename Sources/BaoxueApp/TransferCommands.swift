import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTrust
import Foundation

/// What `baoxue child transfer` did: the three signed changes of one transfer (转学).
public struct TransferView: Codable, Equatable, Sendable {
    public let child: String
    public let from: String
    public let to: String
    /// The transfer change(s) in the receiving scope: the child's history and its keys, sealed.
    public let transfer: [String]
    /// How many of the old school's changes they hand over.
    public let handedOver: Int
    /// 转出 in the old school, 转入 and the school field in the new one.
    public let statusOut: String
    public let statusIn: String

    public func text(_ l: Language) -> String {
        l.say(
            ChildMessages.transferRecorded, child, from, to, handedOver, transfer.first?.prefix(16) ?? "", statusOut.prefix(16),
            statusIn.prefix(16))
    }
}

extension ReplicaCommands {
    /// Transfers a child to another school (转学): hands the child's history and its content keys
    /// to the receiving school, sealed (privacy.md §2(b)), records 转出 in the old school and 转入 with
    /// the new school's name in the new one. Only an admin whose certificate grants keys in both
    /// schools (a district admin) may; anyone else is refused before anything is written.
    public static func transfer(
        directory: String, child: String, from: String? = nil, to: String, reason: String, date: SimpleDate?, language l: Language
    ) throws(AppError) -> TransferView {
        guard let target = try? ScopeID(to), target != .admin else { throw .invalidArgument(option: "--to", value: to) }
        let replica = try open(directory)
        let id = try resolveChild(replica.log, child)
        let recorded = try attempt { () throws(StoreError) in try replica.log.read { s throws(StoreError) in try s.scope(of: id) } }
        guard let recorded else { throw .childUnknown(child) }
        // The school the record was first written in, unless told (a child transferred before).
        let home: ScopeID
        if let from {
            guard let given = try? ScopeID(from), given != .admin else { throw .invalidArgument(option: "--from", value: from) }
            home = given
        } else {
            home = recorded
        }
        guard home != target else { throw .invalidArgument(option: "--to", value: to) }
        try checkRole(replica, .grantKeys, l.say(ChildMessages.transferChild), l)
        let now = Replica.nowMilliseconds()
        let held = try attempt { () throws(StoreError) in try replica.log.certifiedScopes(of: replica.key.publicKey, at: now) } ?? []
        for scope in [home, target] where replica.log.authority != nil && !held.contains(where: { $0.covers(scope) }) {
            throw .scopeNotCovered(scope: scope.value, held: held.map(\.value))
        }
        let written = try attempt { () throws(StoreError) in
            try replica.log.transferChild(id, from: home, to: target, by: replica.key, now: now)
        }
        var handedOver = 0
        for c in written {
            handedOver += try attempt { () throws(StoreError) in try replica.log.transferBundle(in: c) }?.changes.count ?? 0
        }
        let out = try record(
            directory: directory, child: child, entry: .status(.transferredOut, reason: reason), date: date, scope: home.value, language: l)
        let school = String(target.value.split(separator: "/").last ?? Substring(target.value))
        _ = try record(
            directory: directory, child: child, entry: .field("school", .text(school)), date: date, scope: target.value, language: l)
        let into = try record(
            directory: directory, child: child, entry: .status(.transferredIn, reason: reason), date: date, scope: target.value, language: l
        )
        return TransferView(
            child: child, from: home.value, to: target.value, transfer: written.map(\.id.hex), handedOver: handedOver,
            statusOut: out.change, statusIn: into.change)
    }
}
