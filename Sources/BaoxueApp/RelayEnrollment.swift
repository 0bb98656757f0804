import BaoxueCore
import BaoxuePrivacy
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTransport
import BaoxueTrust
import Foundation

/// Enrollment through the relay's desk (sync.md §3.1): a new device leaves its signed request at the
/// relay and later collects the decision; an admin holding a delegation lists the requests within its
/// scopes and approves (a certificate it signs, the registry key sealed to the device) or rejects.
///
/// Files: a device waiting for a decision keeps `enrollment-pending` (its request and the authority
/// it was told, one armored line each); it goes once the decision arrives.
public enum RelayEnrollment {
    static let pendingFile = "enrollment-pending"
    static let authorityLabel = "baoxue-authority-v1"

    /// Where this device's request stands.
    public enum Status: Equatable, Sendable {
        case waiting(fingerprint: String)
        case certified(EnrollmentCommands.CertificateView)
        case rejected(reason: String)

        public func text(_ l: Language) -> String {
            switch self {
            case .waiting(let fingerprint): l.say(EnrollmentMessages.requestWaiting, fingerprint)
            case .certified(let view): view.text(l, l.say(EnrollmentMessages.approvedAndKept))
            case .rejected(let reason): l.say(EnrollmentMessages.requestRejected, reason)
            }
        }
    }

    /// A request waiting at the desk, as the admin's console shows it.
    public struct WaitingRequest: Sendable, Equatable {
        public let request: EnrollmentRequest
        public let receivedAt: UInt64
        public var fingerprint: String { request.subject.fingerprint.text }

