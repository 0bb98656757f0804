import BaoxueCore
import BaoxuePostgres
import BaoxueStore
import BaoxueSync
import BaoxueTransport
import Logging
import NIOConcurrencyHelpers

/// One relay process's side of the log a relay cluster shares in PostgreSQL: what its sessions read
/// (reconciliation sets in memory, bytes loaded from the database) and where they store (verify on
/// this process, then one SERIALIZABLE transaction that stores the batch and this process's receipts).
///
/// Invariants: a batch is reported stored only after its transaction committed (PostgreSQL's commit
/// is durable with `synchronous_commit = on`, its default, which `ClusterRelay.start` checks); one
/// session's batches are stored in order, and none after one that failed. The sets in memory lag the
/// database by at most one refresh (`refreshMs`) for what other processes stored; what this process
/// stores is in them before its acknowledgement goes out.
public final class ClusterStore: SyncDataSource, ChangeLoader, BatchPipeline, Sendable {
    public let log: PostgresLog
    public let witness: PostgresWitness
    /// The pinned authority and the trust tables' copy: present, every batch passes the trust gate.
    public let trust: PostgresTrust?
    private let sets = NIOLockedValueBox(PostgresScopeSets())
    /// Each session's last batch task, so the next one waits for it (keyed by its chain).
    private let tails = NIOLockedValueBox<[ObjectIdentifier: Task<Void, Never>]>([:])
    private let inFlight = NIOLockedValueBox(0)
    private let clock: @Sendable () -> UInt64
    /// The sessions' verified batches, stored a group per transaction.
    private let appends: ClusterAppendQueue
    /// Above this many bytes received and not yet stored, drivers stop reading (the SQLite relay's bound).
    public static let busyAbove = StreamingAppender.busyAbove

    /// How long one store or load may take before the session is told the database is unavailable
    /// (a crashed server can leave a query or a wait for a connection without an answer).
    public let deadline: Duration

    /// A budget for the shared database (`pg_database_size`), if any. A batch is stored only while the
    /// latest reading, at most `sizeReadingMs` old, is under it; past it batches are refused `disk_full`
    /// and reads go on. So the database exceeds it by at most what the cluster stores in that time.
    /// Every process of a cluster should be given the same quota (each decides on its own reading).
    public let quota: DiskQuota?
    /// The database's size as last read for the quota, and when (ms).
    private let size = NIOLockedValueBox<(bytes: Int64, at: UInt64)?>(nil)
    /// How old a size reading may be before a batch reads it again: one query a second per process at most.
    public static let sizeReadingMs: UInt64 = 1_000

    public init(
        log: PostgresLog, witness: PostgresWitness, trust: PostgresTrust?, quota: DiskQuota? = nil, deadline: Duration = .seconds(10),
        clock: @escaping @Sendable () -> UInt64 = ChangeLog.systemClock
    ) {
        self.log = log
        self.witness = witness
        self.trust = trust
        self.quota = quota
        self.deadline = deadline
        self.clock = clock
        let sets = self.sets
        appends = ClusterAppendQueue { changes in
            await Self.commit(changes, to: log, witness: witness, trust: trust, now: clock(), deadline: deadline, sets: sets)
        }
    }

