import BaoxueCore
import BaoxueLog
import BaoxuePostgres
import BaoxueSync
import BaoxueTrust
import NIOConcurrencyHelpers

/// The enrollment desk of a relay cluster (sync.md §3.1): the rules every relay answers by
/// (`EnrollmentDesk`) over the rows all processes share in PostgreSQL (`PostgresDesk`). A phone
/// leaves its request at one process, the office approves it at another, the phone collects its
/// certificate at a third. Answered asynchronously (`SyncEndpoint.DeskAnswers.later`): a question costs one
/// transaction, committed before the reply goes out.
///
/// A seat (who may decide) is read from the trust facts the cluster learnt from applied `_admin`
/// changes, caught up in the question's own transaction: the asking admin's certificate must have
/// reached the cluster (its device syncs `_admin` at any process), as on a SQLite relay.
public struct ClusterDesk: Sendable {
    public let rules: EnrollmentDesk
    let desk: PostgresDesk
    let deadline: Duration

    public init(store: ClusterStore, trust: PostgresTrust) {
        rules = EnrollmentDesk(authority: trust.authority)
        desk = PostgresDesk(log: store.log, trust: trust)
        deadline = store.deadline
    }

    /// The reply to one desk question from `peer` (`known`: the session's policy admitted it) at `now`,
    /// or the error that ends the session (the rules' refusal, or the database's).
    public func answer(_ question: DeskMessage, from peer: PublicKey, known: Bool, at now: UInt64) async -> Result<DeskMessage, SyncError> {
        let (rules, desk) = (self.rules, self.desk)
        let authority = rules.authority
        do {
            if case .status = question {
                let served = try await servedDevices(at: now)
                let seat = known ? Self.seat(peer, in: desk.trust.current, authority: authority, at: now) : nil
                let rows = DeskRows(rows: [], served: served.map(Self.device))
                return .success(try rules.answer(question, from: peer, seat: seat, at: now, in: rows))
            }
            return .success(
                try await ClusterStore.bounded(deadline) {
                    try await desk.run { book, stored in
                        let rows = DeskRows(rows: stored, served: [])
                        let seat = known ? Self.seat(peer, in: book, authority: authority, at: now) : nil
                        return (try rules.answer(question, from: peer, seat: seat, at: now, in: rows), rows.writes)
                    }
                })
        } catch let error as SyncError {
            return .failure(error)
        } catch {
            return .failure(ClusterStore.syncError(error))
        }
    }

    /// Read only: every device with a session on record whose certificate chains here at `now`, with how far
    /// behind it is, the trust facts caught up for them (the desk's status answer, the operator's page).
    public func servedDevices(at now: UInt64) async throws -> [PostgresDesk.Served] {
        let (desk, authority) = (self.desk, rules.authority)
        return try await ClusterStore.bounded(deadline) {
            try await desk.served { book, key in Self.certified(key, in: book, authority: authority, at: now)?.scopes }
        }
    }

    /// The asking device's seat: its longest-running certificate valid now, with the scopes of those
    /// that chain to the authority (as a SQLite relay reads them).
    static func seat(_ peer: PublicKey, in book: TrustBook, authority: PublicKey, at now: UInt64) -> DeskSeat? {
        certified(peer, in: book, authority: authority, at: now).map { DeskSeat(key: peer, role: $0.role, scopes: $0.scopes) }
    }

    /// What `peer`'s certificates in `book` grant at `now`, outside `_admin`: nil when none is valid and
    /// chains, or when it is revoked by then.
    static func certified(
        _ peer: PublicKey, in book: TrustBook, authority: PublicKey, at now: UInt64
    ) -> (role: Role, scopes: [ScopeID])? {
        var book = book
        guard let certificates = try? book.certificates(of: peer),
            let latest = certificates.max(by: { $0.validUntil < $1.validUntil }), latest.isValid(at: now)
        else { return nil }
        if let revoked = try? book.revocation(of: peer), revoked <= now { return nil }
        let chain = CertificateChain(authority: authority, knowing: (try? book.delegations()) ?? [])
        let chained = certificates.filter { (try? chain.validate($0, at: now, signaturesChecked: true)) != nil }
        guard !chained.isEmpty else { return nil }
        return (latest.role, chained.flatMap(\.scopes).filter { $0 != .admin })
    }

    static func device(_ served: PostgresDesk.Served) -> ServedDevice {
        ServedDevice(
            scopes: served.scopes,
            seen: DeskMessage.DeviceSeen(
                key: served.device, lastSeen: served.lastSeenMs, behind: UInt64(served.behind), oldestUnseen: served.oldestUnseenMs ?? 0))
    }
}

/// One desk question's view of the shared rows: what its transaction read, and what the rules wrote
/// (for the transaction to write before it commits). Lives for one run of the rules.
final class DeskRows: EnrollmentDeskStorage {
    private let state: NIOLockedValueBox<(rows: [PublicKey: EnrollmentDeskRow], writes: [PostgresDesk.Write])>
    private let served: [ServedDevice]

    init(rows: [EnrollmentDeskRow], served: [ServedDevice]) {
        state = NIOLockedValueBox((Dictionary(rows.map { ($0.subject, $0) }, uniquingKeysWith: { a, _ in a }), []))
        self.served = served
    }

    var writes: [PostgresDesk.Write] { state.withLockedValue { $0.writes } }

    func hold(_ entry: HeldEnrollment) throws(SyncError) {
        let row = entry.row
        state.withLockedValue {
            $0.rows[row.subject] = row
            $0.writes.append(.keep(row))
        }
    }

    func release(_ subject: PublicKey) throws(SyncError) {
        state.withLockedValue {
            $0.rows[subject] = nil
            $0.writes.append(.drop(subject))
        }
    }

    func all() throws(SyncError) -> [HeldEnrollment] {
        state.withLockedValue { $0.rows.values.compactMap(HeldEnrollment.init(row:)) }
    }

    func servedDevices(at now: UInt64) throws(SyncError) -> [ServedDevice] { served }
}
