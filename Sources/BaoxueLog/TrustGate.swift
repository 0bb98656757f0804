import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueTrust

/// Decides whether a change may apply under a pinned authority (`Protocol/trust.md` §4, §6), and
/// learns certificates, revocations and rulings from applied `_admin` changes, over any
/// `TrustStorage`: every replica and every relay, on SQLite or PostgreSQL, refuses exactly the same
/// changes for the same reasons.
///
/// Invariant: a change it refuses waits on one `LogWait` (its author's key, for a certificate its
/// issuer's, or the clock); learning a certificate for that key is what lets the host check it again.
public struct TrustGate<Storage: TrustStorage> {
    public let authority: PublicKey
    public private(set) var storage: Storage
    private var chain: CertificateChain
    private var byAuthor: [PublicKey: [Certificate]] = [:]
    private var revokedAt: [PublicKey: UInt64?] = [:]
    /// Signature checks shared with other replicas of the process, if any.
    private let memo: SignatureMemo?
    /// How a certificate's bytes are decoded (a host may share decoded certificates between logs).
    private let decodeCertificate: @Sendable ([UInt8]) -> Certificate?

    /// How far ahead of local time a change's clock may be (trust.md §6): 24 h.
    public static var futureTolerance: UInt64 { LogRules.futureTolerance }

    /// What an applied `_admin` change taught the gate; policies and figures are only read, for the
    /// host's views (a policy that would rewrite the past and figures of a month not over are refused first).
    public enum Learnt: Sendable {
        case certificate(subject: PublicKey)
        case revocation(subject: PublicKey, at: UInt64)
        case ruling(Ruling)
        case policy(DistrictPolicy)
        case figures(PublishedFigures)
    }

    public init(
        authority: PublicKey, storage: Storage, memo: SignatureMemo? = nil,
        decodeCertificate: @escaping @Sendable ([UInt8]) -> Certificate? = { try? Certificate.decode($0) }
    ) throws {
        self.authority = authority
        self.storage = storage
        self.memo = memo
        self.decodeCertificate = decodeCertificate
        chain = CertificateChain(authority: authority, knowing: try self.storage.delegations())
    }

    /// The record payload `refusal` decodes to check `change`, decoded here once (nil for a change the
    /// gate checks otherwise): a host whose rules may run several times for one batch (a storage read
    /// ahead, a transaction run again) decodes each payload once, as a replica does on its verifying thread.
    public static func recordPayload(of change: Change) -> Result<RecordPayload, RecordsError>? {
        guard change.scope != .admin, !change.isWitnessReceipt, !MemberDeparture.isDeparture(change.payload),
            !MemberGrant.isGrant(change.payload), !SealedPayload.isSealed(change.payload)
        else { return nil }
        return Result { () throws(RecordsError) in try RecordPayload.decode(change.payload) }
    }

    /// Nil when `change` may apply at local time `now` (ms); otherwise why not and what it waits on.
    public mutating func refusal(
        _ change: Change, payload: Result<RecordPayload, RecordsError>? = nil, now: UInt64
    ) throws -> (QuarantineReason, LogWait)? {
        if change.timestamp.milliseconds > now &+ Self.futureTolerance, try !storage.clockAccepted(change.id) {
            return (.futureClock, .clock)
        }
        guard let (error, key) = try refusal(change, payload: payload) else { return nil }
        return (QuarantineReason(code: error.code), .certificate(key))
    }

    /// Nil when `change`'s author (or, for an `_admin` payload, its issuer) may make it; otherwise
    /// why not and whose certificate it waits for. The clock is not looked at.
    public mutating func refusal(
        _ change: Change, payload: Result<RecordPayload, RecordsError>?
    ) throws -> (TrustError, waitsOn: PublicKey)? {
        if change.scope == .admin { return try adminRefusal(change) }
        if change.isWitnessReceipt {
            return try authorRefusal(change) { cert throws(TrustError) in try Permissions.checkWitness(scope: change.scope, under: cert) }
        }
        // Encrypted payloads and key grants declare their operations in clear (privacy.md §3).
        // A member's departure is a key matter of the school: whoever grants its keys may state it.
        if MemberDeparture.isDeparture(change.payload) {
            guard (try? MemberDeparture(bytes: change.payload)) != nil else { return (.malformed("member departure"), change.author) }
            return try authorRefusal(change) { cert throws(TrustError) in
                try Permissions.check(operations: [.grantKeys], scope: change.scope, under: cert)
            }
        }
        if MemberGrant.isGrant(change.payload) {
            return try authorRefusal(change) { cert throws(TrustError) in
                try Permissions.check(operations: [.grantKeys], scope: change.scope, under: cert)
            }
        }
        // A grant or sealed payload that does not parse is refused here: it cannot pass for one declaring nothing.
        if SealedPayload.isSealed(change.payload) {
            guard let declared = try? SealedPayload(bytes: change.payload).declared else {
                return (.malformed("sealed payload"), change.author)
            }
            return try authorRefusal(change) { cert throws(TrustError) in
                try Permissions.check(operations: declared.operations, scope: change.scope, under: cert)
            }
        }
        // A record payload that does not parse declares nothing to check: refused, never let through as "no operations".
        guard
            case .success(let records) = payload
                ?? Result(catching: { () throws(RecordsError) in try RecordPayload.decode(change.payload) })
        else { return (.malformed("record payload"), change.author) }
        return try authorRefusal(change) { cert throws(TrustError) in
            try Permissions.check(records.ops, scope: change.scope, under: cert)
        }
    }