    /// Runs `operation`, or throws `unavailable` once `deadline` passes. The operation is cancelled
    /// but not awaited (a query on a connection the crash left open may not hear the cancellation);
    /// a store that commits after all is simply not acknowledged, and its device sends it again.
    private func bounded<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Self.bounded(deadline, operation)
    }

    static func bounded<T: Sendable>(
        _ deadline: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let answered = NIOLockedValueBox(false)
        @Sendable func first() -> Bool {
            answered.withLockedValue { done in
                defer { done = true }
                return !done
            }
        }
        return try await withCheckedThrowingContinuation { continuation in
            let work = Task {
                try await operation()
            }
            let timer = Task {
                try await Task.sleep(for: deadline)
                guard first() else { return }
                work.cancel()
                continuation.resume(throwing: PostgresLogError.unavailable("no answer in \(deadline)"))
            }
            // The answer cancels the timer, so no sleeping task outlives a batch on the hot path.
            Task {
                let result = await work.result
                timer.cancel()
                if first() { continuation.resume(with: result) }
            }
        }
    }

    /// Reads what other processes stored since the last call (all of it, the first time).
    @discardableResult
    public func refresh() async throws -> Int {
        let (log, since) = (self.log, sets.withLockedValue { $0.finishedBelow })
        let read = try await bounded { try await PostgresScopeSets.read(from: log, since: since) }
        sets.withLockedValue { $0.merge(read) }
        return read.rows
    }

    /// The xmin of the last catch-up merged into the sets (`PostgresScopeSets.finishedBelow`): a session
    /// served now may lack what committed from there on.
    public var finishedBelow: UInt64? { sets.withLockedValue { $0.finishedBelow } }

    /// The scopes in the sets, ascending.
    public var scopes: [ScopeID] { sets.withLockedValue { $0.sets.keys.sorted() } }

    // MARK: SyncDataSource

    public var loadsLater: Bool { true }

    public func items(in scope: ScopeID) throws(SyncError) -> ReconciliationSet {
        sets.withLockedValue { $0.sets[scope] } ?? ReconciliationSet()
    }

    public func encodedChanges(_ ids: [ChangeID]) throws(SyncError) -> [[UInt8]] {
        throw .store("a cluster store loads changes later")
    }

    // MARK: ChangeLoader

    public func load(_ ids: [ChangeID], completion: @escaping @Sendable (Result<[[UInt8]], SyncError>) -> Void) {
        let log = self.log
        Task {
            do {
                completion(.success(try await bounded { try await log.encodedChanges(ids) }))
            } catch {
                completion(.failure(Self.syncError(error)))
            }
        }
    }

    // MARK: BatchPipeline

    public var isBusy: Bool { inFlight.withLockedValue { $0 } > Self.busyAbove }

    public func submit(_ encoded: [[UInt8]], chain: AppendChain, completion: @escaping @Sendable (Result<Int, SyncError>) -> Void) {
        let size = encoded.reduce(0) { $0 + $1.count }
        inFlight.withLockedValue { $0 += size }
        let key = ObjectIdentifier(chain)
        tails.withLockedValue { tails in
            let previous = tails[key]
            let task = Task {
                await previous?.value
                let result = await self.store(encoded, chain: chain)
                self.inFlight.withLockedValue { $0 -= size }
                completion(result)
            }
            tails[key] = task
            // Forget the tail once it is done and nothing queued behind it.
            Task {
                await task.value
                self.tails.withLockedValue { if $0[key] == task { $0[key] = nil } }
            }
        }
    }

    private func store(_ encoded: [[UInt8]], chain: AppendChain) async -> Result<Int, SyncError> {
        guard !chain.isBroken else { return .failure(.store("not stored after a refused batch")) }
        let changes: [Change]
        do {
            changes = try BatchVerifier.verify(encoded)
        } catch {
            chain.breakChain()
            return .failure(.invalidChange("change \(error.index): \(error.error.code)"))
        }
        if let refusal = await quotaRefusal() {
            chain.breakChain()
            return .failure(refusal)
        }
        switch await appends.append(changes) {
        case .success: return .success(changes.count)
        case .failure(let error):
            chain.breakChain()
            return .failure(error)
        }
    }

    /// Why the quota refuses a batch now (`disk_full`, or the database out of reach); nil without a quota or
    /// under it. The size read is kept while under `sizeReadingMs` old.
    private func quotaRefusal() async -> SyncError? {
        guard let quota else { return nil }
        let now = clock()
        let bytes: Int64
        if let kept = size.withLockedValue({ $0 }), now >= kept.at, now - kept.at < Self.sizeReadingMs {
            bytes = kept.bytes
        } else {
            let log = self.log
            do { bytes = try await bounded { try await log.databaseBytes() } } catch { return Self.syncError(error) }
            size.withLockedValue { $0 = (bytes, now) }
        }
        return quota.admits(used: bytes) ? nil : .diskFull
    }

    /// One transaction for a group of batches (`ClusterAppendQueue`): the rules and this process's
    /// receipts over all of them, then the stored ones into the sets before any answer goes out.
    private static func commit(
        _ changes: [Change], to log: PostgresLog, witness: PostgresWitness, trust: PostgresTrust?, now: UInt64, deadline: Duration,
        sets: NIOLockedValueBox<PostgresScopeSets>
    ) async -> Result<Void, SyncError> {
        do {
            let appended = try await bounded(deadline) { try await log.append(changes, witness: witness, now: now, trust: trust) }
            // Stored in any state, the second half of an equivocation too (held as proof, and reconciled like any).
            let stored = zip(changes, appended.verdicts).compactMap { change, verdict in verdict == .duplicate ? nil : change }
            sets.withLockedValue { $0.insert(stored + appended.receipts) }
            return .success(())
        } catch {
            return .failure(Self.syncError(error))
        }
    }

    /// A database failure as a session names it: a full or read-only database and an unreachable one
    /// are `over_limit` (the batch is refused, reads go on, the device keeps its changes).
    static func syncError(_ error: any Error) -> SyncError {
        switch error {
        case PostgresLogError.unavailable: return .overLimit("database_unavailable")
        case PostgresLogError.contended: return .overLimit("database_contended")
        case PostgresLogError.database(let state, let message):
            // disk_full, insufficient_resources, out_of_memory; read_only_sql_transaction.
            if state.hasPrefix("53") { return .diskFull }
            if state == "25006" { return .overLimit("read_only") }
            return .store("database \(state): \(message)")
        case PostgresLogError.changeMissing(let id): return .store("change \(id.short) not stored")
        default: return .store("\(error)")
        }
    }
}