        /// One line: who, role, scopes, fingerprint, when received, and the key to approve or reject by.
        public func line(_ l: Language) -> String {
            let when = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(receivedAt) / 1000))
            return [
                request.name, l == .zh ? request.role.chinese : request.role.english, request.scopes.map(\.value).joined(separator: ", "),
                l.say(EnrollmentMessages.compareFingerprint) + " " + fingerprint, l.say(EnrollmentMessages.requestReceived, when),
                request.subject.hex,
            ].joined(separator: " · ")
        }
    }

    /// Writes this device's request, remembers the authority it was told, and leaves the request at `relay`.
    public static func request(
        directory: String, name: String, role: String, scopes: [String], relay: String, authority: String
    ) async throws(AppError) -> Status {
        guard let authorityKey = try? PublicKey(hex: authority) else { throw .invalidArgument(option: "--authority", value: authority) }
        _ = try SyncCommands.address(relay, option: "--relay")
        let view = try EnrollmentCommands.request(directory: directory, name: name, role: role, scopes: scopes, output: nil)
        let request = try EnrollmentCommands.read(view.path)
        try EnrollmentCommands.write(request + Armor.wrap(authorityLabel, authorityKey.bytes), to: directory + "/" + pendingFile)
        return try await collect(try ReplicaCommands.open(directory), relay: relay)
    }

    /// Whether this device has a request waiting (and so asks the desk before syncing).
    static func isWaiting(_ replica: Replica) -> Bool {
        replica.log.authority == nil && FileManager.default.fileExists(atPath: replica.directory + "/" + pendingFile)
    }

    /// Asks the desk how this device's request stands; a certificate that arrived is checked and kept.
    public static func collect(_ replica: Replica, relay: String) async throws(AppError) -> Status {
        let path = replica.directory + "/" + pendingFile
        let text = try EnrollmentCommands.read(path)
        let request: [UInt8]
        let authority: PublicKey
        do throws(TrustError) {
            request = try Armor.unwrap(Armor.request, text)
            guard let key = try? PublicKey(bytes: try Armor.unwrap(authorityLabel, text)) else { throw .malformed("authority key") }
            authority = key
        } catch { throw .trust(error) }
        let answer = try await ask(replica, relay: relay, .enroll(request: request), policy: SyncPolicy(), certificates: []) {
            _, presented in relayGrant(presented, authority: authority)
        }
        switch answer {
        case .enrollment(.waiting):
            return .waiting(fingerprint: replica.key.publicKey.fingerprint.text)
        case .enrollment(.rejected(let reason)):
            try? FileManager.default.removeItem(atPath: path)
            return .rejected(reason: reason)
        case .enrollment(.certified(let certificates, let sealed)):
            let decoded: [Certificate]
            do { decoded = try certificates.map { bytes throws(TrustError) in try Certificate.decode(bytes) } } catch {
                throw .trust(error)
            }
            let view = try EnrollmentCommands.keep(
                directory: replica.directory, decoded[0], delegations: Array(decoded.dropFirst()),
                registryKeyBox: sealed.isEmpty ? nil : sealed, authority: authority)
            try? FileManager.default.removeItem(atPath: path)
            return .certified(view)
        default:
            throw .sync(.unexpectedMessage(type: answer.kind.rawValue))
        }
    }

    /// The relay a new device reaches must show a relay certificate chaining to the authority it was told.
    static func relayGrant(_ presented: [[UInt8]], authority: PublicKey) -> SyncPolicy.Grant? {
        let certs = presented.compactMap { try? Certificate.decode($0) }
        guard let own = certs.first, own.role == .relay else { return nil }
        var chain = CertificateChain(authority: authority)
        for d in certs.dropFirst() { chain.learn(delegation: d) }
        guard (try? chain.validate(own, at: Replica.nowMilliseconds())) != nil else { return nil }
        return .within(own.scopes)
    }

    // MARK: - The admin's side

    public static func waiting(directory: String, relay: String) async throws(AppError) -> [WaitingRequest] {
        try await waiting(try ReplicaCommands.open(directory), relay: relay)
    }

    public static func approve(directory: String, relay: String, subject: String, days: Int) async throws(AppError) -> [WaitingRequest] {
        try await approve(try ReplicaCommands.open(directory), relay: relay, subject: subject, days: days)
    }

    public static func reject(directory: String, relay: String, subject: String, reason: String) async throws(AppError) -> [WaitingRequest]
    {
        try await reject(try ReplicaCommands.open(directory), relay: relay, subject: subject, reason: reason)
    }

    /// The requests waiting at `relay` within this admin's scopes, oldest first.
    public static func waiting(_ replica: Replica, relay: String) async throws(AppError) -> [WaitingRequest] {
        try held(try await askAsAdmin(replica, relay: relay, .pending))
    }

    /// Approves a waiting request: a certificate signed by this device under its delegation, for the role and
    /// scopes asked, valid `days` days (never past the delegation), with the registry key sealed to the device.
    public static func approve(_ replica: Replica, relay: String, subject: String, days: Int) async throws(AppError) -> [WaitingRequest] {
        guard days >= 1, days <= 3_660 else { throw .valueOutOfRange(option: "--days", value: days, allowed: 1...3_660) }
        guard let request = try await waiting(replica, relay: relay).first(where: { $0.request.subject.hex == subject })?.request else {
            throw .sync(.deskRefused("no_such_request"))
        }
        let now = Replica.nowMilliseconds()
        let delegation = try ownDelegation(replica, covering: request, at: now)
        let cert: Certificate
        let sealed: [UInt8]
        do {
            cert = try Certificate.issue(
                by: replica.key, subject: request.subject, role: request.role, validFrom: now,
                validUntil: min(delegation.validUntil, now + UInt64(days) * 86_400_000), name: request.name, scopes: request.scopes)
        } catch { throw .trust(error) }
        if request.role == .relay {
            sealed = []
        } else {
            // Only the district's key makes ids agree across the district; a key made here would not.
            guard let held = try attempt({ () throws(StoreError) in try replica.log.registryKey() }), held.source == .district else {
                throw .noRegistryKey
            }
            do { sealed = try held.key.sealed(to: request.subject) } catch {
                throw .trust(.malformed("the request's device key cannot receive the registry key"))
            }
        }
        let answer = DeskMessage.EnrollmentAnswer.certified(certificates: [cert.encoded, delegation.encoded], sealedRegistryKey: sealed)
        return try held(try await askAsAdmin(replica, relay: relay, .decide(subject: request.subject, answer: answer)))
    }

    /// Rejects a waiting request; the device is told `reason` at its next sync.
    public static func reject(_ replica: Replica, relay: String, subject: String, reason: String) async throws(AppError) -> [WaitingRequest]
    {
        guard let key = try? PublicKey(hex: subject) else { throw .invalidArgument(option: "DEVICE", value: subject) }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw .invalidArgument(option: "--reason", value: reason) }
        return try held(try await askAsAdmin(replica, relay: relay, .decide(subject: key, answer: .rejected(reason: why))))
    }

    /// What `relay` says of the devices within this admin's scopes: last session there, and how far behind.
    public static func seen(_ replica: Replica, relay: String) async throws(AppError) -> [PublicKey: DeskMessage.DeviceSeen] {
        guard case .seen(let devices) = try await askAsAdmin(replica, relay: relay, .status) else {
            throw .sync(.unexpectedMessage(type: SyncMessage.Kind.seen.rawValue))
        }
        return Dictionary(devices.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// This device's own delegation (a certificate with the power to issue) that covers the request.
    static func ownDelegation(_ replica: Replica, covering request: EnrollmentRequest, at now: UInt64) throws(AppError) -> Certificate {
        let mine = try attempt { () throws(StoreError) in try replica.log.presentableCertificates(of: replica.key.publicKey, at: now) }
            .compactMap { try? Certificate.decode($0) }
            .filter { $0.subject == replica.key.publicKey && $0.mayIssue && $0.isValid(at: now) }
        guard let d = mine.first(where: { d in request.scopes.allSatisfy { d.covers($0) } }) else {
            throw mine.isEmpty
                ? .noDelegation
                : .scopeNotCovered(
                    scope: request.scopes.map(\.value).joined(separator: ", "),
                    held: mine.flatMap(\.scopes).map(\.value))
        }
        return d
    }

    static func askAsAdmin(_ replica: Replica, relay: String, _ question: DeskMessage) async throws(AppError) -> DeskMessage {
        let (certificates, vouch) = SyncCommands.presentation(for: replica)
        return try await ask(
            replica, relay: relay, question, policy: try SyncCommands.policy(for: replica), certificates: certificates, vouch: vouch)
    }

    static func held(_ answer: DeskMessage) throws(AppError) -> [WaitingRequest] {
        guard case .requests(let list) = answer else { throw .sync(.unexpectedMessage(type: answer.kind.rawValue)) }
        return list.compactMap { h in
            (try? EnrollmentRequest.decode(h.request)).map { WaitingRequest(request: $0, receivedAt: h.receivedAt) }
        }
    }

    /// One desk session with `relay`: the question out, the reply back.
    static func ask(
        _ replica: Replica, relay: String, _ question: DeskMessage, policy: SyncPolicy, certificates: [[UInt8]],
        vouch: SyncPolicy.Vouch?
    ) async throws(AppError) -> DeskMessage {
        let (host, port) = try SyncCommands.address(relay, option: "--relay")
        let summary: SyncSummary
        do {
            let endpoint = try SyncEndpoint.make(
                role: .initiator, key: replica.key, store: replica.log, policy: policy, now: SyncClock.now(),
                certificates: certificates, vouch: vouch, question: question)
            summary = try await SyncClient.sync(host: host, port: port, endpoint: endpoint)
        } catch { throw .sync(error) }
        guard let answer = summary.deskAnswer else { throw .sync(.connectionClosed) }
        return answer
    }
}
