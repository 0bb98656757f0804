import BaoxueCore
import BaoxueStore
import BaoxueTrust

/// Who this device is and what its replica holds: the output of `init` and `whoami`.
public struct IdentityView: Encodable, Equatable, Sendable {
    public let directory: String
    public let fingerprint: String
    public let publicKey: String
    public let changes: Int
    public let pending: Int
    public let held: Int
    /// The name and role this device's certificate gives it (nil on an unenrolled sandbox replica).
    public let name: String?
    public let role: Role?
    /// The scopes that certificate names.
    public let scopes: [String]
    /// This device's changes that no relay has countersigned yet (the work not yet at the township office).
    public let notAtRelay: Int

    init(replica: Replica) throws(AppError) {
        directory = replica.directory
        fingerprint = replica.key.publicKey.fingerprint.text
        publicKey = replica.key.publicKey.hex
        changes = try attempt { () throws(StoreError) in try replica.log.count(nil) }
        pending = try attempt { () throws(StoreError) in try replica.log.count(.pending) }
        held = try attempt { () throws(StoreError) in try replica.log.count(.held) }
        let own = try attempt { () throws(StoreError) in try replica.log.latestCertificate(of: replica.key.publicKey) }
        name = own?.name
        role = own?.role
        scopes = (own?.scopes ?? []).map(\.value).sorted()
        notAtRelay = try attempt { () throws(StoreError) in try replica.log.notYetWitnessed(author: replica.key.publicKey) }
    }

    public func text(_ l: Language, created: Bool) -> String {
        var lines: [String] = []
        if created { lines.append(l.say(TrustMessages.createdReplica, directory)) }
        if let name, let role {
            lines.append(
                l.say(TrustMessages.certificateOf, name, l.label(role), l.list(scopes)))
        }
        lines.append(l.say(TrustMessages.deviceFingerprint, fingerprint))
        lines.append(l.say(TrustMessages.publicKey, publicKey))
        lines.append(l.say(TrustMessages.replicaFolder, directory))
        lines.append(
            l.say(TrustMessages.changesWaitingForDepsHeld, changes, pending, held))
        if created {
            lines.append(
                l.say(TrustMessages.readFingerprintToTownshipOffice))
        }
        return lines.joined(separator: "\n")
    }
}
