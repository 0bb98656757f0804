import BaoxueCore
import BaoxueLog
import BaoxuePrivacy
import BaoxueRecords
import BaoxueTrust
import Foundation
import GRDB

/// Appends one batch of verified changes inside an open write transaction.
///
/// The acceptance rules are `LogRules`, over `SQLLogStorage`; this host adds what only a device
/// or a relay in SQLite has: the trust gate, the key ring, the record views, heads and receipts.
/// Keeps per-batch caches (author states, what this batch applied, head
/// additions and removals) and flushes them once at the end, so a chain of
/// changes costs about two statements each. On the rare equivocation that
/// touches an applied change it flushes, recomputes from the tables, and
/// starts its caches afresh.
struct BatchAppender {
    typealias AuthorState = LogAuthor

    let db: Database
    var log: SQLLogStorage
    var report = AppendReport()
    private var authors: [PublicKey: AuthorState] = [:]
    var appliedHere: Set<ChangeID> = []
    /// Heads to add, with their scope (authoring reads a scope's heads).
    private var headAdds: [ChangeID: String] = [:]
    private var headRemoves: Set<ChangeID> = []
    private var maxTimestamp: Int64 = -1
    let merge: RecordMerge?
    var views: SQLRecordViews
    /// Present when the replica pins an authority: then only certified changes apply.
    private var gate: TrustGate<SQLTrustStorage>?

    /// Revocations learnt while applying; carried out once the current change is settled.
    private var revocationsDue: [(PublicKey, UInt64)] = []
    /// Local wall-clock time (ms) for the future-clock rule and receipt times.
    let now: UInt64
    /// On a relay: the key that signs receipts for changes stored here first.
    let witness: DeviceKey?
    /// Changes this batch stored for the first time that `witness` must countersign, by scope.
    var unwitnessed: [ScopeID: [ChangeID]] = [:]

    /// The scope keys this device holds; routes sealed payloads and member grants.
    var keys: KeyRing

    init(
        db: Database, merge: RecordMerge?, authority: PublicKey? = nil, now: UInt64 = 0, witness: DeviceKey? = nil,
        reader: DeviceKey? = nil,
        memo: SignatureMemo? = nil, certificates: DecodedCertificates, secrets: SecretKeys
    ) throws {
        self.db = db
        keys = KeyRing(db: db, secrets: secrets, reader: reader)
        self.merge = merge
        self.now = now
        self.witness = witness
        gate = try authority.map {
            try TrustGate(
                authority: $0, storage: SQLTrustStorage(db: db, decoded: certificates), memo: memo,
                decodeCertificate: { certificates.decode(Data($0)) })
        }
        self.views = SQLRecordViews(db: db)
        log = SQLLogStorage(db: db)
    }

    /// Record payloads decoded ahead of time (on the verifying thread), by change id.
    private var decoded: [ChangeID: Result<RecordPayload, RecordsError>] = [:]

    mutating func append(_ changes: [Change], decodedPayloads: [Result<RecordPayload, RecordsError>]? = nil) throws {
        if let decodedPayloads {
            decoded = Dictionary(zip(changes.map(\.id), decodedPayloads), uniquingKeysWith: { a, _ in a })
        }
        if gate != nil {
            // Changes held for a clock ahead of ours: apply those whose time has come.
            for c in try released(waitingOn: .clock, hlcUpTo: LogRules.clockLimit(now: now)) {
                try didApply(c)
            }
        }
        for change in changes { try append(change) }
        try flush()
        try writeReceipts()
        report.registerWritesRead = views.writesRead
    }

    mutating func append(_ change: Change) throws {
        var author = try authorState(change.author)
        switch try LogRules.arrival(change, author: author, in: &log) {
        case .duplicate:
            report.duplicates += 1
            return
        case .equivocation(let first):
            try insert(change, state: .held)
            try recordEquivocation(change, first: first)
            return
        case .new:
            if change.seq > author.storedSeq {
                author.storedSeq = change.seq
                authors[change.author] = author
            }
        }
        if let (reason, key) = try refusal(change, payload: decoded[change.id]) {
            let position = try insert(change, state: .quarantined)
            try quarantine(position, waitsOn: key, reason: reason)
            // Changes that arrived first and wait on a now-revoked dep may go on (see `LogRules.missingDeps`).
            if reason == .revoked, try log.anyPending() {
                for ready in try unblocked(by: change.id) { try didApply(ready) }
            }
            return
        }
        let (state, missing) = try admission(change, author: author)
        let position = try insert(change, state: state)
        switch state {
        case .applied: try didApply(change)
        case .pending:
            report.pending += 1
            try wait(position, on: missing)
        case .held, .quarantined: break
        }
        while let (subject, at) = revocationsDue.popLast() { try revoke(subject, from: at) }
    }

