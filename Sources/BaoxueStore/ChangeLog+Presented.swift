import BaoxueCore
import BaoxueTrust
import Foundation
import GRDB

extension ChangeLog {
    /// `key`'s certificate chain as this log holds it, to present in a sync handshake:
    /// its certificate valid at `ms` with the latest expiry, then the delegation that
    /// issued it (when the issuer is not the authority). Empty when it holds none.
    public func presentableCertificates(of key: PublicKey, at ms: UInt64) throws(StoreError) -> [[UInt8]] {
        guard let authority else { return [] }
        return try storeCall {
            try readDB { db in
                // Its own certificates and the delegations, not the township's hundreds of others: a relay does this per connection.
                let certs = try SQLTrustStorage.certificates(
                    db, where: "subject = ? OR may_issue = 1", arguments: [Data(key.bytes)], decoded: decodedCertificates)
                let chain = CertificateChain(authority: authority, knowing: certs)
                guard
                    let own = certs.filter({ $0.subject == key && (try? chain.validate($0, at: ms, memo: signatureMemo)) != nil })
                        .max(by: { $0.validUntil < $1.validUntil })
                else { return [] }
                guard own.issuer != authority else { return [own.encoded] }
                let issuer = certs.filter {
                    $0.subject == own.issuer && $0.mayIssue && (try? chain.validate($0, at: ms, memo: signatureMemo)) != nil
                }
                .max(by: { $0.validUntil < $1.validUntil })
                return [own.encoded] + (issuer.map { [$0.encoded] } ?? [])
            }
        }
    }

    /// Admits a peer on the strength of certificates it presented in its handshake
    /// (trust.md §7): its certificate must chain to the pinned authority (through
    /// a delegation it presented or this log holds), be valid at `ms`, and its key
    /// must not be revoked by then. Certificates that pass and are new here are
    /// published as `_admin` changes signed by `carrier`, so they spread like any
    /// other. Returns the peer's scopes (with `_admin`), or nil when not admitted.
    public func admitPresented(_ presented: [[UInt8]], peer: PublicKey, carrier: DeviceKey, at ms: UInt64) throws(StoreError) -> [ScopeID]?
    {
        guard let authority else { return nil }
        let decoded = presented.prefix(8).compactMap { try? Certificate.decode($0) }
        let toPublish: [Certificate] = try storeCall {
            try readDB { db in
                // Only the delegations and this peer's own certificates: a relay does this per connection.
                let chain = CertificateChain(
                    authority: authority,
                    knowing: try SQLTrustStorage.certificates(db, where: "may_issue = 1", decoded: decodedCertificates)
                        + decoded.filter(\.mayIssue))
                guard
                    let own = decoded.first(where: { $0.subject == peer && (try? chain.validate($0, at: ms, memo: signatureMemo)) != nil })
                else { return [] }
                if let revoked = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT MIN(revoked_at) FROM revocation WHERE subject = ?"), arguments: [Data(peer.bytes)]),
                    UInt64(revoked) <= ms
                {
                    return []
                }
                let delegation = decoded.filter {
                    $0.mayIssue && $0.subject == own.issuer && (try? chain.validate($0, at: ms, memo: signatureMemo)) != nil
                }
                return try (delegation.prefix(1) + [own]).filter {
                    try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM certificate WHERE encoded = ?"), arguments: [Data($0.encoded)])
                        == nil
                }
            }
        }
        for cert in toPublish {
            _ = try appendAuthored(by: carrier, scope: .admin, payload: AdminPayload.certificate(cert).encoded, now: max(ms, clock()))
        }
        return try certifiedScopes(of: peer, at: ms)
    }
}
