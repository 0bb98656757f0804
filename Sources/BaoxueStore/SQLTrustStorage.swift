import BaoxueCore
import BaoxueLog
import BaoxueRecords
import BaoxueTrust
import Foundation
import GRDB

/// The trust gate's storage on a replica or a SQLite relay: the `certificate`, `revocation` and
/// `ruling` tables, written in the transaction that appends the batch (`TrustGate` decides).
struct SQLTrustStorage: TrustStorage {
    let db: Database
    /// The log's decoded certificates.
    let decoded: DecodedCertificates

    func holdsCertificate(_ encoded: [UInt8]) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM certificate WHERE encoded = ?"), arguments: [Data(encoded)]) == true
    }

    func certificates(of subject: PublicKey) throws -> [Certificate] {
        try Self.certificates(db, where: "subject = ?", arguments: [Data(subject.bytes)], decoded: decoded)
    }

    func delegations() throws -> [Certificate] { try Self.certificates(db, where: "may_issue = 1", decoded: decoded) }

    func revocation(of subject: PublicKey) throws -> UInt64? {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT MIN(revoked_at) FROM revocation WHERE subject = ?"), arguments: [Data(subject.bytes)]
        ).map { UInt64($0) }
    }

    func clockAccepted(_ id: ChangeID) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM ruling WHERE target = ? AND kind = \(Ruling.Kind.acceptClock.rawValue))"),
            arguments: [Data(id.bytes)]) ?? false
    }

    func upheld(_ id: ChangeID) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM ruling WHERE target = ? AND kind = \(Ruling.Kind.uphold.rawValue))"),
            arguments: [Data(id.bytes)]) ?? false
    }

    func store(_ certificate: Certificate) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO certificate (encoded, subject, may_issue) VALUES (?, ?, ?)")
            .execute(arguments: [Data(certificate.encoded), Data(certificate.subject.bytes), certificate.mayIssue ? 1 : 0])
    }

    func store(_ revocation: Revocation, in change: ChangeID) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO revocation (encoded, subject, revoked_at, change) VALUES (?, ?, ?, ?)")
            .execute(arguments: [
                Data(revocation.encoded), Data(revocation.subject.bytes), Int64(revocation.revokedAt), Data(change.bytes),
            ])
    }

    func store(_ ruling: Ruling, in change: ChangeID) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO ruling (target, kind, change) VALUES (?, ?, ?)")
            .execute(arguments: [Data(ruling.target.bytes), Int(ruling.kind.rawValue), Data(change.bytes)])
    }

    /// Stored certificates (all, or those matching a SQL condition on the `certificate` table).
    static func certificates(
        _ db: Database, where condition: String = "1", arguments: StatementArguments = [], decoded: DecodedCertificates
    ) throws -> [Certificate] {
        try Data.fetchAll(db.cachedStatement(sql: "SELECT encoded FROM certificate WHERE \(condition)"), arguments: arguments)
            .compactMap { decoded.decode($0) }
    }

    /// A chain to `authority` that knows the stored delegations.
    static func chain(_ db: Database, authority: PublicKey, decoded: DecodedCertificates) throws -> CertificateChain {
        CertificateChain(authority: authority, knowing: try certificates(db, where: "may_issue = 1", decoded: decoded))
    }

    /// What a replica with no authority pinned learns from an applied `_admin` change: a district
    /// policy (trust.md §9) or a school's published figures (§10), unchecked: it checks nothing.
    static func learnUnpinned(_ change: Change) -> TrustGate<SQLTrustStorage>.Learnt? {
        guard change.scope == .admin, let payload = try? AdminPayload.decode(change.payload),
            let signed = try? SimpleDate(unixMilliseconds: change.timestamp.milliseconds)
        else { return nil }
        switch payload {
        case .policy(let p) where p.takesEffect(signedOn: signed): return .policy(p)
        case .figures(let f) where f.isOver(on: signed): return .figures(f)
        default: return nil
        }
    }

    /// Stores a district policy an applied `_admin` change carries (trust.md §9).
    static func store(_ policy: DistrictPolicy, of change: Change, db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO district_policy (change, hlc, encoded) VALUES (?, ?, ?)")
            .execute(arguments: [Data(change.id.bytes), change.timestamp.packed, Data(policy.encoded)])
    }
}
