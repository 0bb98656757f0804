import BaoxueCore
import BaoxueRecords
import BaoxueTrust

/// The log's acceptance rules (changes.md §5, §8): whether an arriving change is new, a duplicate
/// or an equivocation; whether it applies now, waits for its deps, or is held; and which waiting
/// changes an applied one releases. Pure functions over a `LogStorage`, so every storage accepts
/// exactly the same changes in exactly the same states.
///
/// The trust gate (`TrustGate`: certificates, revocations, rulings, clocks) decides before these
/// rules whether a change may apply at all; a change it refuses is stored quarantined, waits on what
/// the gate names, and is checked again when that arrives (`release`).
public enum LogRules {
    /// How far ahead of local time a change's clock may be before it waits for the clock (trust.md §6): 24 h.
    public static let futureTolerance: UInt64 = 24 * 3_600_000

    /// The packed HLC up to which a change quarantined for its clock may be checked again at `now` (ms).
    public static func clockLimit(now: UInt64) -> Int64 { Int64(clamping: (now &+ futureTolerance) << 16 | 0xFFFF) }

    /// What an arriving change is, against what the storage already holds of its author.
    public enum Arrival: Sendable, Equatable {
        /// Not stored, and no other change of its author has its seq.
        case new
        /// Stored already (the same id): nothing to do.
        case duplicate
        /// Another change of its author has its seq: both are kept as proof (trust.md §8).
        case equivocation(first: ChangeID)
    }

    public static func arrival<S: LogStorage>(_ change: Change, author: LogAuthor, in storage: inout S) throws -> Arrival {
        guard change.seq <= author.storedSeq else { return .new }
        let existing = try storage.changeIDs(author: change.author, seq: change.seq)
        if existing.contains(change.id) { return .duplicate }
        if let first = existing.first { return .equivocation(first: first) }
        return .new
    }

    /// An equivocation arrived (`arrival` said so) and was stored held: its author is held from the
    /// lower of its seq and any earlier hold, every change of the author from there on is held, and
    /// nothing depending on them stays applied (changes.md §8): an applied change citing one is
    /// pending again, waiting on it, and so on down (but a revocation, which applies whatever its
    /// deps); a pending one waits on it too. Returns the changes that were applied and no longer are
    /// (a replica takes them out of its views and heads).
    public static func equivocation<S: LogStorage>(
        _ change: Change, author: LogAuthor, in storage: inout S
    ) throws -> (heldFrom: UInt64, unapplied: [ChangeID]) {
        let from = min(author.heldFrom ?? change.seq, change.seq)
        var unapplied = try storage.holdChanges(of: change.author, from: from)
        try storage.hold(change.author, from: from)
        var work = unapplied
        while let id = work.popLast() {
            for position in try storage.citing(id) {
                guard let (state, dependent) = try storage.change(at: position),
                    state == .pending || (state == .applied && !isRevocation(dependent))
                else { continue }
                if state == .applied {
                    try storage.setState(.pending, at: position)
                    unapplied.append(dependent.id)
                    work.append(dependent.id)
                }
                try storage.wait(position, on: [.change(id)])
            }
        }
        return (from, unapplied)
    }

    /// The deps of `change` not applied in `storage` nor in `applied` (applied earlier in the same
    /// batch). A dep quarantined as revoked counts as present: a revocation is final, so that change
    /// will never apply, and honest work written after seeing it must not wait for it for ever.
    public static func missingDeps<S: LogStorage>(_ change: Change, applied: Set<ChangeID>, in storage: inout S) throws -> [ChangeID] {
        var missing: [ChangeID] = []
        for dep in change.deps where !applied.contains(dep) {
            let standing = try storage.standing(of: dep)
            if standing?.state == .applied || standing?.reason == .revoked { continue }
            missing.append(dep)
        }
        return missing
    }

    /// The state of a change the trust gate lets through: held after its author's equivocation;
    /// applied when its deps are (an author's order within a scope is carried by deps, so a replica
    /// holding only some scopes never waits on the others), when it is read without them
    /// (`readsDetached`: a transferred child's history), or when it is a revocation (it applies on
    /// arrival whatever its deps: signed by the authority, its effect independent of order);
    /// otherwise pending on the deps it misses.
    public static func admission(
        _ change: Change, author: LogAuthor, missing: () throws -> [ChangeID], readsDetached: () throws -> Bool
    ) rethrows -> (state: ChangeState, missing: [ChangeID]) {
        if let held = author.heldFrom, change.seq >= held { return (.held, []) }
        let missing = try missing()
        if missing.isEmpty { return (.applied, []) }
        if try readsDetached() { return (.applied, []) }
        if isRevocation(change) { return (.applied, []) }
        return (.pending, missing)
    }

