import BaoxueCore

/// Range-based set reconciliation of one scope (after Meyer, "Range-Based
/// Set Reconciliation", and the Negentropy protocol), as a pure state machine.
///
/// Both sides hold their items sorted by (timestamp, id). The initiator
/// opens with one fingerprint of everything; whoever sees a fingerprint
/// differ splits that range into `branching` sub-ranges, until a range is
/// small enough to list its ids outright; the other side answers a list
/// with the ids it holds that the list lacks plus one bit per listed id.
///
/// Invariant: `toSend` only ever holds this side's own items and `toReceive`
/// only ids this side lacks; each is learnt once.
public struct Reconciler: Sendable {
    public static let branching = 16
    /// Ranges with fewer items than this are sent as id lists.
    public static let listThreshold = 2 * branching
    /// A reply stops splitting once it reaches this size and hands the
    /// remaining ranges back as fingerprints, so every message fits one
    /// Noise frame and a slow link never waits long for a whole message.
    public static let messageBudget = 60_000
    /// An id list is answered with this side's ids only up to this many; beyond, the range is split.
    public static let answerCap = 1_024
    /// No honest exchange needs more messages: each round either narrows
    /// ranges 16-fold or resolves up to `messageBudget` bytes of them.
    public static let maxRounds = 256

    let items: [SyncItem]
    /// Items this side holds and the peer lacks.
    public private(set) var toSend: [SyncItem] = []
    /// Ids the peer holds and this side lacks.
    public private(set) var toReceive: Set<ShortID> = []
    /// This side has nothing more to say or hear for the scope.
    public private(set) var isDone = false
    public private(set) var roundsProcessed = 0
    private var listsAwaitingAnswer: [RangeBound: [SyncItem]] = [:]

    /// `items` must be sorted ascending and free of duplicates.
    public init(items: [SyncItem]) {
        self.items = items
    }

    /// The initiator's opening ranges: one fingerprint of the whole set,
    /// or an empty id list when it holds nothing.
    public mutating func opening() -> [ReconcileRange] {
        if items.isEmpty {
            listsAwaitingAnswer = [.infinity: []]
            return [ReconcileRange(upper: .infinity, mode: .idList([]))]
        }
        return [ReconcileRange(upper: .infinity, mode: .fingerprint(FingerprintSum.of(items[...])))]
    }

    /// Processes the peer's ranges; returns the reply, or nil when the
    /// peer's message asked nothing (then the scope is done on both sides).
    public mutating func process(_ incoming: [ReconcileRange]) throws(SyncError) -> [ReconcileRange]? {
        guard !isDone else { throw .unexpectedMessage(type: SyncMessage.Kind.reconcile.rawValue) }
        roundsProcessed += 1
        guard roundsProcessed <= Self.maxRounds else { throw .tooManyRounds }
        let awaiting = listsAwaitingAnswer
        listsAwaitingAnswer = [:]
        var out: [ReconcileRange] = []
        var size = 0
        var lo = 0
        /// Once the reply is full: the index of the first item left for a later round.
        var deferredFrom: Int?
        for range in incoming {
            let hi = items.firstIndex(atOrAbove: range.upper, from: lo)
            defer { lo = hi }
            if case .idListResponse(let have, let need) = range.mode {
                // Always read: it carries what each side lacks.
                try learn(have: have, need: need, listed: awaiting[range.upper])
                if deferredFrom == nil { out.append(ReconcileRange(upper: range.upper, mode: .skip)) }
                continue
            }
            if deferredFrom != nil { continue }
            let mine = items[lo..<hi]
            let equal: Bool, cost: Int
            switch range.mode {
            case .skip, .idListResponse:
                (equal, cost) = (true, 0)
            case .fingerprint(let theirs):
                (equal, cost) = (FingerprintSum.of(mine) == theirs, Self.estimate(items: mine.count))
            case .idList(let theirs):
                let answers = mine.count <= Self.answerCap
                (equal, cost) = (false, answers ? 12 + ShortID.length * mine.count + theirs.count / 8 : Self.estimate(items: mine.count))
            }
            if equal {
                out.append(ReconcileRange(upper: range.upper, mode: .skip))
                continue
            }
            if size > 0 && size + cost > Self.messageBudget {
                deferredFrom = lo
                continue
            }
            size += cost
            if case .idList(let theirs) = range.mode, mine.count <= Self.answerCap {
                out.append(answer(theirs, mine: mine, upper: range.upper))
            } else {
                // Differs, or too many of mine to list back: split; the peer answers each part.
                out += split(lo, hi, upper: range.upper)
            }
        }
        if let from = deferredFrom {
            // Like Negentropy's frame limit: one fingerprint for everything left; the peer splits it next round.
            out.append(ReconcileRange(upper: .infinity, mode: .fingerprint(FingerprintSum.of(items[from...]))))
        }
        let reply = Self.compact(out)
        let asked = incoming.contains { $0.mode.needsAnswer }
        if !reply.contains(where: { $0.mode.needsAnswer }) { isDone = true }
        return asked ? reply : nil
    }

