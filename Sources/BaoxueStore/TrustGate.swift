import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueTrust
import Foundation
import GRDB

/// Decides, inside an append transaction, whether a change may be applied
/// under the replica's pinned authority (`Protocol/trust.md` §4, §6), and
/// learns certificates from applied `_admin` changes.
///
/// Invariant: a change it refuses is stored as quarantined and waits on one
/// key (its author, or for a certificate its issuer); when a certificate for
/// that key is learnt, the change is checked again.
struct TrustGate {
    let authority: PublicKey
    private let db: Database
    private var chain: CertificateChain
    private var byAuthor: [PublicKey: [Certificate]] = [:]
    private var revokedAt: [PublicKey: UInt64?] = [:]

    /// What an applied `_admin` change taught the gate.
    enum Learnt {
        case certificate(subject: PublicKey)
        case revocation(subject: PublicKey, at: UInt64)
        case ruling(Ruling)
        case policy(DistrictPolicy)
    }

    /// Signature checks shared with other replicas of the process (`SignatureMemo`), if any.
    private let memo: SignatureMemo?
    /// The log's decoded certificates.
    private let decoded: DecodedCertificates

    init(db: Database, authority: PublicKey, memo: SignatureMemo? = nil, decoded: DecodedCertificates) throws {
        self.db = db
        self.memo = memo
        self.decoded = decoded
        self.authority = authority
        chain = Self.chain(authority, knowing: try Self.certificates(db, where: "may_issue = 1", decoded: decoded))
    }

    /// Stored certificates (all, or those matching a SQL condition on the `certificate` table).
    static func certificates(
        _ db: Database, where condition: String = "1", arguments: StatementArguments = [],
        decoded: DecodedCertificates
    ) throws -> [Certificate] {
        try Data.fetchAll(db.cachedStatement(sql: "SELECT encoded FROM certificate WHERE \(condition)"), arguments: arguments)
            .compactMap { decoded.decode($0) }
    }

    /// A chain to `authority` that knows the delegations among `certificates`.
    static func chain(_ authority: PublicKey, knowing certificates: [Certificate]) -> CertificateChain {
        var chain = CertificateChain(authority: authority)
        for d in certificates where d.mayIssue { chain.learn(delegation: d) }
        return chain
    }

    /// The key a refused change waits on: `[0x00] ‖ key` in the `waiting` table (ids are 32 bytes, so no clash).
    static func waitingKey(_ key: PublicKey) -> Data { Data([0x00] + key.bytes) }

    /// What changes from a clock too far ahead wait on; re-checked at every append.
    static let futureKey = Data([0x01])
    /// How far ahead of local time a change's clock may be (trust.md §6): 24 h.
    static let futureTolerance: UInt64 = 24 * 3_600_000