    /// An `_admin` change carrying a revocation: it applies whatever becomes of its deps.
    static func isRevocation(_ change: Change) -> Bool { change.scope == .admin && change.payload.first == AdminPayload.revocationTag }

    /// The pending changes waiting on `id` whose deps are now all present, in log order, marked
    /// applied in `storage` and in `applied` (so a sibling in the same pass sees them). A change of a
    /// held author stays pending.
    public static func unblocked<S: LogStorage>(by id: ChangeID, applied: inout Set<ChangeID>, in storage: inout S) throws -> [Change] {
        var ready: [Change] = []
        // In log order: a Set's order would differ from process to process (Swift seeds its hashes).
        for position in Set(try storage.waiting(on: .change(id))).sorted() {
            guard let (state, candidate) = try storage.change(at: position), state == .pending else { continue }
            if let held = try storage.author(candidate.author).heldFrom, candidate.seq >= held { continue }
            guard try missingDeps(candidate, applied: applied, in: &storage).isEmpty else { continue }
            try storage.setState(.applied, at: position)
            try storage.stopWaiting(position)
            applied.insert(candidate.id)
            ready.append(candidate)
        }
        return ready
    }

    /// What a revocation did to the log (`revoke`).
    public struct Revocation: Sendable, Equatable {
        /// The subject's changes quarantined as revoked, in the order stored.
        public var quarantined: [LogFacts.Row] = []
        /// Those of them that were applied: what was derived from them must be taken back (the host's views and heads).
        public var unapplied: [ChangeID] = []
        /// Changes that waited on a revoked one and now apply (a revoked dep counts as present), in the order released.
        public var released: [Change] = []
    }

    /// A revocation of `subject` dated `at` (ms) applied: every change of the subject dated at or after
    /// it, outside `_admin` and not already quarantined, is quarantined as revoked (trust.md §7). An
    /// `_admin` change carries a self-authenticating payload and stays. What waited on a revoked
    /// change goes on: a revocation is final, so the revoked dep counts as present (`missingDeps`).
    public static func revoke<S: LogStorage>(_ subject: PublicKey, from at: UInt64, in storage: inout S) throws -> Revocation {
        var out = Revocation()
        let from = Int64(clamping: at << 16)
        for row in try storage.changes(of: subject, from: 1)
        where row.hlc >= from && row.state != .quarantined && row.scope != .admin {
            if row.state == .applied { out.unapplied.append(row.id) }
            try storage.setState(.quarantined, at: row.position)
            try storage.stopWaiting(row.position)
            try storage.quarantine(row.position, reason: .revoked)
            out.quarantined.append(row)
        }
        guard !out.quarantined.isEmpty, try storage.anyPending() else { return out }
        var applied = Set<ChangeID>()
        for row in out.quarantined {
            var work = try unblocked(by: row.id, applied: &applied, in: &storage)
            while let c = work.popLast() {
                out.released.append(c)
                work += try unblocked(by: c.id, applied: &applied, in: &storage)
            }
        }
        return out
    }

    /// A change that is not new, settled: a duplicate does nothing; an equivocation is stored held
    /// and holds its author. Nil for a new change, which the caller admits (or its gate refuses).
    private static func settleArrival<S: LogStorage>(
        _ change: Change, author: LogAuthor, applied: inout Set<ChangeID>, in storage: inout S
    ) throws -> Verdict? {
        switch try arrival(change, author: author, in: &storage) {
        case .duplicate: return .duplicate
        case .equivocation:
            _ = try storage.insert(change, state: .held)
            // What this batch applied and the equivocation took back is no longer there for the rest of it.
            applied.subtract(try equivocation(change, author: author, in: &storage).unapplied)
            return .equivocation
        case .new: return nil
        }
    }

    /// A new change stored in the state `admission` gives it, waiting on the deps it misses if pending.
    private static func admit<S: LogStorage>(
        _ change: Change, author: LogAuthor, applied: Set<ChangeID>, in storage: inout S
    ) throws -> ChangeState {
        let (state, missing) = try admission(
            change, author: author, missing: { try missingDeps(change, applied: applied, in: &storage) }, readsDetached: { false })
        let position = try storage.insert(change, state: state)
        if state == .pending { try storage.wait(position, on: missing.map(LogWait.change)) }
        return state
    }

    /// What became of one arriving change in `append`.
    public enum Verdict: Sendable, Equatable, CustomStringConvertible {
        case duplicate
        case equivocation
        case stored(ChangeState)
        public var description: String {
            switch self {
            case .duplicate: "duplicate"
            case .equivocation: "equivocation"
            case .stored(let state): "\(state)"
            }
        }
    }

