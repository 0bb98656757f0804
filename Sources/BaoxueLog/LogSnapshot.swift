import BaoxueCore

/// A `LogStorage` over `LogFacts` read ahead, keeping every write in an overlay: how the log's
/// rules run against a storage they cannot call synchronously. A read the facts cannot answer
/// throws `LogMiss`; the host fetches it and runs the rules again from the start (`LogSnapshot.run`).
/// What the rules wrote comes out as one `LogDelta`, for the host to commit in the transaction it read in.
///
/// Invariant: a run reads only facts and its own writes, so running the same rules over the same
/// facts twice writes the same delta; a miss leaves nothing behind.
public struct LogSnapshot: LogStorage, Sendable {
    /// Positions of changes inserted in this run: above any stored position, in insertion order.
    public static let firstStaged = Int64(1) << 62

    public private(set) var facts: LogFacts
    private var inserted: [(change: Change, position: LogPosition)] = []
    private var insertedAt: [ChangeID: LogPosition] = [:]
    /// The ids inserted in this run by author and seq (what `author` and `changeIDs` add to the facts).
    private var insertedSlots: [PublicKey: [UInt64: [ChangeID]]] = [:]
    /// The highest seq inserted in this run per author (read at every arrival: kept, not searched for).
    private var insertedMaxSeq: [PublicKey: UInt64] = [:]
    private var states: [LogPosition: ChangeState] = [:]
    private var holds: [PublicKey: UInt64?] = [:]
    private var cleared: Set<LogPosition> = []
    private var added: [LogWait: Set<LogPosition>] = [:]
    private var addedOf: [LogPosition: [LogWait]] = [:]
    /// nil inside: a reason forgotten.
    private var reasons: [LogPosition: QuarantineReason?] = [:]

    public init(facts: LogFacts) { self.facts = facts }

    private static func isStaged(_ position: LogPosition) -> Bool { position.value >= firstStaged }

    private func insertedChange(at position: LogPosition) -> Change? {
        let i = Int(position.value - Self.firstStaged)
        return inserted.indices.contains(i) ? inserted[i].change : nil
    }

    public mutating func author(_ key: PublicKey) throws -> LogAuthor {
        guard var author = facts.authors[key] else { throw LogMiss(.author(key)) }
        if let hold = holds[key] { author.heldFrom = hold }
        if let seq = insertedMaxSeq[key] { author.storedSeq = max(author.storedSeq, seq) }
        return author
    }

    public mutating func hold(_ key: PublicKey, from seq: UInt64?) throws { holds[key] = .some(seq) }

    public mutating func holdChanges(of author: PublicKey, from seq: UInt64) throws -> [ChangeID] {
        guard let stored = facts.authorRows[author], stored.from <= seq else { throw LogMiss(.authorFrom(author, seq)) }
        var touched = stored.rows.filter { $0.seq >= seq }.map { ($0.position, $0.id, $0.state) }
        for entry in inserted where entry.change.author == author && entry.change.seq >= seq {
            touched.append((entry.position, entry.change.id, .held))
        }
        var wasApplied: [ChangeID] = []
        for (position, id, storedState) in touched {
            if (states[position] ?? storedState) == .applied { wasApplied.append(id) }
            states[position] = .held
            try stopWaiting(position)
        }
        return wasApplied
    }

    public mutating func changes(of author: PublicKey, from seq: UInt64) throws -> [LogFacts.Row] {
        guard let stored = facts.authorRows[author], stored.from <= seq else { throw LogMiss(.authorFrom(author, seq)) }
        var rows = stored.rows.filter { $0.seq >= seq }.map { row in
            let state = states[row.position] ?? row.state
            return LogFacts.Row(
                position: row.position, id: row.id, seq: row.seq, state: state,
                reason: state == .quarantined ? reason(at: row.position, stored: row.reason) : nil, scope: row.scope, hlc: row.hlc)
        }
        for entry in inserted where entry.change.author == author && entry.change.seq >= seq {
            let state = states[entry.position] ?? .pending
            rows.append(
                LogFacts.Row(
                    position: entry.position, id: entry.change.id, seq: entry.change.seq, state: state,
                    reason: state == .quarantined ? reason(at: entry.position, stored: nil) : nil, scope: entry.change.scope,
                    hlc: entry.change.timestamp.packed))
        }
        return rows
    }

    public mutating func changeIDs(author: PublicKey, seq: UInt64) throws -> [ChangeID] {
        guard let stored = facts.seqs[author]?[seq] else { throw LogMiss(.seq(author, seq)) }
        return stored + (insertedSlots[author]?[seq] ?? [])
    }

    public mutating func standing(of id: ChangeID) throws -> LogStanding? {
        if let position = insertedAt[id] { return standing(at: position, stored: nil) }
        guard let known = facts.rows[id] else { throw LogMiss(.id(id)) }
        guard let row = known else { return nil }
        return standing(at: row.position, stored: row)
    }