    /// Why `change` may not apply on this replica, and what it waits on; nil when it may.
    /// Only replicas that pin an authority refuse anything.
    private mutating func refusal(
        _ change: Change, payload: Result<RecordPayload, RecordsError>?
    ) throws -> (QuarantineReason, LogWait)? {
        guard gate != nil else { return nil }
        return try gate!.refusal(change, payload: payload, now: now)
    }

    /// Marks a stored change as waiting on `key`; `counted` is false when it was already quarantined (a re-check).
    mutating func quarantine(_ position: Int64, waitsOn wait: LogWait, reason: QuarantineReason) throws {
        report.quarantined += 1
        try log.quarantine(LogPosition(position), reason: reason)
        try log.wait(LogPosition(position), on: [wait])
    }

    /// Re-checks the quarantined changes waiting on `wait` (only those dated up to `hlcUpTo`,
    /// packed; only `only` when given) through `LogRules.release`; returns those that can now apply.
    mutating func released(waitingOn wait: LogWait, hlcUpTo: Int64 = .max, only: ChangeID? = nil) throws -> [Change] {
        let keys = keys
        let ready = try LogRules.release(
            waitingOn: wait, hlcUpTo: hlcUpTo, only: only, gate: &gate!, now: now, applied: &appliedHere, in: &log,
            readsDetached: { try keys.readsDetached($0) })
        return ready
    }

    /// `LogRules.admission`, with the deps this batch applied and the key ring's detached reads.
    mutating func admission(_ change: Change, author: AuthorState) throws -> (ChangeState, missing: [ChangeID]) {
        let applied = appliedHere
        let keys = keys
        return try LogRules.admission(
            change, author: author, missing: { try LogRules.missingDeps(change, applied: applied, in: &log) },
            readsDetached: { try keys.readsDetached(change) })
    }

    mutating func wait(_ position: Int64, on deps: [ChangeID]) throws {
        try log.wait(LogPosition(position), on: deps.map(LogWait.change))
    }

    @discardableResult
    private mutating func insert(_ change: Change, state: ChangeState) throws -> Int64 {
        let position = try log.insert(change, state: state)
        if MemberGrant.isGrant(change.payload) { try keys.recordRecipients(change) }
        // A change from a clock more than the tolerance ahead is held, not accepted: it must not
        // drag this replica's clock (and so its own next changes) into the future with it — a relay
        // that did would stamp its own certificates "from the future" and refuse every newcomer
        // (found by the county simulator). It moves the clock when it applies (`didApply`).
        if gate == nil || change.timestamp.milliseconds <= now &+ LogRules.futureTolerance {
            maxTimestamp = max(maxTimestamp, change.timestamp.packed)
        }
        report.inserted += 1
        if let witness, change.scope != .admin, change.author != witness.publicKey, !change.isWitnessReceipt {
            unwitnessed[change.scope, default: []].append(change.id)
        }
        return position.value
    }

    mutating func authorState(_ key: PublicKey) throws -> AuthorState {
        if let known = authors[key] { return known }
        let state = try log.author(key)
        authors[key] = state
        return state
    }

    /// Applies an applied change's payload to the views: plain ones through the merge, sealed
    /// ones once opened (or set aside until their key arrives), member grants to the key ring,
    /// which releases what waited for the key they open.
    private mutating func applyPayload(_ c: Change) throws -> [Change] {
        switch try keys.route(c) {
        case .plain:
            guard let merge else { return [] }
            if let payload = decoded[c.id] { try merge.apply(c, decoded: payload, to: &views) } else { try merge.apply(c, to: &views) }
        case .opened(let payload):
            try merge?.apply(c, decoded: payload, to: &views)
        case .waiting(let keyID):
            if merge != nil { try keys.wait(c, on: keyID) }
        case .grant(let key?):
            guard let merge else { return [] }
            for (change, payload) in try keys.released(by: key) { try merge.apply(change, decoded: payload, to: &views) }
        case .grant(nil), .departure: break
        case .attachmentPart(let part): try keys.note(part, in: c)
        case .transfer(let bundle):
            try receive(bundle, in: c)
        }
        return []
    }

