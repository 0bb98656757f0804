import BaoxueCore
import BaoxueLog
import BaoxuePostgres
import BaoxueRelay
import BaoxueStore
import BaoxueTrust
import Foundation

extension RelayCommands {
    /// A relay cluster's status as its operator page shows it (`relay serve --store … --console`): the shared
    /// database's totals and every device seen at any process, with how far behind it is and who holds it;
    /// and the schools' published figures that stand (the applied `_admin` changes carrying them).
    ///
    /// The same view as `status(directory:)` on SQLite: a device's lag counts the changes by others in the
    /// scopes its certificates grant (read from the trust facts the cluster learnt) that it had not been
    /// served when its latest session ended; a device with no certificate chaining here shows no lag.
    public static func status(
        of relay: ClusterRelay, language l: Language = .zh
    ) async throws(AppError) -> (status: RelayStatusView, figures: [PublishedFiguresEntry]) {
        let now = ChangeLog.systemClock()
        let status: PostgresRelayStatus
        var served: [PublicKey: PostgresDesk.Served] = [:]
        var book: TrustBook?
        do {
            status = try await PostgresRelayStatus.read(relay.store.log)
            if let trust = relay.store.trust {
                let desk = ClusterDesk(store: relay.store, trust: trust)
                served = Dictionary(try await desk.servedDevices(at: now).map { ($0.device, $0) }, uniquingKeysWith: { a, _ in a })
                book = trust.current
            }
        } catch {
            throw .sharedDatabase("\(error)")
        }
        let format = ISO8601DateFormatter()
        let devices = status.devices.map { d -> RelayStatusView.Device in
            let holder = book.flatMap { b -> Certificate? in
                var b = b
                return (try? b.certificates(of: d.key))?.max { $0.validUntil < $1.validUntil }
            }
            let lag = served[d.key]
            return RelayStatusView.Device(
                device: d.key.fingerprint.text, name: holder?.name, role: holder.map { l.label($0.role) },
                lastSeen: format.string(from: Date(timeIntervalSince1970: Double(d.lastSeenMs) / 1000)),
                sessions: d.sessions, failures: d.failures, lastError: d.lastError, lagChanges: lag?.behind ?? 0,
                lagMinutes: lag?.oldestUnseenMs.map { Int((now > $0 ? now - $0 : 0) / 60_000) } ?? 0,
                equivocating: status.equivocators.contains(d.key))
        }
        let view = RelayStatusView(
            changes: status.changes, quarantined: status.quarantined, equivocations: status.equivocators.count, gaps: status.gaps,
            unwitnessed: status.unwitnessed, diskBytes: status.databaseBytes, devices: devices)
        return (view, PublishedFiguresEntry.standing(status.admin.compactMap(PublishedFiguresEntry.init)))
    }
}