    private mutating func adminRefusal(_ change: Change) throws -> (TrustError, waitsOn: PublicKey)? {
        let admin: AdminPayload
        do { admin = try adminPayload(change.payload) } catch { return (error, change.author) }
        switch admin {
        case .certificate(let cert):
            // The same certificate carried again by another device: its bytes were validated when
            // they first applied, so its signature is not checked a second time.
            if try storage.holdsCertificate(cert.encoded) { return nil }
            do { try chain.validate(cert, at: cert.validFrom, memo: memo) } catch { return (error, cert.issuer) }
            return nil
        case .revocation(let r):
            guard r.issuer == authority else { return (.unknownIssuer(r.issuer), r.issuer) }
            guard r.signatureVerifies else { return (.badSignature, authority) }
            return nil
        case .ruling:
            return try authorRefusal(change) { cert throws(TrustError) in try Permissions.checkAdminister(under: cert) }
        case .policy(let p):
            // A policy never rewrites the past: it may not take effect before the day it was signed.
            guard let signed = try? SimpleDate(unixMilliseconds: change.timestamp.milliseconds), p.takesEffect(signedOn: signed) else {
                return (.malformed("policy takes effect before the day it was signed"), change.author)
            }
            return try authorRefusal(change) { cert throws(TrustError) in try Permissions.checkPolicy(district: p.district, under: cert) }
        case .figures(let f):
            // Figures describe a month that is over: published before its last day they would be guesses.
            guard let signed = try? SimpleDate(unixMilliseconds: change.timestamp.milliseconds), f.isOver(on: signed) else {
                return (.malformed("figures of a month not yet over"), change.author)
            }
            return try authorRefusal(change) { cert throws(TrustError) in try Permissions.checkFigures(school: f.school, under: cert) }
        }
    }

    /// Why an applied transfer (privacy.md §2(b)) may not hand over the old school's history:
    /// its author must also grant keys in `source` (a district admin, or an admin of both
    /// schools). Checked by each reader once opened: the relay cannot see the source.
    public mutating func transferRefusal(_ change: Change, from source: ScopeID) throws -> TrustError? {
        guard source != change.scope, source != .admin else { return .malformed("a transfer within one school") }
        return try authorRefusal(change) { cert throws(TrustError) in
            try Permissions.check(operations: [.grantKeys], scope: source, under: cert)
        }?.0
    }

    /// Nil when one of the author's certificates, valid at the change's time, passes `permits`
    /// and the author was not revoked by then; otherwise the last reason, waiting on the author.
    private mutating func authorRefusal(
        _ change: Change, permits: (Certificate) throws(TrustError) -> Void
    ) throws -> (TrustError, waitsOn: PublicKey)? {
        var last = TrustError.noCertificate(change.author)
        for cert in try certificates(of: change.author) {
            do throws(TrustError) {
                // Stored certificates and delegations were verified when their changes applied.
                try chain.validate(cert, at: change.timestamp.milliseconds, signaturesChecked: true)
                try permits(cert)
            } catch {
                last = error
                continue
            }
            if let at = try revocation(of: change.author), change.timestamp.milliseconds >= at {
                return (.revoked(at: at), change.author)
            }
            return nil
        }
        return (last, change.author)
    }

    /// An `_admin` payload, its certificate decoded through `decodeCertificate`.
    private func adminPayload(_ bytes: [UInt8]) throws(TrustError) -> AdminPayload {
        if bytes.first == AdminPayload.certificateTag, let certificate = decodeCertificate(Array(bytes.dropFirst())) {
            return .certificate(certificate)
        }
        return try AdminPayload.decode(bytes)
    }

    /// Stores what an applied `_admin` change carries, and says what it was.
    public mutating func learn(_ change: Change) throws -> Learnt? {
        guard change.scope == .admin, let payload = try? adminPayload(change.payload) else { return nil }
        switch payload {
        case .certificate(let cert):
            try storage.store(cert)
            byAuthor[cert.subject] = nil
            if cert.mayIssue { chain.learn(delegation: cert) }
            return .certificate(subject: cert.subject)
        case .revocation(let r):
            try storage.store(r, in: change.id)
            revokedAt[r.subject] = nil
            return .revocation(subject: r.subject, at: try revocation(of: r.subject) ?? r.revokedAt)
        case .ruling(let r):
            try storage.store(r, in: change.id)
            return .ruling(r)
        case .policy(let p):
            guard let signed = try? SimpleDate(unixMilliseconds: change.timestamp.milliseconds), p.takesEffect(signedOn: signed)
            else { return nil }
            return .policy(p)
        case .figures(let f):
            guard let signed = try? SimpleDate(unixMilliseconds: change.timestamp.milliseconds), f.isOver(on: signed) else { return nil }
            return .figures(f)
        }
    }

    /// Whether a stored ruling upheld `id` (one half of an equivocation).
    public mutating func upheld(_ id: ChangeID) throws -> Bool { try storage.upheld(id) }

    /// The earliest revocation time of `key`, if revoked.
    private mutating func revocation(of key: PublicKey) throws -> UInt64? {
        if let known = revokedAt[key] { return known }
        let at = try storage.revocation(of: key)
        revokedAt[key] = .some(at)
        return at
    }

    private mutating func certificates(of key: PublicKey) throws -> [Certificate] {
        if let known = byAuthor[key] { return known }
        let certs = try storage.certificates(of: key)
        byAuthor[key] = certs
        return certs
    }
}

extension TrustGate: Sendable where Storage: Sendable {}