    /// A transferred child's history (privacy.md §2(b)): when the transfer's author may also grant
    /// keys in the old school, each embedded change whose signature verifies is appended here as if
    /// it had arrived on its own (trust gate, equivocation, duplicates), and applies without its
    /// deps (`KeyRing.readsDetached`). Otherwise the transfer is recorded as rejected.
    private mutating func receive(_ bundle: TransferBundle, in c: Change) throws {
        if gate != nil, let refusal = try gate!.transferRefusal(c, from: bundle.source) {
            try merge?.apply(c, decoded: .failure(.malformedPayload(refusal.code)), to: &views)
            return
        }
        for embedded in bundle.changes {
            guard let verified = try? Change.decodeVerified(embedded.encoded) else {
                report.forgedInTransfers += 1
                continue
            }
            try append(verified)
        }
    }

    /// Records the effects of `change` becoming applied, then applies every
    /// pending change that it (transitively) unblocks.
    mutating func didApply(_ change: Change) throws {
        var work = [change]
        while let c = work.popLast() {
            appliedHere.insert(c.id)
            maxTimestamp = max(maxTimestamp, c.timestamp.packed)
            for dep in c.deps where headAdds.removeValue(forKey: dep) == nil { headRemoves.insert(dep) }
            headAdds[c.id] = c.scope.value
            report.applied += 1
            if c.isWitnessReceipt { try WitnessTable.record(c, db: db) }
            work += try applyPayload(c)
            // Without a pinned authority every change applies, a district policy and published figures as well.
            switch gate != nil ? try gate!.learn(c) : SQLTrustStorage.learnUnpinned(c) {
            case .certificate(let subject)?: work += try released(waitingOn: .certificate(subject))
            case .revocation(let subject, let at)?: revocationsDue.append((subject, at))
            case .ruling(let r)?:
                switch r.kind {
                case .acceptClock: work += try released(waitingOn: .clock, only: r.target)
                case .uphold: work += try uphold(r.target)
                }
            case .policy(let p)?:
                try SQLTrustStorage.store(p, of: c, db: db)
                try refreshAbsenceOpeners(under: p)
            case .figures?: try ChangeLog.learnFigures(c, db: db)
            case nil: break
            }
            guard try log.anyPending() else { continue }
            work += try unblocked(by: c.id)
        }
    }

    /// A district admin upheld `target`, one half of an equivocation (trust.md §8): `LogRules.uphold`,
    /// with the key ring's detached reads. The ruling moves its author's hold, so the author states this
    /// batch cached are read again.
    private mutating func uphold(_ target: ChangeID) throws -> [Change] {
        let keys = keys
        defer { authors = [:] }
        return try LogRules.uphold(target, gate: &gate!, applied: &appliedHere, in: &log, readsDetached: { try keys.readsDetached($0) })
    }

    /// `LogRules.unblocked`, seen by the next candidate of this batch.
    mutating func unblocked(by id: ChangeID) throws -> [Change] {
        try LogRules.unblocked(by: id, applied: &appliedHere, in: &log)
    }

    mutating func flush() throws {
        for id in headRemoves {
            try db.cachedStatement(sql: "DELETE FROM head WHERE id = ?").execute(arguments: [Data(id.bytes)])
        }
        for (id, scope) in headAdds {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO head (id, scope) VALUES (?, ?)").execute(arguments: [Data(id.bytes), scope])
        }
        if maxTimestamp >= 0 {
            try db.cachedStatement(sql: "UPDATE clock SET latest = MAX(latest, ?)").execute(arguments: [maxTimestamp])
        }
        headAdds = [:]
        headRemoves = []
    }

    mutating func resetCaches() {
        authors = [:]
        appliedHere = []
    }
}
