import BaoxueCore
import BaoxueStore
import BaoxueTrust
import Foundation

/// `baoxue keys` for one scope: whether it is encrypted, which epoch this device holds,
/// and what a school admin should do about it.
public struct KeyStatusView: Codable, Equatable, Sendable {
    public let scope: String
    public let encrypted: Bool
    public let heldEpoch: UInt32?
    public let newestEpoch: UInt32?
    public let unreadable: Int
    public let lacking: [String]
    public let revokedRecipients: [String]
    /// Keys to transferred children's history held for this (other) school.
    public let transferredKeys: Int

    init(_ s: ScopeKeyStatus) {
        transferredKeys = s.transferredKeys
        scope = s.scope.value
        encrypted = s.encrypted
        heldEpoch = s.heldEpoch
        newestEpoch = s.newestEpoch
        unreadable = s.unreadable
        lacking = s.lacking.map(\.fingerprint.text)
        revokedRecipients = s.revokedRecipients.map(\.fingerprint.text)
    }

    public func text(_ l: Language) -> String {
        guard encrypted else {
            return l.say(PolicyMessages.notEncryptedSchoolAdminRuns, scope)
        }
        if heldEpoch == nil, transferredKeys > 0 {
            return l.say(PolicyMessages.transferredChildrensHistoryThisDevice, scope, transferredKeys)
        }
        var parts = [
            heldEpoch.map {
                l.say(PolicyMessages.encryptedThisDeviceHoldsEpoch, scope, $0, newestEpoch ?? $0)
            }
                ?? l.say(PolicyMessages.encryptedThisDeviceHoldsNo, scope)
        ]
        if unreadable > 0 { parts.append(l.say(PolicyMessages.changesNotReadableYet, unreadable)) }
        if !lacking.isEmpty {
            parts.append(l.say(PolicyMessages.membersLackKeyRunKeys, lacking.count))
        }
        if !revokedRecipients.isEmpty {
            parts.append(
                l.say(PolicyMessages.revokedDevicesHoldCurrentKey, l.list(revokedRecipients)))
        }
        return parts.joined(separator: l.say(Punctuation.clauseSeparator))
    }
}

/// A grant an admin's device wrote on its own after a sync: a rotation after a revocation
/// reached it, or the current key sealed to members who lacked it.
public struct KeyRoundAction: Codable, Equatable, Sendable {
    public let scope: String
    public let rotated: Bool
    /// Members the current key was sealed to anew (0 for a rotation, which goes to all).
    public let members: Int

    public func text(_ l: Language) -> String {
        rotated
            ? l.say(PolicyMessages.deviceWasRevokedOrLeft, scope)
            : l.say(PolicyMessages.keyWasSealedToNew, scope, members)
    }
}

/// `baoxue lock`: what the lock left in clear, if anything.
public struct LockView: Codable, Equatable, Sendable {
    public let directory: String
    /// Record changes written before their scope was encrypted: still readable in the log.
    public let clearChanges: Int

    public func text(_ l: Language) -> String {
        var out = l.say(PolicyMessages.lockedDeviceKeyAndData, directory)
        if clearChanges > 0 {
            out +=
                "\n"
                + l.say(PolicyMessages.warningRecordChangesWrittenBefore, clearChanges)
        }
        return out
    }
}

/// Key grants, rotation, lock, unlock and wipe, apart from parsing and printing.
public enum PrivacyCommands {
    public static func status(directory: String) throws(AppError) -> [KeyStatusView] {
        try status(try ReplicaCommands.open(directory))
    }

    static func status(_ replica: Replica) throws(AppError) -> [KeyStatusView] {
        return try attempt { () throws(StoreError) in try replica.log.keyStatus(now: Replica.nowMilliseconds()) }.map(KeyStatusView.init)
    }

    /// A member left the school (调离, a phone handed back): records the departure in the school's
    /// scope and rotates its key at once, so the device reads nothing written from now on, and no
    /// key round seals a key to it again (privacy.md §2(c)). `member`: the device's fingerprint
    /// (as `baoxue whoami` shows it) or its public key in hex; it must hold a certificate for the school.
    public static func leave(directory: String, member: String, scope text: String) throws(AppError) -> KeyStatusView {
        let replica = try ReplicaCommands.open(directory)
        let scope = try keyAdmin(replica, scope: text)
        let now = Replica.nowMilliseconds()
        let peers = try attempt { () throws(StoreError) in try replica.log.certifiedPeers(at: now) }
        let wanted = member.uppercased().replacingOccurrences(of: " ", with: "")
        guard
            let subject = peers.keys.first(where: {
                ($0.hex == member.lowercased() || $0.fingerprint.text == wanted) && peers[$0]?.contains { $0.covers(scope) } == true
            }), subject != replica.key.publicKey
        else { throw .invalidArgument(option: "MEMBER", value: member) }
        _ = try attempt { () throws(StoreError) in
            try replica.log.recordDeparture(of: subject, from: scope, at: now, by: replica.key, now: now)
            return try replica.log.grantKeys(by: replica.key, scope: scope, rotate: true, now: now)
        }
        return try status(replica, scope, now: now)
    }