    /// Reads the answer to one of this side's id lists.
    private mutating func learn(have: [ShortID], need: [Bool], listed: [SyncItem]?) throws(SyncError) {
        guard let listed else { throw .malformed("answer to an id list never sent") }
        guard need.count == listed.count else { throw .malformed("need bits do not match the list") }
        for (item, wanted) in zip(listed, need) where wanted { toSend.append(item) }
        let mine = Set(listed.map(ShortID.init))
        for id in have where !mine.contains(id) { toReceive.insert(id) }
    }

    /// Answers the peer's id list, learning both directions at once.
    private mutating func answer(_ theirs: [ShortID], mine: ArraySlice<SyncItem>, upper: RangeBound) -> ReconcileRange {
        let theirSet = Set(theirs)
        var have: [ShortID] = []
        var mineSet = Set<ShortID>()
        for item in mine {
            let id = ShortID(item)
            mineSet.insert(id)
            if !theirSet.contains(id) {
                have.append(id)
                toSend.append(item)
            }
        }
        let need = theirs.map { !mineSet.contains($0) }
        for (id, wanted) in zip(theirs, need) where wanted { toReceive.insert(id) }
        return ReconcileRange(upper: upper, mode: .idListResponse(have: have, need: need))
    }

    private mutating func split(_ lo: Int, _ hi: Int, upper: RangeBound) -> [ReconcileRange] {
        let n = hi - lo
        if n < Self.listThreshold {
            let listed = Array(items[lo..<hi])
            listsAwaitingAnswer[upper] = listed
            return [ReconcileRange(upper: upper, mode: .idList(listed.map(ShortID.init)))]
        }
        var out: [ReconcileRange] = []
        let per = n / Self.branching, extra = n % Self.branching
        var start = lo
        for b in 0..<Self.branching {
            let end = start + per + (b < extra ? 1 : 0)
            let bound = b == Self.branching - 1 ? upper : RangeBound.between(items[end - 1], items[end])
            out.append(ReconcileRange(upper: bound, mode: .fingerprint(FingerprintSum.of(items[start..<end]))))
            start = end
        }
        return out
    }

    /// The fingerprint of a sorted run of items (`Protocol/sync.md`, "Fingerprint").
    public static func fingerprint(of items: [SyncItem]) -> [UInt8] { FingerprintSum.of(items[...]) }

    /// About how many bytes answering a range of `n` items adds: a split, or an id list.
    static func estimate(items n: Int) -> Int {
        n < listThreshold ? 12 + ShortID.length * n : branching * 26
    }

    /// Merges runs of skips and drops trailing ones (the rest of the line is implicitly skipped).
    static func compact(_ ranges: [ReconcileRange]) -> [ReconcileRange] {
        var out: [ReconcileRange] = []
        for r in ranges {
            if r.mode == .skip, let last = out.last, last.mode == .skip { out[out.count - 1] = r } else { out.append(r) }
        }
        while out.last?.mode == .skip { out.removeLast() }
        return out
    }
}
