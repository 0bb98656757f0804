import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTrust

/// A relay's enrollment desk kept in its database, beside the log (`enrollment_desk`).
/// Rows that no longer parse (a doctored file) are dropped, not served.
public struct LogDeskStorage: EnrollmentDeskStorage {
    let log: ChangeLog

    public init(log: ChangeLog) { self.log = log }

    public func hold(_ entry: HeldEnrollment) throws(SyncError) {
        try stored { () throws(StoreError) in try log.keepEnrollmentDeskRow(entry.row) }
    }

    public func release(_ subject: PublicKey) throws(SyncError) {
        try stored { () throws(StoreError) in try log.dropEnrollmentDeskRow(subject) }
    }

    public func all() throws(SyncError) -> [HeldEnrollment] {
        try stored { () throws(StoreError) in try log.enrollmentDeskRows() }.compactMap(HeldEnrollment.init(row:))
    }

    public func servedDevices(at now: UInt64) throws(SyncError) -> [ServedDevice] {
        let certified = try stored { () throws(StoreError) in try log.certifiedPeers(at: now) }
        return try stored { () throws(StoreError) in try log.peerActivity() }.compactMap { a -> ServedDevice? in
            guard let scopes = certified[a.key] else { return nil }
            let lag = try? log.lag(after: a.position, scopes: scopes.filter { $0 != .admin })
            return ServedDevice(
                scopes: scopes,
                seen: DeskMessage.DeviceSeen(
                    key: a.key, lastSeen: a.lastSeen, behind: UInt64(lag?.changes ?? 0), oldestUnseen: lag?.oldestMs ?? 0))
        }
    }

    private func stored<T>(_ body: () throws(StoreError) -> T) throws(SyncError) -> T {
        do { return try body() } catch { throw error.isDiskFull ? .diskFull : .store("\(error)") }
    }
}