    /// A batch through the rules in arrival order, with no trust gate before them (the gate is
    /// the host's): arrival → an equivocation held, or admission → stored → waits, or applied and
    /// what waited on it released. One verdict per arriving change. (A replica also takes back what
    /// depended on a change an equivocation un-applies: its views are the host's.)
    public static func append<S: LogStorage>(_ batch: [Change], to storage: inout S) throws -> [Verdict] {
        var verdicts: [Verdict] = []
        var applied = Set<ChangeID>()
        for change in batch {
            let author = try storage.author(change.author)
            if let verdict = try settleArrival(change, author: author, applied: &applied, in: &storage) {
                verdicts.append(verdict)
                continue
            }
            let state = try admit(change, author: author, applied: applied, in: &storage)
            verdicts.append(.stored(state))
            guard state == .applied else { continue }
            var work = [change]
            while let c = work.popLast() {
                applied.insert(c.id)
                work += try unblocked(by: c.id, applied: &applied, in: &storage)
            }
        }
        return verdicts
    }

    /// The quarantined changes waiting on `wait` (dated up to `hlcUpTo`, packed; only `only` when
    /// given), checked by the gate again: one it still refuses waits on what it names now; the others
    /// lose their reason and are admitted as on arrival. Returns those that applied, in log order,
    /// marked in `applied`; the host settles them (`settle`, or its own equivalent).
    public static func release<S: LogStorage, T: TrustStorage>(
        waitingOn wait: LogWait, hlcUpTo: Int64 = .max, only: ChangeID? = nil, gate: inout TrustGate<T>, now: UInt64,
        applied: inout Set<ChangeID>, in storage: inout S, readsDetached: (Change) throws -> Bool = { _ in false }
    ) throws -> [Change] {
        var ready: [Change] = []
        for position in try storage.waiting(on: wait) {
            guard let (state, candidate) = try storage.change(at: position), state == .quarantined,
                candidate.timestamp.packed <= hlcUpTo, only == nil || candidate.id == only
            else { continue }
            try storage.stopWaiting(position)
            if let (reason, next) = try gate.refusal(candidate, now: now) {
                try storage.quarantine(position, reason: reason)
                try storage.wait(position, on: [next])
                continue
            }
            try storage.quarantine(position, reason: nil)
            let author = try storage.author(candidate.author)
            if try readmit(candidate, at: position, author: author, applied: &applied, in: &storage, readsDetached: readsDetached) {
                ready.append(candidate)
            }
        }
        return ready
    }

    /// A stored change admitted again (released from quarantine, or from a hold a ruling lifted):
    /// moved to the state `admission` gives it, waiting on the deps it misses if pending, marked in
    /// `applied` if applied. True when it applied.
    private static func readmit<S: LogStorage>(
        _ candidate: Change, at position: LogPosition, author: LogAuthor, applied: inout Set<ChangeID>, in storage: inout S,
        readsDetached: (Change) throws -> Bool = { _ in false }
    ) throws -> Bool {
        let seen = applied
        let (admitted, missing) = try admission(
            candidate, author: author, missing: { try missingDeps(candidate, applied: seen, in: &storage) },
            readsDetached: { try readsDetached(candidate) })
        try storage.setState(admitted, at: position)
        switch admitted {
        case .applied: applied.insert(candidate.id)
        case .pending: try storage.wait(position, on: missing.map(LogWait.change))
        case .held, .quarantined: break
        }
        return admitted == .applied
    }

    /// Carries out what applied changes imply, until nothing more does: each teaches the gate (a
    /// certificate releases what waited on its key, an accepted clock the change it names, an upheld
    /// half of an equivocation its author's hold, a revocation sweeps its subject once the rest is
    /// settled) and releases what waited on it.
    public static func settle<S: LogStorage, T: TrustStorage>(
        _ work: [Change], gate: inout TrustGate<T>, now: UInt64, applied: inout Set<ChangeID>, in storage: inout S
    ) throws {
        var work = work
        var revocations: [(PublicKey, UInt64)] = []
        while true {
            while let c = work.popLast() {
                applied.insert(c.id)
                switch try gate.learn(c) {
                case .certificate(let subject)?:
                    work += try release(
                        waitingOn: .certificate(subject), gate: &gate, now: now, applied: &applied, in: &storage)
                case .revocation(let subject, let at)?: revocations.append((subject, at))
                case .ruling(let r)?:
                    switch r.kind {
                    case .acceptClock:
                        work += try release(waitingOn: .clock, only: r.target, gate: &gate, now: now, applied: &applied, in: &storage)
                    case .uphold: work += try uphold(r.target, gate: &gate, applied: &applied, in: &storage)
                    }
                case .policy?, .figures?, nil: break
                }
                work += try unblocked(by: c.id, applied: &applied, in: &storage)
            }
            guard let (subject, at) = revocations.popLast() else { return }
            let revocation = try revoke(subject, from: at, in: &storage)
            // A revoked change waits on its author's key like any refused one (a new certificate re-checks it).
            for row in revocation.quarantined { try storage.wait(row.position, on: [.certificate(subject)]) }
            work += revocation.released
        }
    }

