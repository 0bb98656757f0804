import BaoxueCore
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

    init(db: Database, authority: PublicKey) throws {
        self.db = db
        self.authority = authority
        chain = CertificateChain(authority: authority)
        for bytes in try Data.fetchAll(db, sql: "SELECT encoded FROM certificate WHERE may_issue = 1") {
            if let d = try? Certificate.decode(Array(bytes)) { chain.learn(delegation: d) }
        }
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
            let cert: Certificate
            do {
                guard case .certificate(let c) = try AdminPayload.decode(change.payload) else { return nil }
                cert = c
            } catch {
                return (error, change.author)
            }
            do { try chain.validate(cert, at: cert.validFrom) } catch { return (error, cert.issuer) }
            return nil
        }
        let certs = try certificates(of: change.author)
        guard !certs.isEmpty else { return (.noCertificate(change.author), change.author) }
        let ops = (try? (payload ?? Result { () throws(RecordsError) in try RecordPayload.decode(change.payload) }).get().ops) ?? []
        var last = TrustError.noCertificate(change.author)
        for cert in certs {
            do {
                try chain.validate(cert, at: change.timestamp.milliseconds)
                try Permissions.check(ops, scope: change.scope, under: cert)
                return nil
            } catch {
                last = error
            }
        }
        return (last, change.author)
    }

    /// Records the certificate of an applied `_admin` change; returns its subject.
    mutating func learn(_ change: Change) throws -> PublicKey? {
        guard change.scope == .admin, case .certificate(let cert)? = try? AdminPayload.decode(change.payload) else { return nil }
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO certificate (encoded, subject, may_issue) VALUES (?, ?, ?)")
            .execute(arguments: [Data(cert.encoded), Data(cert.subject.bytes), cert.mayIssue ? 1 : 0])
        byAuthor[cert.subject] = nil
        if cert.mayIssue { chain.learn(delegation: cert) }
        return cert.subject
    }

    private mutating func certificates(of key: PublicKey) throws -> [Certificate] {
        if let known = byAuthor[key] { return known }
        let certs = try Data.fetchAll(db.cachedStatement(sql: "SELECT encoded FROM certificate WHERE subject = ?"), arguments: [Data(key.bytes)])
            .compactMap { try? Certificate.decode(Array($0)) }
        byAuthor[key] = certs
        return certs
    }
}