    /// Seals the scope's key to its current members (a fresh epoch with `rotate`). Refused here unless
    /// this device's certificate may grant keys in that scope: others would quarantine the grant.
    public static func grant(directory: String, scope text: String, rotate: Bool) throws(AppError) -> KeyStatusView {
        try grant(try ReplicaCommands.open(directory), scope: text, rotate: rotate)
    }

    static func grant(_ replica: Replica, scope text: String, rotate: Bool) throws(AppError) -> KeyStatusView {
        let scope = try keyAdmin(replica, scope: text)
        let now = Replica.nowMilliseconds()
        _ = try attempt { () throws(StoreError) in try replica.log.grantKeys(by: replica.key, scope: scope, rotate: rotate, now: now) }
        return try status(replica, scope, now: now)
    }

    /// The school scope `text` names, when this device may grant its keys.
    private static func keyAdmin(_ replica: Replica, scope text: String) throws(AppError) -> ScopeID {
        guard let scope = try? ScopeID(text), scope != .admin else { throw .invalidArgument(option: "--scope", value: text) }
        let role = try attempt { () throws(StoreError) in try replica.log.holder(of: replica.key.publicKey) }?.role
        guard let role, Operation.grantKeys.allowedRoles.contains(role) else {
            throw .trust(role.map { .roleForbids(role: $0, operation: .grantKeys) } ?? .noCertificate(replica.key.publicKey))
        }
        return scope
    }

    private static func status(_ replica: Replica, _ scope: ScopeID, now: UInt64) throws(AppError) -> KeyStatusView {
        let status = try attempt { () throws(StoreError) in try replica.log.keyStatus(now: now) }
        guard let mine = status.first(where: { $0.scope == scope }) else { throw .invalidArgument(option: "--scope", value: scope.value) }
        return KeyStatusView(mine)
    }

    /// After a revocation reached this device: rotates every scope whose current key was sealed to a
    /// revoked device, when this device may grant keys. Returns the scopes rotated.
    public static func rotateAfterRevocations(directory: String) throws(AppError) -> [String] {
        try keyRound(try ReplicaCommands.open(directory), newcomers: false).map(\.scope)
    }

    /// An admin's round (privacy.md §2(c)): rotates every scope whose current key a revoked device
    /// holds and, with `newcomers`, seals the current key to members who lack it. Nothing on a
    /// device that may not grant keys, or for a scope it holds no key of or is not certified for.
    static func keyRound(_ replica: Replica, newcomers: Bool = true) throws(AppError) -> [KeyRoundAction] {
        let role = try attempt { () throws(StoreError) in try replica.log.holder(of: replica.key.publicKey) }?.role
        guard let role, Operation.grantKeys.allowedRoles.contains(role) else { return [] }
        let now = Replica.nowMilliseconds()
        let held = try attempt { () throws(StoreError) in try replica.log.certifiedScopes(of: replica.key.publicKey, at: now) } ?? []
        var done: [KeyRoundAction] = []
        for s in try attempt({ () throws(StoreError) in try replica.log.keyStatus(now: now) })
        where s.heldEpoch != nil && held.contains(where: { $0.covers(s.scope) })
            && (!s.revokedRecipients.isEmpty || !s.formerRecipients.isEmpty || newcomers && !s.lacking.isEmpty)
        {
            let rotate = !s.revokedRecipients.isEmpty || !s.formerRecipients.isEmpty
            _ = try attempt { () throws(StoreError) in try replica.log.grantKeys(by: replica.key, scope: s.scope, rotate: rotate, now: now)
            }
            done.append(KeyRoundAction(scope: s.scope.value, rotated: rotate, members: rotate ? 0 : s.lacking.count))
        }
        return done
    }

    public static func lock(directory: String, passphrase: String) throws(AppError) -> LockView {
        LockView(
            directory: directory,
            clearChanges: try attempt { () throws(StoreError) in try DeviceLock.lock(directory, passphrase: passphrase) })
    }

    public static func unlock(
        directory: String, passphrase: String, progress: @escaping (Int, Int) -> Void
    ) throws(AppError) -> IdentityView {
        try IdentityView(
            replica: try attempt { () throws(StoreError) in try DeviceLock.unlock(directory, passphrase: passphrase, progress: progress) })
    }

    /// Destroys the keys and the folder. `confirm` must be the folder's path typed again.
    public static func wipe(directory: String, confirm: String?) throws(AppError) {
        guard confirm == directory else { throw .invalidArgument(option: "--confirm", value: confirm ?? "") }
        guard FileManager.default.fileExists(atPath: directory + "/" + Replica.databaseFileName) else {
            throw .store(.replicaMissing(path: directory))
        }
        try attempt { () throws(StoreError) in try DeviceLock.wipe(directory) }
    }
}
