import BaoxueCore
import BaoxueTrust
import Foundation
import GRDB

/// A device of the district as this replica knows it from its log: the certificate that runs
/// longest, its earliest revocation, and its changes held here.
///
/// Invariant: one per certified key; `lastChangeMs` and `changes` count only what this replica holds
/// (a device not synced here lately looks quiet, not gone).
public struct DistrictDevice: Sendable, Equatable {
    public let key: PublicKey
    public let certificate: Certificate
    /// When the device was revoked from (ms) and why; nil while it is not.
    public let revokedAt: UInt64?
    public let revocationReason: String?
    /// The clock (ms) of its newest change held here; nil when none.
    public let lastChangeMs: UInt64?
    public let changes: Int
}

extension ChangeLog {
    /// Every certified device, sorted by holder name then key.
    public func districtDevices() throws(StoreError) -> [DistrictDevice] {
        try storeCall {
            try readDB { db in
                var latest: [PublicKey: Certificate] = [:]
                for c in try SQLTrustStorage.certificates(db, decoded: decodedCertificates)
                where latest[c.subject].map({ $0.validUntil < c.validUntil }) ?? true {
                    latest[c.subject] = c
                }
                var revoked: [PublicKey: Revocation] = [:]
                for encoded in try Data.fetchAll(db, sql: "SELECT encoded FROM revocation") {
                    guard let r = try? Revocation.decode(Array(encoded)) else { continue }
                    if revoked[r.subject].map({ r.revokedAt < $0.revokedAt }) ?? true { revoked[r.subject] = r }
                }
                // Each author's count and newest change by the covering (author, seq) index, then that change's
                // clock by one lookup: 0.12 s on a 721,400-change district replica where MAX(hlc) over the table took 2 s.
                var activity: [PublicKey: (ms: UInt64, count: Int)] = [:]
                let newest = try db.cachedStatement(sql: "SELECT hlc FROM change WHERE author = ? AND seq = ?")
                for row in try Row.fetchAll(db, sql: "SELECT author, MAX(seq), COUNT(*) FROM change GROUP BY author") {
                    guard let key = try? PublicKey(bytes: Array(row[0] as Data)),
                        let hlc = try Int64.fetchOne(newest, arguments: [row[0] as Data, row[1] as Int64])
                    else { continue }
                    activity[key] = (UInt64(bitPattern: hlc) >> 16, row[2])
                }
                return latest.values.map { c in
                    DistrictDevice(
                        key: c.subject, certificate: c, revokedAt: revoked[c.subject]?.revokedAt,
                        revocationReason: revoked[c.subject]?.reason, lastChangeMs: activity[c.subject]?.ms,
                        changes: activity[c.subject]?.count ?? 0)
                }
                .sorted { ($0.certificate.name, $0.key.hex) < ($1.certificate.name, $1.key.hex) }
            }
        }
    }
}