    /// A district admin upheld `target`, one half of an equivocation (trust.md §8): the other half
    /// stays held as proof; the author is held again only from its next equivocation no ruling
    /// resolved (or not at all), and its held changes but the rejected halves are admitted again.
    /// Returns those that apply now, marked in `applied`. A target not stored, or not one half of
    /// an equivocation, changes nothing. `readsDetached`: a change read without its deps (`admission`).
    public static func uphold<S: LogStorage, T: TrustStorage>(
        _ target: ChangeID, gate: inout TrustGate<T>, applied: inout Set<ChangeID>, in storage: inout S,
        readsDetached: (Change) throws -> Bool = { _ in false }
    ) throws -> [Change] {
        guard let standing = try storage.standing(of: target), let (_, change) = try storage.change(at: standing.position) else {
            return []
        }
        let rows = try storage.changes(of: change.author, from: 1)
        let bySeq = Dictionary(grouping: rows, by: \.seq)
        guard (bySeq[change.seq]?.count ?? 0) > 1 else { return [] }
        var unresolved: UInt64?
        var rejected = Set<ChangeID>()
        for seq in bySeq.keys.sorted() where bySeq[seq]!.count > 1 {
            let pair = bySeq[seq]!
            if let kept = try pair.first(where: { try gate.upheld($0.id) }) {
                rejected.formUnion(pair.map(\.id).filter { $0 != kept.id })
            } else if unresolved == nil {
                unresolved = seq
            }
        }
        try storage.hold(change.author, from: unresolved)
        let author = try storage.author(change.author)
        var ready: [Change] = []
        for row in rows.sorted(by: { ($0.seq, $0.position) < ($1.seq, $1.position) }) where row.state == .held && !rejected.contains(row.id)
        {
            guard let (_, candidate) = try storage.change(at: row.position) else { continue }
            // Still held (from a later unresolved equivocation): setting `held` again changes nothing.
            if try readmit(candidate, at: row.position, author: author, applied: &applied, in: &storage, readsDetached: readsDetached) {
                ready.append(candidate)
            }
        }
        return ready
    }

    /// A batch through the trust gate and the rules in arrival order, as a relay or replica that pins
    /// an authority appends it: what the clock now allows first, then each change: a duplicate, an
    /// equivocation held, refused by the gate and stored quarantined (waiting on what it names), or
    /// admitted, stored, and settled. One verdict per arriving change. `payloads`: record payloads
    /// decoded ahead (`TrustGate.recordPayload(of:)`), so rules that run again do not decode them again.
    public static func append<S: LogStorage, T: TrustStorage>(
        _ batch: [Change], to storage: inout S, gate: inout TrustGate<T>, now: UInt64,
        payloads: [ChangeID: Result<RecordPayload, RecordsError>] = [:]
    ) throws -> [Verdict] {
        var verdicts: [Verdict] = []
        var applied = Set<ChangeID>()
        let due = try release(
            waitingOn: .clock, hlcUpTo: clockLimit(now: now), gate: &gate, now: now, applied: &applied, in: &storage)
        try settle(due, gate: &gate, now: now, applied: &applied, in: &storage)
        for change in batch {
            let author = try storage.author(change.author)
            if let verdict = try settleArrival(change, author: author, applied: &applied, in: &storage) {
                verdicts.append(verdict)
                continue
            }
            if let (reason, wait) = try gate.refusal(change, payload: payloads[change.id], now: now) {
                verdicts.append(.stored(.quarantined))
                let position = try storage.insert(change, state: .quarantined)
                try storage.quarantine(position, reason: reason)
                try storage.wait(position, on: [wait])
                // What arrived first and waits on a now-revoked dep may go on (`missingDeps`).
                if reason == .revoked, try storage.anyPending() {
                    try settle(
                        try unblocked(by: change.id, applied: &applied, in: &storage), gate: &gate, now: now, applied: &applied,
                        in: &storage)
                }
                continue
            }
            let state = try admit(change, author: author, applied: applied, in: &storage)
            verdicts.append(.stored(state))
            if state == .applied { try settle([change], gate: &gate, now: now, applied: &applied, in: &storage) }
        }
        return verdicts
    }
}