    /// Nil when `change` may be applied; otherwise why not and whose certificate it waits for.
    mutating func refusal(_ change: Change, payload: Result<RecordPayload, RecordsError>?) throws -> (TrustError, waitsOn: PublicKey)? {
        if change.scope == .admin {
            let admin: AdminPayload
            do { admin = try adminPayload(change.payload) } catch { return (error, change.author) }
            switch admin {
            case .certificate(let cert):
                // The same certificate carried again by another device: its bytes were validated
                // when they first applied, so its signature is not checked a second time.
                if try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT 1 FROM certificate WHERE encoded = ?"), arguments: [Data(cert.encoded)]) == true
                {
                    return nil
                }
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
                return try authorRefusal(change) { cert throws(TrustError) in try Permissions.checkPolicy(district: p.district, under: cert)
                }
            case .figures(let f):
                // Figures describe a month that is over: published before its last day they would be guesses.
                guard let signed = try? SimpleDate(unixMilliseconds: change.timestamp.milliseconds), f.isOver(on: signed) else {
                    return (.malformed("figures of a month not yet over"), change.author)
                }
                return try authorRefusal(change) { cert throws(TrustError) in try Permissions.checkFigures(school: f.school, under: cert) }
            }
        }
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

    /// Why an applied transfer (privacy.md §2(b)) may not hand over the old school's history:
    /// its author must also grant keys in `source` (a district admin, or an admin of both
    /// schools). Checked by each reader once opened: the relay cannot see the source.
    mutating func transferRefusal(_ change: Change, from source: ScopeID) throws -> TrustError? {
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
                // Certificates and delegations in the table were verified when their changes applied.
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

    /// An `_admin` payload; a certificate through the log's decoded certificates (the gate reads
    /// each certificate change twice, to admit it and to learn it, and every device of a township receives it).
    private func adminPayload(_ bytes: [UInt8]) throws(TrustError) -> AdminPayload {
        if bytes.first == AdminPayload.certificateTag, let certificate = decoded.decode(Data(bytes.dropFirst())) {
            return .certificate(certificate)
        }
        return try AdminPayload.decode(bytes)
    }

    /// Records what an applied `_admin` change carries.
    mutating func learn(_ change: Change) throws -> Learnt? {
        guard change.scope == .admin, let payload = try? adminPayload(change.payload) else { return nil }
        switch payload {
        case .certificate(let cert):
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO certificate (encoded, subject, may_issue) VALUES (?, ?, ?)")
                .execute(arguments: [Data(cert.encoded), Data(cert.subject.bytes), cert.mayIssue ? 1 : 0])
            byAuthor[cert.subject] = nil
            if cert.mayIssue { chain.learn(delegation: cert) }
            return .certificate(subject: cert.subject)
        case .revocation(let r):
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO revocation (encoded, subject, revoked_at, change) VALUES (?, ?, ?, ?)")
                .execute(arguments: [Data(r.encoded), Data(r.subject.bytes), Int64(r.revokedAt), Data(change.id.bytes)])
            revokedAt[r.subject] = nil
            return .revocation(subject: r.subject, at: try revocation(of: r.subject) ?? r.revokedAt)
        case .ruling(let r):
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO ruling (target, kind, change) VALUES (?, ?, ?)")
                .execute(arguments: [Data(r.target.bytes), Int(r.kind.rawValue), Data(change.id.bytes)])
            return .ruling(r)
        case .policy:
            return try Self.learnPolicy(change, db: db)
        case .figures:
            try ChangeLog.learnFigures(change, db: db)
            return nil
        }
    }

    /// What a replica with no authority pinned learns from an applied `_admin` change: a school's
    /// published figures (trust.md §10) or a district policy, returned as learnt (§9).
    static func learnUnpinned(_ change: Change, db: Database) throws -> Learnt? {
        try ChangeLog.learnFigures(change, db: db)
        return try learnPolicy(change, db: db)
    }

    /// Stores the district policy an applied `_admin` change carries (trust.md §9); nil for any other change.
    static func learnPolicy(_ change: Change, db: Database) throws -> Learnt? {
        guard change.scope == .admin, change.payload.first == AdminPayload.policyTag,
            case .policy(let p)? = try? AdminPayload.decode(change.payload),
            let signed = try? SimpleDate(unixMilliseconds: change.timestamp.milliseconds), p.takesEffect(signedOn: signed)
        else { return nil }
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO district_policy (change, hlc, encoded) VALUES (?, ?, ?)")
            .execute(arguments: [Data(change.id.bytes), change.timestamp.packed, Data(p.encoded)])
        return .policy(p)
    }

    /// True when a district admin accepted `id` despite its clock.
    func clockAccepted(_ id: ChangeID) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM ruling WHERE target = ? AND kind = \(Ruling.Kind.acceptClock.rawValue))"),
            arguments: [Data(id.bytes)]) ?? false
    }

    /// The earliest revocation time of `key`, if revoked.
    private mutating func revocation(of key: PublicKey) throws -> UInt64? {
        if let known = revokedAt[key] { return known }
        let at = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT MIN(revoked_at) FROM revocation WHERE subject = ?"),
            arguments: [Data(key.bytes)]
        ).map { UInt64($0) }
        revokedAt[key] = .some(at)
        return at
    }

    private mutating func certificates(of key: PublicKey) throws -> [Certificate] {
        if let known = byAuthor[key] { return known }
        let certs = try Self.certificates(db, where: "subject = ?", arguments: [Data(key.bytes)], decoded: decoded)
        byAuthor[key] = certs
        return certs
    }
}
