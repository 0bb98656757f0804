import BaoxueCore
import BaoxueTrust

/// One read the log's rules can make, named so that a storage the rules cannot call synchronously
/// (PostgreSQL over the network) can answer it ahead of time. Each case is one `LogStorage` read.
public enum LogNeed: Sendable, Hashable {
    /// The author's hold and highest stored seq.
    case author(PublicKey)
    /// The ids stored for one author and seq.
    case seq(PublicKey, UInt64)
    /// Whether a change is stored: its position, state and quarantine reason.
    case id(ChangeID)
    /// The change stored at a position.
    case position(LogPosition)
    /// The positions waiting on a dep, a certificate or the clock.
    case waiters(LogWait)
    /// The author's stored changes from a seq on (an equivocation holds them).
    case authorFrom(PublicKey, UInt64)
    /// Whether any stored change is pending.
    case anyPending
    /// The stored changes citing an id among their deps.
    case citing(ChangeID)
}

/// A read the rules made that `LogFacts` cannot answer: fetch `need`, then run the rules again.
public struct LogMiss: Error, Sendable, Equatable {
    public let need: LogNeed
    public init(_ need: LogNeed) { self.need = need }
}

/// What a storage said of its stored log, read ahead of the rules (`LogSnapshot` runs them over it).
///
/// Invariant: every fact was read in the transaction the rules' writes will commit in, so a fact
/// is never stale while the rules use it; a fact not here is unknown (a miss), never assumed absent.
public struct LogFacts: Sendable {
    /// A stored change's place, state and quarantine reason, with its scope and date (packed HLC).
    public struct Row: Sendable, Equatable {
        public let position: LogPosition
        public let id: ChangeID
        public let seq: UInt64
        public let state: ChangeState
        public let reason: QuarantineReason?
        public let scope: ScopeID
        public let hlc: Int64

        public init(
            position: LogPosition, id: ChangeID, seq: UInt64, state: ChangeState, reason: QuarantineReason?, scope: ScopeID, hlc: Int64
        ) {
            self.position = position
            self.id = id
            self.seq = seq
            self.state = state
            self.reason = reason
            self.scope = scope
            self.hlc = hlc
        }
    }

    var authors: [PublicKey: LogAuthor] = [:]
    var seqs: [PublicKey: [UInt64: [ChangeID]]] = [:]
    /// nil inside: known not stored.
    var rows: [ChangeID: Row?] = [:]
    var changes: [LogPosition: (row: Row, change: Change)] = [:]
    var waiters: [LogWait: [LogPosition]] = [:]
    var authorRows: [PublicKey: (from: UInt64, rows: [Row])] = [:]
    var anyPending: Bool?
    var citing: [ChangeID: [LogPosition]] = [:]

    public init() {}

    /// Whether `need` is answered already.
    public func knows(_ need: LogNeed) -> Bool {
        switch need {
        case .author(let key): authors[key] != nil
        case .seq(let key, let seq): seqs[key]?[seq] != nil
        case .id(let id): rows[id] != nil
        case .position(let position): changes[position] != nil
        case .waiters(let dep): waiters[dep] != nil
        case .authorFrom(let key, let seq): authorRows[key].map { $0.from <= seq } ?? false
        case .anyPending: anyPending != nil
        case .citing(let id): citing[id] != nil
        }
    }

    public mutating func author(_ key: PublicKey, is author: LogAuthor) { authors[key] = author }
    public mutating func ids(author: PublicKey, seq: UInt64, are ids: [ChangeID]) { seqs[author, default: [:]][seq] = ids }
    /// `row` nil: not stored.
    public mutating func id(_ id: ChangeID, is row: Row?) { rows[id] = .some(row) }
    public mutating func position(_ position: LogPosition, holds change: Change, as row: Row) {
        changes[position] = (row, change)
        rows[change.id] = .some(row)
    }
    public mutating func waiters(on dep: LogWait, are positions: [LogPosition]) { waiters[dep] = positions.sorted() }
    public mutating func changes(of author: PublicKey, from seq: UInt64, are rows: [Row]) {
        authorRows[author] = (seq, rows.sorted { $0.position < $1.position })
    }
    public mutating func anyPending(_ value: Bool) { anyPending = value }
    public mutating func citing(_ id: ChangeID, are positions: [LogPosition]) { citing[id] = positions.sorted() }

    /// What the rules will surely read for `batch`: each author, each id and dep, who waits on
    /// each id, each author's seq slot, and whether anything is pending. Fetched together before
    /// the first run, they leave only release chains and equivocations to misses.
    public static func needs(of batch: [Change]) -> [LogNeed] {
        var out: [LogNeed] = [.anyPending]
        var seen: Set<LogNeed> = [.anyPending]
        func add(_ need: LogNeed) { if seen.insert(need).inserted { out.append(need) } }
        for change in batch {
            add(.author(change.author))
            add(.seq(change.author, change.seq))
            add(.id(change.id))
            add(.waiters(.change(change.id)))
            for dep in change.deps { add(.id(dep)) }
            // What an applied `_admin` change makes the gated rules read: the changes waiting on a
            // certified key, a revoked subject's changes. Read ahead, a batch of a district's
            // certificates (an enrollment, a first upstream sync) costs one round, not one per certificate.
            guard change.scope == .admin, let tag = change.payload.first else { continue }
            switch tag {
            case AdminPayload.certificateTag:
                if let cert = try? Certificate.decode(Array(change.payload.dropFirst())) { add(.waiters(.certificate(cert.subject))) }
            case AdminPayload.revocationTag:
                if case .revocation(let r)? = try? AdminPayload.decode(change.payload) { add(.authorFrom(r.subject, 1)) }
            default: break
            }
        }
        return out
    }
}