    private func standing(at position: LogPosition, stored: LogFacts.Row?) -> LogStanding {
        let state = states[position] ?? stored?.state ?? .pending
        return LogStanding(
            state: state, reason: state == .quarantined ? reason(at: position, stored: stored?.reason) : nil, position: position)
    }

    /// The reason this run kept for `position` (nil if it forgot it), else the stored one.
    private func reason(at position: LogPosition, stored: QuarantineReason?) -> QuarantineReason? {
        if let written = reasons[position] { return written }
        return stored
    }

    public mutating func insert(_ change: Change, state: ChangeState) throws -> LogPosition {
        if let position = insertedAt[change.id] { return position }
        guard let known = facts.rows[change.id] else { throw LogMiss(.id(change.id)) }
        if let row = known { return row.position }
        let position = LogPosition(Self.firstStaged + Int64(inserted.count))
        inserted.append((change, position))
        insertedAt[change.id] = position
        insertedSlots[change.author, default: [:]][change.seq, default: []].append(change.id)
        insertedMaxSeq[change.author] = max(insertedMaxSeq[change.author] ?? 0, change.seq)
        states[position] = state
        return position
    }

    public mutating func change(at position: LogPosition) throws -> (state: ChangeState, change: Change)? {
        if Self.isStaged(position) {
            guard let change = insertedChange(at: position) else { return nil }
            return (states[position] ?? .pending, change)
        }
        guard let stored = facts.changes[position] else { throw LogMiss(.position(position)) }
        return (states[position] ?? stored.row.state, stored.change)
    }

    public mutating func setState(_ state: ChangeState, at position: LogPosition) throws { states[position] = state }

    public mutating func wait(_ position: LogPosition, on deps: [LogWait]) throws {
        for dep in deps where added[dep, default: []].insert(position).inserted { addedOf[position, default: []].append(dep) }
    }

    public mutating func waiting(on dep: LogWait) throws -> [LogPosition] {
        let addedHere = added[dep] ?? []
        guard let stored = facts.waiters[dep] else { throw LogMiss(.waiters(dep)) }
        return Set(stored.filter { !cleared.contains($0) }).union(addedHere).sorted()
    }

    public mutating func stopWaiting(_ position: LogPosition) throws {
        if !Self.isStaged(position) { cleared.insert(position) }
        for dep in addedOf.removeValue(forKey: position) ?? [] { added[dep]?.remove(position) }
    }

    public mutating func quarantine(_ position: LogPosition, reason: QuarantineReason?) throws { reasons[position] = .some(reason) }

    public mutating func citing(_ id: ChangeID) throws -> [LogPosition] {
        guard let stored = facts.citing[id] else { throw LogMiss(.citing(id)) }
        return stored + inserted.filter { $0.change.deps.contains(id) }.map(\.position)
    }

    public mutating func anyPending() throws -> Bool {
        guard let stored = facts.anyPending else { throw LogMiss(.anyPending) }
        // Conservative: a stored pending change moved out in this run still counts (the rules only
        // skip looking for waiters when this is false).
        return stored || states.values.contains(.pending)
    }

    /// Everything this run wrote, in the order a storage must apply it.
    public var delta: LogDelta {
        LogDelta(
            inserted: inserted.map { ($0.change, states[$0.position] ?? .pending, $0.position) },
            states: states.filter { !Self.isStaged($0.key) },
            cleared: cleared,
            waits: addedOf.filter { !$0.value.isEmpty },
            holds: holds,
            reasons: reasons)
    }

    /// Runs `body` (the rules) over `facts`: fetches `prefetch` first (what the rules surely read,
    /// in one round trip), then each read a run misses, running again from the start until a run
    /// reads nothing unknown; returns its result and its writes. At most `rounds` runs: each adds at
    /// least one fact, so a run that keeps missing is a bug, reported as such.
    public static func run<T>(
        _ facts: inout LogFacts, prefetch: [LogNeed] = [], rounds: Int = 256,
        fetch: ([LogNeed], inout LogFacts) async throws -> Void, body: (inout LogSnapshot) throws -> T
    ) async throws -> (result: T, delta: LogDelta) {
        let unknown = prefetch.filter { !facts.knows($0) }
        if !unknown.isEmpty { try await fetch(unknown, &facts) }
        for _ in 0..<rounds {
            var snapshot = LogSnapshot(facts: facts)
            do {
                let result = try body(&snapshot)
                return (result, snapshot.delta)
            } catch let miss as LogMiss {
                guard !facts.knows(miss.need) else { throw LogSnapshotError.missedAKnownFact(miss.need) }
                try await fetch([miss.need], &facts)
                guard facts.knows(miss.need) else { throw LogSnapshotError.fetchLeftUnknown(miss.need) }
            }
        }
        throw LogSnapshotError.tooManyRounds(rounds)
    }
}

/// Why `LogSnapshot.run` stopped without a result (each is a bug in a fetcher, not bad input).
public enum LogSnapshotError: Error, Sendable, Equatable {
    case missedAKnownFact(LogNeed)
    case fetchLeftUnknown(LogNeed)
    case tooManyRounds(Int)
}
