import BaoxueCore
import BaoxueTrust
import Foundation
import GRDB

/// What `baoxue verify` found: every stored change re-verified, every stored certificate re-chained.
public struct VerificationReport: Sendable, Equatable {
    public var changes = 0
    public var authors = 0
    /// Positions of stored changes whose bytes no longer verify (or no longer match their id).
    public var failed: [Int64] = []
    public var certificates = 0
    /// Certificates that do not chain to the pinned authority (nil when none is pinned).
    public var certificateFailures: Int?

    public init() {}
}

extension ChangeLog {
    /// Re-verifies every stored change (signature and id) on `threads` cores, in chunks,
    /// reporting progress as (done, total); then every certificate against the pinned authority.
    public func verifyAll(threads: Int = 2, progress: (Int, Int) -> Void = { _, _ in }) throws(StoreError) -> VerificationReport {
        try storeCall {
            try readDB { db in
                var report = VerificationReport()
                let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change") ?? 0
                report.authors = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT author) FROM change") ?? 0
                let cursor = try Row.fetchCursor(db, sql: "SELECT position, id, bytes FROM change ORDER BY position")
                var chunk: [(Int64, Data, [UInt8])] = []
                func check() {
                    let encoded = chunk.map(\.2)
                    if let verified = try? BatchVerifier.verify(encoded, threads: threads) {
                        for (c, row) in zip(verified, chunk) where Data(c.id.bytes) != row.1 { report.failed.append(row.0) }
                    } else {
                        for row in chunk {
                            guard let c = try? Change.decodeVerified(row.2), Data(c.id.bytes) == row.1 else {
                                report.failed.append(row.0)
                                continue
                            }
                        }
                    }
                    report.changes += chunk.count
                    chunk.removeAll(keepingCapacity: true)
                    progress(report.changes, total)
                }
                while let row = try cursor.next() {
                    chunk.append((row[0], row[1], Array(row[2] as Data)))
                    if chunk.count == 10_000 { check() }
                }
                check()
                let certs = try SQLTrustStorage.certificates(db, decoded: decodedCertificates)
                report.certificates = certs.count
                if let authority {
                    let chain = CertificateChain(authority: authority, knowing: certs)
                    report.certificateFailures = certs.filter { (try? chain.validate($0, at: $0.validFrom)) == nil }.count
                }
                return report
            }
        }
    }
}

extension ChangeLog {
    /// The certified holder of `key` (name and role of its latest certificate), if any.
    public func holder(of key: PublicKey) throws(StoreError) -> (name: String, role: Role)? {
        try latestCertificate(of: key).map { ($0.name, $0.role) }
    }

    /// The certificate of `key` that runs the longest, whether or not it chains or is valid now (what
    /// the device says about itself; `certifiedPeers` says whom to trust).
    public func latestCertificate(of key: PublicKey) throws(StoreError) -> Certificate? {
        try storeCall {
            try readDB { db in
                try SQLTrustStorage.certificates(db, where: "subject = ?", arguments: [Data(key.bytes)], decoded: decodedCertificates)
                    .max { $0.validUntil < $1.validUntil }
            }
        }
    }
}

extension ChangeLog {
    /// Devices revoked at `ms`, each with the `_admin` changes that carry its revocations: all a
    /// relay or peer may still offer it (`SyncPolicy.Grant.revocationOnly`).
    public func revokedPeers(at ms: UInt64) throws(StoreError) -> [PublicKey: Set<ChangeID>] {
        try storeCall {
            try readDB { db in
                var out: [PublicKey: Set<ChangeID>] = [:]
                let rows = try Row.fetchAll(
                    db, sql: "SELECT subject, change FROM revocation WHERE revoked_at <= ? AND change IS NOT NULL",
                    arguments: [Int64(clamping: ms)])
                for row in rows {
                    guard let subject = try? PublicKey(bytes: Array(row[0] as Data)),
                        let id = try? ChangeID(bytes: Array(row[1] as Data))
                    else { continue }
                    out[subject, default: []].insert(id)
                }
                return out
            }
        }
    }
}

extension ChangeLog {
    /// Devices holding a certificate that chains to the pinned authority and is valid at `ms`,
    /// not revoked by then, with their certificates' scopes (plus the admin scope every
    /// certified device syncs). Empty when no authority is pinned.
    public func certifiedPeers(at ms: UInt64) throws(StoreError) -> [PublicKey: [ScopeID]] {
        try certified(at: ms, where: "1", arguments: [])
    }

    /// The scopes `peer`'s stored certificates grant at `ms` (with `_admin`), nil if none does.
    /// Reads only that peer's certificates and the delegations: a relay asks once per connection.
    public func certifiedScopes(of peer: PublicKey, at ms: UInt64) throws(StoreError) -> [ScopeID]? {
        try certified(at: ms, where: "subject = ?", arguments: [Data(peer.bytes)])[peer]
    }

    private func certified(
        at ms: UInt64, where condition: String, arguments: StatementArguments
    ) throws(StoreError) -> [PublicKey: [ScopeID]] {
        guard let authority else { return [:] }
        return try storeCall {
            try readDB { db in
                let chain = try SQLTrustStorage.chain(db, authority: authority, decoded: decodedCertificates)
                var out: [PublicKey: [ScopeID]] = [:]
                // Stored certificates were verified when their changes applied; a relay re-reads this often.
                for c in try SQLTrustStorage.certificates(db, where: condition, arguments: arguments, decoded: decodedCertificates)
                where (try? chain.validate(c, at: ms, signaturesChecked: true)) != nil {
                    let revoked = try Int64.fetchOne(
                        db.cachedStatement(sql: "SELECT MIN(revoked_at) FROM revocation WHERE subject = ?"),
                        arguments: [Data(c.subject.bytes)])
                    if let revoked, UInt64(revoked) <= ms { continue }
                    out[c.subject, default: [.admin]] += c.scopes
                }
                return out
            }
        }
    }
}
