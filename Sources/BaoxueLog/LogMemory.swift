import BaoxueCore

/// A `LogStorage` in dictionaries: the rules' reference storage, for tests and for checking
/// another storage against (`LogConformance`). Not for devices: it keeps nothing on disk.
public struct LogMemory: LogStorage, Sendable {
    private var changes: [(state: ChangeState, change: Change)] = []
    private var byID: [ChangeID: Int] = [:]
    private var bySeq: [PublicKey: [UInt64: [ChangeID]]] = [:]
    private var holds: [PublicKey: UInt64] = [:]
    private var waits: [LogWait: Set<LogPosition>] = [:]
    private var waitsOf: [LogPosition: Set<LogWait>] = [:]
    private var reasons: [LogPosition: QuarantineReason] = [:]

    public init() {}

    public mutating func author(_ key: PublicKey) throws -> LogAuthor {
        LogAuthor(heldFrom: holds[key], storedSeq: bySeq[key]?.keys.max() ?? 0)
    }

    public mutating func hold(_ key: PublicKey, from seq: UInt64?) throws { holds[key] = seq }

    public mutating func holdChanges(of author: PublicKey, from seq: UInt64) throws -> [ChangeID] {
        var wasApplied: [ChangeID] = []
        for i in changes.indices where changes[i].change.author == author && changes[i].change.seq >= seq {
            if changes[i].state == .applied { wasApplied.append(changes[i].change.id) }
            changes[i].state = .held
            try stopWaiting(LogPosition(Int64(i + 1)))
        }
        return wasApplied
    }

    public mutating func changeIDs(author: PublicKey, seq: UInt64) throws -> [ChangeID] { bySeq[author]?[seq] ?? [] }

    public mutating func changes(of author: PublicKey, from seq: UInt64) throws -> [LogFacts.Row] {
        var facts = LogFacts()
        answer(.authorFrom(author, seq), into: &facts)
        return facts.authorRows[author]?.rows ?? []
    }

    public mutating func standing(of id: ChangeID) throws -> LogStanding? {
        guard let i = byID[id] else { return nil }
        let state = changes[i].state
        let position = LogPosition(Int64(i + 1))
        return LogStanding(state: state, reason: state == .quarantined ? reasons[position] : nil, position: position)
    }

    public mutating func insert(_ change: Change, state: ChangeState) throws -> LogPosition {
        if let i = byID[change.id] { return LogPosition(Int64(i + 1)) }
        changes.append((state, change))
        byID[change.id] = changes.count - 1
        bySeq[change.author, default: [:]][change.seq, default: []].append(change.id)
        return LogPosition(Int64(changes.count))
    }

    public mutating func change(at position: LogPosition) throws -> (state: ChangeState, change: Change)? {
        let i = Int(position.value) - 1
        return changes.indices.contains(i) ? changes[i] : nil
    }

    public mutating func setState(_ state: ChangeState, at position: LogPosition) throws {
        let i = Int(position.value) - 1
        if changes.indices.contains(i) { changes[i].state = state }
    }

    public mutating func wait(_ position: LogPosition, on deps: [LogWait]) throws {
        for dep in deps {
            waits[dep, default: []].insert(position)
            waitsOf[position, default: []].insert(dep)
        }
    }

    public mutating func waiting(on dep: LogWait) throws -> [LogPosition] { (waits[dep] ?? []).sorted() }

    public mutating func stopWaiting(_ position: LogPosition) throws {
        for dep in waitsOf.removeValue(forKey: position) ?? [] { waits[dep]?.remove(position) }
    }

    public mutating func quarantine(_ position: LogPosition, reason: QuarantineReason?) throws { reasons[position] = reason }

    public mutating func anyPending() throws -> Bool { changes.contains { $0.state == .pending } }

    public mutating func citing(_ id: ChangeID) throws -> [LogPosition] { Self.citing(id, in: changes) }

    private static func citing(_ id: ChangeID, in changes: [(state: ChangeState, change: Change)]) -> [LogPosition] {
        changes.indices.filter { changes[$0].change.deps.contains(id) }.map { LogPosition(Int64($0 + 1)) }
    }

    /// Every stored change's id and state, in the order stored (what a conformance check compares).
    public var states: [(ChangeID, ChangeState)] { changes.map { ($0.change.id, $0.state) } }

    /// Answers one read ahead into `facts`, as a remote storage would (the snapshot's tests).
    public func answer(_ need: LogNeed, into facts: inout LogFacts) {
        func row(_ i: Int) -> LogFacts.Row {
            let position = LogPosition(Int64(i + 1))
            let (state, change) = changes[i]
            return LogFacts.Row(
                position: position, id: change.id, seq: change.seq, state: state,
                reason: state == .quarantined ? reasons[position] : nil, scope: change.scope, hlc: change.timestamp.packed)
        }
        switch need {
        case .author(let key):
            facts.author(key, is: LogAuthor(heldFrom: holds[key], storedSeq: bySeq[key]?.keys.max() ?? 0))
        case .seq(let key, let seq): facts.ids(author: key, seq: seq, are: bySeq[key]?[seq] ?? [])
        case .id(let id): facts.id(id, is: byID[id].map(row))
        case .position(let position):
            let i = Int(position.value) - 1
            if changes.indices.contains(i) { facts.position(position, holds: changes[i].change, as: row(i)) }
        case .waiters(let dep): facts.waiters(on: dep, are: Array(waits[dep] ?? []))
        case .authorFrom(let key, let seq):
            let rows = changes.indices.filter { changes[$0].change.author == key && changes[$0].change.seq >= seq }.map(row)
            facts.changes(of: key, from: seq, are: rows)
        case .anyPending: facts.anyPending(changes.contains { $0.state == .pending })
        case .citing(let id): facts.citing(id, are: Self.citing(id, in: changes))
        }
    }
}
