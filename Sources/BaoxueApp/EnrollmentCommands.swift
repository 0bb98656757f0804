import BaoxueCore
import BaoxuePrivacy
import BaoxueSodium
import BaoxueStore
import BaoxueTrust
import Foundation

/// What `authority init|sign` and `enroll request|accept` do, apart from parsing and printing.
///
/// Files: the authority folder holds `authority.key` (passphrase-sealed);
/// a replica keeps its accepted certificate in `certificate` and the pinned
/// authority key in `authority`. Requests and certificates travel as
/// one-line text files (`Armor`), so they fit a USB stick, a mail or a chat.
public enum EnrollmentCommands {
    public static let authorityKeyFile = "authority.key"

    /// One line about a certificate or request, for printing and JSON.
    public struct CertificateView: Encodable, Equatable, Sendable {
        public let subjectFingerprint: String
        public let name: String
        public let role: String
        public let roleChinese: String
        public let scopes: [String]
        public let validUntil: String?
        public let path: String

        init(subject: PublicKey, name: String, role: Role, scopes: [ScopeID], validUntil: UInt64?, path: String) {
            subjectFingerprint = subject.fingerprint.text
            self.name = name
            self.role = role.english
            roleChinese = role.chinese
            self.scopes = scopes.map(\.value)
            self.validUntil = validUntil.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double($0) / 1000)) }
            self.path = path
        }

        public func text(_ l: Language, _ what: String) -> String {
            let until = validUntil.map { l.say(TrustMessages.validUntil, $0) } ?? ""
            return
                "\(what)：\(name) · \(l == .zh ? roleChinese : role) · \(scopes.joined(separator: ", ")) · \(subjectFingerprint)\(until) → "
                + "\(path)"
        }
    }

    /// Creates the authority folder and its sealed key; returns its public key.
    public static func authorityInit(
        directory: String, passphrase: String, cost: PasswordBox.Cost = .moderate
    ) throws(AppError) -> IdentityLine {
        // A weak passphrase is refused before anything is created.
        try attempt { () throws(StoreError) in try PassphraseRule.check(passphrase) }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { throw .store(.io(path: directory, errno: errno)) }
        let key = DeviceKey.generate()
        try attempt { () throws(StoreError) in
            try AuthorityKeyFile.create(at: directory + "/" + authorityKeyFile, key: key, passphrase: passphrase, cost: cost)
        }
        return IdentityLine(key: key.publicKey)
    }

    /// Writes this device's enrollment request.
    public static func request(
        directory: String, name: String, role: String, scopes: [String], output: String?
    ) throws(AppError) -> CertificateView {
        let replica = try ReplicaCommands.open(directory)
        guard let r = TrustText.role(role) else { throw TrustText.roleChoices(role) }
        let scopeIDs = try parseScopes(scopes)
        let request: EnrollmentRequest
        do {
            request = try EnrollmentRequest.make(
                key: replica.key, role: r, name: name, scopes: scopeIDs, createdAt: Replica.nowMilliseconds())
        } catch { throw .trust(error) }
        let path = output ?? directory + "/enroll-request.txt"
        try write(Armor.wrap(Armor.request, request.encoded), to: path)
        return CertificateView(subject: replica.key.publicKey, name: name, role: r, scopes: scopeIDs, validUntil: nil, path: path)
    }

    /// The authority signs a request (role and scopes as requested unless overridden).
    public static func sign(
        directory: String, passphrase: String, requestPath: String, days: Int, role: String?, scopes: [String], output: String?
    ) throws(AppError) -> CertificateView {
        guard days >= 1, days <= 3_660 else { throw .invalidArgument(option: "--days", value: String(days)) }
        let text = try read(requestPath)
        let request: EnrollmentRequest
        do { request = try EnrollmentRequest.decode(try Armor.unwrap(Armor.request, text)) } catch { throw .trust(error) }
        let authority = try attempt { () throws(StoreError) in
            try AuthorityKeyFile.load(at: directory + "/" + authorityKeyFile, passphrase: passphrase)
        }
        let grantedRole =
            try role.map { (text: String) throws(AppError) -> Role in
                guard let r = TrustText.role(text) else { throw TrustText.roleChoices(text) }
                return r
            } ?? request.role
        let grantedScopes = scopes.isEmpty ? request.scopes : try parseScopes(scopes)
        let now = Replica.nowMilliseconds()
        let cert: Certificate
        do {
            cert = try Certificate.issue(
                by: authority, subject: request.subject, role: grantedRole, validFrom: now,
                validUntil: now + UInt64(days) * 86_400_000, name: request.name, scopes: grantedScopes)
        } catch { throw .trust(error) }
        let path = output ?? "certificate-\(request.subject.fingerprint.text).txt"
        var file = Armor.wrap(Armor.certificate, cert.encoded)
        // Every device but a relay gets the district's registry key, sealed to it (records.md §1.10).
        if grantedRole != .relay {
            do { file += Armor.wrap(Armor.registryKey, try RegistryKey.ofAuthority(authority).sealed(to: request.subject)) } catch {
                throw .trust(.malformed("the request's device key cannot receive the registry key"))
            }
        }
        try write(file, to: path)
        return CertificateView(
            subject: cert.subject, name: cert.name, role: cert.role, scopes: cert.scopes, validUntil: cert.validUntil, path: path)
    }

    /// The device checks its certificate against the authority key it was told, then keeps both.
    public static func accept(directory: String, certificatePath: String, authority: String) throws(AppError) -> CertificateView {
        guard let authorityKey = try? PublicKey(hex: authority) else { throw .invalidArgument(option: "--authority", value: authority) }
        let text = try read(certificatePath)
        let cert: Certificate
        let box: [UInt8]?
        do throws(TrustError) {
            cert = try Certificate.decode(try Armor.unwrap(Armor.certificate, text))
            box = try Armor.optional(Armor.registryKey, text)
        } catch { throw .trust(error) }
        return try keep(directory: directory, cert, delegations: [], registryKeyBox: box, authority: authorityKey)
    }

    /// Checks a certificate (and the delegation that issued it) against `authority` and this device's key,
    /// opens the registry key sealed to it, then pins the authority, keeps all three and publishes the
    /// certificates in `_admin` (the delegation first, so every replica can check the chain).
    static func keep(
        directory: String, _ cert: Certificate, delegations: [Certificate], registryKeyBox: [UInt8]?, authority: PublicKey
    ) throws(AppError) -> CertificateView {
        let replica = try ReplicaCommands.open(directory)
        guard cert.subject == replica.key.publicKey else {
            throw .certificateForAnotherDevice(theirs: cert.subject.fingerprint.text, ours: replica.key.publicKey.fingerprint.text)
        }
        var chain = CertificateChain(authority: authority)
        for d in delegations { chain.learn(delegation: d) }
        do throws(TrustError) { try chain.validate(cert, at: Replica.nowMilliseconds()) } catch { throw .trust(error) }
        let registry: RegistryKey?
        do {
            registry = try registryKeyBox.map { box throws(TrustError) in
                do { return try RegistryKey.open(box, as: replica.key) } catch {
                    throw .malformed("the registry key in the file is not sealed to this device")
                }
            }
        } catch { throw .trust(error) }
        try write(Armor.wrap(Armor.certificate, cert.encoded), to: directory + "/certificate")
        try write(authority.hex + "\n", to: directory + "/authority")
        if let registry { try attempt { () throws(StoreError) in try replica.log.keepRegistryKey(registry, source: .district) } }
        // Reopen first so the log enforces the authority just pinned.
        let pinned = try ReplicaCommands.open(directory)
        for c in delegations.filter({ $0.subject == cert.issuer }) + [cert] {
            _ = try attempt { () throws(StoreError) in try pinned.write(scope: .admin, payload: AdminPayload.certificate(c).encoded) }
        }
        return CertificateView(
            subject: cert.subject, name: cert.name, role: cert.role, scopes: cert.scopes, validUntil: cert.validUntil,
            path: directory + "/certificate")
    }

    /// The authority revokes a device key from `at` (ms) on; writes the revocation file.
    public static func revoke(
        directory: String, passphrase: String, device: String, at: UInt64?, reason: String, output: String?
    ) throws(AppError) -> String {
        guard let subject = try? PublicKey(hex: device) else { throw .invalidArgument(option: "DEVICE", value: device) }
        let authority = try attempt { () throws(StoreError) in
            try AuthorityKeyFile.load(at: directory + "/" + authorityKeyFile, passphrase: passphrase)
        }
        let revocation: Revocation
        do {
            revocation = try Revocation.issue(by: authority, subject: subject, revokedAt: at ?? Replica.nowMilliseconds(), reason: reason)
        } catch { throw .trust(error) }
        let path = output ?? "revocation-\(subject.fingerprint.text).txt"
        try write(Armor.wrap(Armor.revocation, revocation.encoded), to: path)
        return path
    }

    /// Appends a certificate or revocation file to this replica's log as an `_admin` change, so it syncs everywhere.
    /// Returns whether it applied (false: quarantined, e.g. not from the pinned authority).
    public static func publish(directory: String, file: String) throws(AppError) -> Bool {
        let replica = try ReplicaCommands.open(directory)
        let text = try read(file)
        let payload: AdminPayload
        do {
            if text.hasPrefix(Armor.revocation) {
                payload = .revocation(try Revocation.decode(try Armor.unwrap(Armor.revocation, text)))
            } else {
                payload = .certificate(try Certificate.decode(try Armor.unwrap(Armor.certificate, text)))
            }
        } catch { throw .trust(error) }
        let change = try attempt { () throws(StoreError) in try replica.write(scope: .admin, payload: payload.encoded) }
        return try attempt { () throws(StoreError) in try replica.log.quarantined() }.allSatisfy { $0.id != change.id }
    }

    /// A district admin's ruling on one stored change (trust.md §8), signed by this device.
    /// Refused here unless this device holds a district-admin certificate and the change is stored.
    public static func rule(directory: String, kind: Ruling.Kind, change: String) throws(AppError) -> Bool {
        let replica = try ReplicaCommands.open(directory)
        guard let id = try? ChangeID(hex: change) else { throw .invalidArgument(option: "CHANGE", value: change) }
        let role = try attempt { () throws(StoreError) in try replica.log.holder(of: replica.key.publicKey) }?.role
        guard role == .districtAdmin else {
            throw .trust(role.map { .roleForbids(role: $0, operation: .administer) } ?? .noCertificate(replica.key.publicKey))
        }
        guard try attempt({ () throws(StoreError) in try replica.log.contains(id) }) else { throw .store(.changeMissing(id)) }
        let ruling = try attempt { () throws(StoreError) in
            try replica.write(scope: .admin, payload: AdminPayload.ruling(Ruling(kind: kind, target: id)).encoded)
        }
        return try attempt { () throws(StoreError) in try replica.log.quarantined() }.allSatisfy { $0.id != ruling.id }
    }

    static func parseScopes(_ texts: [String]) throws(AppError) -> [ScopeID] {
        var out: [ScopeID] = []
        for t in texts {
            guard let s = try? ScopeID(t) else { throw .invalidArgument(option: "--scope", value: t) }
            out.append(s)
        }
        guard !out.isEmpty else { throw .invalidArgument(option: "--scope", value: "") }
        return out
    }

    static func read(_ path: String) throws(AppError) -> String {
        guard let data = FileManager.default.contents(atPath: path), data.count < 64 << 10 else {
            throw .store(.io(path: path, errno: ENOENT))
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func write(_ text: String, to path: String) throws(AppError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o644]) else {
            throw .store(.io(path: path, errno: errno))
        }
    }
}

/// A public key and its fingerprint, as printed after `authority init`.
public struct IdentityLine: Encodable, Equatable, Sendable {
    public let publicKey: String
    public let fingerprint: String

    init(key: PublicKey) {
        publicKey = key.hex
        fingerprint = key.fingerprint.text
    }
}
