import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTrust
import Dispatch

/// This device's replica, opened once and shared by every screen of `baoxue ui` (and any other
/// long-lived shell, such as a phone's WebView host): the same `ReplicaCommands` the CLI runs, as
/// async calls over one open database instead of a reopen per call.
///
/// Invariant: calls run one at a time, on a thread of the device's own (`ReplicaExecutor`), so
/// SQLite's blocking reads and commits never hold a thread of Swift's cooperative pool, where the
/// web server's requests run. While the device is locked (`DeviceLock`) nothing is open and every
/// call but `unlock` throws `StoreError.locked`.
public actor FieldDevice {
    public nonisolated let directory: String
    private let executor = ReplicaExecutor()
    private var replica: Replica?
    /// The passphrase to lock with when idle: the one set on 我的 or last used to unlock. Kept in
    /// memory only while the device is unlocked, when its keys sit in clear in the key file anyway.
    private var lockPassphrase: String?

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Opens nothing yet: the replica opens at the first call (so a locked device can still serve its unlock page).
    public init(directory: String) {
        self.directory = directory
    }

    /// The open replica; opened on first use, refused while the device is locked.
    func open() throws(AppError) -> Replica {
        if let replica { return replica }
        guard !DeviceLock.isLocked(directory) else { throw .store(.locked(path: directory)) }
        let opened = try ReplicaCommands.open(directory)
        replica = opened
        return opened
    }

    public var isLocked: Bool { DeviceLock.isLocked(directory) }

    /// Locks the device (`baoxue lock`): the keys sealed under `passphrase`, the views dropped.
    public func lock(passphrase: String) throws(AppError) -> LockView {
        replica = nil
        let view = try PrivacyCommands.lock(directory: directory, passphrase: passphrase)
        lockPassphrase = nil
        return view
    }

    /// Unlocks with the passphrase and rebuilds the views (`progress` as done, total); the
    /// passphrase then locks the device again when it is left idle.
    public func unlock(passphrase: String, progress: @escaping (Int, Int) -> Void = { _, _ in }) throws(AppError) -> IdentityView {
        replica = nil
        let view = try PrivacyCommands.unlock(directory: directory, passphrase: passphrase, progress: progress)
        lockPassphrase = passphrase
        return view
    }

    /// Sets the passphrase the device locks with when left idle (the passphrase rule applies).
    public func setLockPassphrase(_ passphrase: String) throws(AppError) {
        try attempt { () throws(StoreError) in try PassphraseRule.check(passphrase) }
        lockPassphrase = passphrase
    }

    /// Whether a passphrase is set, so that an idle device can lock itself.
    public var locksWhenIdle: Bool { lockPassphrase != nil && !DeviceLock.isLocked(directory) }

    /// Locks with the passphrase set; false (nothing done) when none is set or already locked.
    public func lockNow() throws(AppError) -> Bool {
        guard let passphrase = lockPassphrase, !DeviceLock.isLocked(directory) else { return false }
        _ = try lock(passphrase: passphrase)
        return true
    }

    public func identity() throws(AppError) -> IdentityView { try IdentityView(replica: try open()) }

    /// This device's changes no relay has countersigned yet (what 同步 shows), without the rest of `identity`.
    public func notAtRelay() throws(AppError) -> Int {
        let replica = try open()
        return try attempt { () throws(StoreError) in try replica.log.notYetWitnessed(author: replica.key.publicKey) }
    }

    public func today(date: SimpleDate? = nil) throws(AppError) -> TodayView { try ReplicaCommands.today(try open(), date: date) }

    public func conflicts(language: Language) throws(AppError) -> [ConflictView] {
        try ReplicaCommands.conflicts(try open(), language: language)
    }

    /// The children a person may mean by `text` (all when empty), at most `limit`.
    public func searchChildren(_ text: String, limit: Int = 100_000) throws(AppError) -> [ChildView] {
        try ReplicaCommands.searchChildren(try open().log, text: text, school: nil, limit: limit)
    }

    public func childFile(_ child: String, language: Language) throws(AppError) -> ChildFile {
        try ReplicaCommands.childFile(try open(), child: child, full: false, language: language)
    }

    public func photo(child: String, id: String) throws(AppError) -> ChildPhoto? {
        try ReplicaCommands.childPhoto(try open(), child: child, id: id)
    }

    public func actions(child: String, language: Language) throws(AppError) -> ChildActions {
        try ReplicaCommands.childActions(try open(), child: child, language: language)
    }

    public func record(_ entry: FieldEntry, child: String, date: SimpleDate?, language: Language) throws(AppError) -> RecordedView {
        try ReplicaCommands.record(try open(), child: child, entry: entry, date: date, scope: nil, language: language)
    }

    public func settle(child: String, field: String, choice: Int, shown: String, language: Language) throws(AppError) -> RecordedView {
        try ReplicaCommands.settle(try open(), child: child, field: field, choice: choice, shown: shown, language: language)
    }

    public func cases(language: Language) throws(AppError) -> [CaseSummary] {
        try ReplicaCommands.cases(try open(), which: nil, language: language)
    }

    public func ledger(_ which: Ledger) throws(AppError) -> [LedgerRow] {
        try ReplicaCommands.ledger(try open(), which: which, school: nil)
    }

    /// The district's devices and alerts (an admin's console, issue 24 §2).
    public func devices(language: Language) throws(AppError) -> DevicesView {
        try EnrollmentCommands.devices(try open(), now: Replica.nowMilliseconds(), language: language)
    }

    /// The same list with what `relay` says of each device (its last session there, how far behind); a relay
    /// that cannot be asked leaves the list as it is, with the reason.
    public func devices(language: Language, relay: String) async throws(AppError) -> DevicesView {
        var view = try EnrollmentCommands.devices(try open(), now: Replica.nowMilliseconds(), language: language)
        do throws(AppError) {
            let seen = try await RelayEnrollment.seen(try open(), relay: relay)
            view.relayAnswered = true
            let now = Replica.nowMilliseconds()
            view.rows = view.rows.map { row in
                var r = row
                let device = (try? PublicKey(hex: row.key)).flatMap { seen[$0] }
                r.atRelay = EnrollmentCommands.relayLine(device, now: now, language)
                r.behindAtRelay = device.map { Int($0.behind) }
                return r
            }
        } catch { view.relayProblem = error.line(language) }
        return view
    }

    /// Revokes a device from now with the authority key kept here; returns the scopes whose keys were rotated.
    public func revoke(device: String, reason: String, passphrase: String) throws(AppError) -> [String] {
        try EnrollmentCommands.revokeNow(try open(), device: device, reason: reason, passphrase: passphrase)
    }

    /// Publishes this school's figures for the month `period` (trust.md §10; `baoxue report publish`).
    public func publishFigures(period: String) throws(AppError) -> FiguresPublication {
        try ReplicaCommands.publishFigures(try open(), period: period, scope: nil, school: nil, now: Replica.nowMilliseconds())
    }

    /// The published figures, month by month, per school (issue 24 §3).
    public func dashboard() throws(AppError) -> Dashboard { try ReplicaCommands.dashboard(try open()) }

    /// The children the register lists at `school` (its name), for a dashboard's drill-down.
    public func children(school: String, limit: Int = 300) throws(AppError) -> [ChildView] {
        let log = try open().log
        return try attempt { () throws(StoreError) in try log.children(school: school, limit: limit) }
    }

    public func keyStatus() throws(AppError) -> [KeyStatusView] { try PrivacyCommands.status(try open()) }

    /// Seals the school's key to every member who lacks it (`baoxue keys grant`); a school admin's or the district's.
    public func grantKeys(scope: String) throws(AppError) -> KeyStatusView {
        try PrivacyCommands.grant(try open(), scope: scope, rotate: false)
    }

    /// File `index` of a report (0: the XLSX, then one CSV per sheet) for a browser to download.
    public func reportFile(kind: ReportKind, period: String, index: Int, language: Language) throws(AppError) -> ReportFile? {
        try ReplicaCommands.reportFile(try open(), kind: kind, period: period, index: index, language: language)
    }

    public func startSurvey(village: String, team: [String], date: SimpleDate?, language: Language) throws(AppError) -> String {
        try ReplicaCommands.surveyStart(try open(), village: village, team: team, date: date, scope: nil, language: language)
    }

    public func checkHousehold(
        survey: String, check: HouseholdCheck, date: SimpleDate?, language: Language
    ) throws(AppError) -> SurveyView {
        try ReplicaCommands.surveyHousehold(
            try open(), survey: survey, check: check, child: nil, date: date, scope: nil, language: language)
    }

    public func survey(_ survey: String) throws(AppError) -> SurveyView { try ReplicaCommands.survey(try open(), survey: survey) }

    /// Every sweep this replica holds, newest first.
    public func surveys() throws(AppError) -> [SurveyView] {
        let replica = try open()
        return try attempt { () throws(StoreError) in try replica.log.surveys() }.map { id throws(AppError) in
            try ReplicaCommands.survey(replica, survey: id.hex)
        }
    }

    public func addProvisional(name: String, found: String, fields: [(String, FieldValue)], language: Language) throws(AppError) -> RecordID
    {
        try ReplicaCommands.addProvisional(try open(), name: name, found: found, fields: fields, scope: nil, language: language)
    }

    /// The enrollment requests waiting at `relay` within this admin's scopes (sync.md §3.1).
    public func enrollmentRequests(relay: String) async throws(AppError) -> [RelayEnrollment.WaitingRequest] {
        try await RelayEnrollment.waiting(try open(), relay: relay)
    }

    /// Whether this device may approve requests: it holds a delegation valid now (else it may only reject).
    public func holdsDelegation() throws(AppError) -> Bool {
        let replica = try open()
        let now = Replica.nowMilliseconds()
        return try attempt { () throws(StoreError) in try replica.log.presentableCertificates(of: replica.key.publicKey, at: now) }
            .compactMap { try? Certificate.decode($0) }
            .contains { $0.subject == replica.key.publicKey && $0.mayIssue && $0.isValid(at: now) }
    }

    public func approveEnrollment(relay: String, subject: String, days: Int) async throws(AppError) -> [RelayEnrollment.WaitingRequest] {
        try await RelayEnrollment.approve(try open(), relay: relay, subject: subject, days: days)
    }

    public func rejectEnrollment(relay: String, subject: String, reason: String) async throws(AppError) -> [RelayEnrollment.WaitingRequest]
    {
        try await RelayEnrollment.reject(try open(), relay: relay, subject: subject, reason: reason)
    }

    /// Syncs with `peer` (a relay or a colleague's device): progress values, then the outcome.
    public func sync(peer: String) -> AsyncStream<SyncEvent> {
        do throws(AppError) {
            return SyncCommands.events(try open(), peer: peer, scopes: [])
        } catch {
            let (stream, continuation) = AsyncStream.makeStream(of: SyncEvent.self)
            continuation.yield(.failed(error))
            continuation.finish()
            return stream
        }
    }
}

/// Runs a `FieldDevice`'s calls one after another on a dispatch queue of its own: the database
/// work blocks that queue's thread, not one of the cooperative pool's few.
final class ReplicaExecutor: SerialExecutor {
    private let queue = DispatchQueue(label: "baoxue.replica")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
