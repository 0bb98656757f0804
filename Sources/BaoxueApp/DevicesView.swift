import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueSync
import BaoxueTrust
import Foundation

/// The district's devices as an admin's console lists them (issue 24 §2): who holds each, its role
/// and scopes, until when its certificate runs, whether it is revoked, and when this replica last
/// received a change of it; the replica's alerts with what to do; and whether this device can
/// revoke (it keeps the authority's sealed key, `authority.key`, in its folder: the bureau's machine).
public struct DevicesView: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// The device's public key (64 hex), what a revocation names.
        public let key: String
        public let fingerprint: String
        public let name: String
        public let role: String
        public let scopes: [String]
        /// The certificate's last day (UTC+8), and whether that is past or within 30 days.
        public let validUntil: String
        public let expired: Bool
        public let expiresSoon: Bool
        /// The revocation's first day and reason; nil while the device is not revoked.
        public let revokedOn: String?
        public let revocationReason: String?
        /// The day of its newest change held here; nil when none.
        public let lastChange: String?
        public let changes: Int
        public let equivocating: Bool
        public let isThisDevice: Bool
        /// What the relay said of it (sync.md §3.1 STATUS), in words: when its last session there ended and how
        /// far behind it is; nil when the relay was not asked.
        public var atRelay: String?
        /// Changes of its scopes the relay stored after its last session there; nil when not asked or never seen.
        public var behindAtRelay: Int?
    }

    public internal(set) var rows: [Row]
    public let alerts: [String]
    public let canRevoke: Bool
    /// Why the relay could not be asked (unreachable, refused), in words; nil when it answered or was not asked.
    public var relayProblem: String?
    /// Whether the relay was asked and answered.
    public var relayAnswered = false
}

extension EnrollmentCommands {
    /// How close to expiry a certificate is flagged, in ms (30 days).
    static let expiryWarningMs: UInt64 = 30 * 86_400_000

    static func devices(_ replica: Replica, now: UInt64, language l: Language) throws(AppError) -> DevicesView {
        let devices = try attempt { () throws(StoreError) in try replica.log.districtDevices() }
        let alerts = try ReplicaCommands.alerts(replica)
        let equivocators = Set(alerts.equivocations.map(\.device))
        func day(_ ms: UInt64) -> String { (try? SimpleDate(unixMilliseconds: ms).description) ?? "?" }
        let rows = devices.map { d in
            let c = d.certificate
            let lastDay = c.validUntil > 0 ? c.validUntil - 1 : 0
            return DevicesView.Row(
                key: d.key.hex, fingerprint: d.key.fingerprint.text, name: c.name, role: l.label(c.role), scopes: c.scopes.map(\.value),
                validUntil: day(lastDay), expired: c.validUntil <= now,
                expiresSoon: c.validUntil > now && c.validUntil - now < expiryWarningMs,
                revokedOn: d.revokedAt.map(day), revocationReason: d.revocationReason, lastChange: d.lastChangeMs.map(day),
                changes: d.changes, equivocating: equivocators.contains(d.key.fingerprint.text),
                isThisDevice: d.key == replica.key.publicKey, atRelay: nil, behindAtRelay: nil)
        }
        let canRevoke = FileManager.default.fileExists(atPath: replica.directory + "/" + authorityKeyFile)
        return DevicesView(rows: rows, alerts: alerts.lines(l), canRevoke: canRevoke)
    }

    /// One device's line from the relay's answer: last session there, then up to date or how far behind.
    static func relayLine(_ seen: DeskMessage.DeviceSeen?, now: UInt64, _ l: Language) -> String {
        guard let seen else { return l.say(ConsoleMessages.relayNeverSeen) }
        let when = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(seen.lastSeen) / 1000))
        guard seen.behind > 0 else { return l.say(ConsoleMessages.relayLastSeenUpToDate, when) }
        let minutes = seen.oldestUnseen > 0 && now > seen.oldestUnseen ? (now - seen.oldestUnseen) / 60_000 : 0
        return l.say(ConsoleMessages.relayLastSeenBehind, when, Int(seen.behind), Int(minutes))
    }

    /// Revokes `device` (64 hex) from now with the authority key kept in this device's folder, opened
    /// with `passphrase`; publishes the revocation in `_admin` so every device and relay learns it at
    /// its next sync, then rotates the keys of the scopes the device held (privacy.md §2(c)). Returns
    /// the scopes rotated.
    static func revokeNow(_ replica: Replica, device: String, reason: String, passphrase: String) throws(AppError) -> [String] {
        guard let subject = try? PublicKey(hex: device) else { throw .invalidArgument(option: "device", value: device) }
        guard subject != replica.key.publicKey else { throw .revokingThisDevice }
        let path = replica.directory + "/" + authorityKeyFile
        guard FileManager.default.fileExists(atPath: path) else { throw .fileMissing(path: path) }
        let authority = try attempt { () throws(StoreError) in try AuthorityKeyFile.load(at: path, passphrase: passphrase) }
        let revocation: Revocation
        do {
            revocation = try Revocation.issue(by: authority, subject: subject, revokedAt: Replica.nowMilliseconds(), reason: reason)
        } catch { throw .trust(error) }
        _ = try attempt { () throws(StoreError) in try replica.write(scope: .admin, payload: AdminPayload.revocation(revocation).encoded) }
        return try PrivacyCommands.keyRound(replica, newcomers: false).map(\.scope)
    }
}
