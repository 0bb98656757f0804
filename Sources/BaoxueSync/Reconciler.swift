import BaoxueCore

/// Range-based set reconciliation of one scope (after Meyer, "Range-Based
/// Set Reconciliation", and the Negentropy protocol), as a pure state machine.
///
/// Both sides hold their items sorted by (timestamp, id). The initiator
/// opens (one fingerprint of everything, or for a large set a first split);
/// whoever sees a fingerprint differ splits that range, into as many buckets
/// as its plan says, until the responder lists ids outright at the planned
/// message; the other side answers a list with the ids it holds that the
/// list lacks plus one bit per listed id, and an empty list with "all of
/// mine" (no ids). A reply that would outgrow the budget keeps the peer's
/// ranges it has not answered for its next message (`deferred`), so no
/// level of splitting is ever redone.
///
/// Invariant: `toSend` only ever holds this side's own items and `toReceive`
/// and `toReceiveRanges` only what this side lacks; each is learnt once.
public struct Reconciler: Sendable {
    /// A reply's ranges stop growing at this many bytes: every message fits one Noise frame
    /// and a slow link never waits long for a whole message.
    public static let messageBudget = 60_000
    /// An id list is answered with this side's ids only up to this many; beyond, the range is split.
    public static let answerCap = 1_024
    /// No honest exchange needs more messages: each either narrows ranges or fills its budget.
    public static let maxRounds = 256

    /// Items the peer will send without naming them (the answer to this side's empty id list).
    public struct ReceiveRange: Equatable, Sendable {
        public let lower: RangeBound
        public let upper: RangeBound
        public let count: UInt64
    }

    /// One of the peer's ranges this side must answer: `mine` are its items in `[lower, upper)`.
    /// `message` is the number its answer has in the plan, even when a full reply defers it, and
    /// `density` the differences a differing range of that message holds, as estimated from it.
    struct Work {
        let lower: RangeBound
        let upper: RangeBound
        let mine: Range<Int>
        let mode: ReconcileRange.Mode
        var message = 0
        var density = 1.0
    }

    /// An id list this side sent, until it is answered.
    struct SentList {
        let lower: RangeBound
        let items: [SyncItem]
    }

    let items: ReconciliationSet
    /// Items this side holds and the peer lacks.
    public private(set) var toSend: [SyncItem] = []
    /// Ids the peer holds and this side lacks.
    public private(set) var toReceive: Set<ShortID> = []
    public private(set) var toReceiveRanges: [ReceiveRange] = []
    /// This side has nothing more to say or hear for the scope.
    public private(set) var isDone = false
    public private(set) var roundsProcessed = 0
    /// RECONCILE messages of this scope so far, both directions; the initiator's are odd.
    private(set) var messages = 0
    let plan: SplitPlan
    private var listsAwaitingAnswer: [RangeBound: SentList] = [:]
    private var backlog: [Work] = []

    /// `items` must be sorted ascending and free of duplicates.
    public init(items: [SyncItem]) {
        self.init(set: ReconciliationSet(sortedUnique: items))
    }

    public init(set: ReconciliationSet) {
        items = set
        plan = SplitPlan(count: set.count)
    }

    /// The initiator's opening ranges: an empty id list when it holds nothing, one fingerprint of
    /// everything, or (a set whose plan splits at once) the first split.
    public mutating func opening() -> [ReconcileRange] {
        messages = 1
        let all = Work(lower: .zero, upper: .infinity, mine: 0..<items.count, mode: .fingerprint([]))
        if items.isEmpty || !plan.opensWithSplit {
            if items.isEmpty { listsAwaitingAnswer[.infinity] = SentList(lower: .zero, items: []) }
            return items.isEmpty
                ? [ReconcileRange(upper: .infinity, mode: .idList([]))]
                : [ReconcileRange(upper: .infinity, mode: .fingerprint(fingerprint(all.mine)))]
        }
        let answer = split(all, message: 1, density: 1)
        commit(answer)
        return answer.ranges
    }

    /// Processes the peer's ranges; returns the reply, or nil when there is nothing to send
    /// (then the scope is done on this side).
    public mutating func process(_ incoming: [ReconcileRange]) throws(SyncError) -> [ReconcileRange]? {
        guard !isDone else { throw .unexpectedMessage(type: SyncMessage.Kind.reconcile.rawValue) }
        roundsProcessed += 1
        guard roundsProcessed <= Self.maxRounds else { throw .tooManyRounds }
        messages += 1
        let fresh = Self.estimateDensity(try read(incoming), set: items, message: messages + 1)
        let work = try Self.merged(fresh, backlog)
        let peerOwes = incoming.last?.mode == .deferred
        let asked = incoming.contains { $0.mode.needsAnswer }
        var reply = ReplyBuilder()
        backlog = []
        for w in work {
            let answer = respond(to: w)
            guard !answer.ranges.isEmpty else { continue }
            // Neighbouring ranges where this side holds nothing are asked for with one empty list.
            if answer.ranges.count == 1, answer.ranges[0].mode == .idList([]), reply.lastUpper == w.lower,
                reply.ranges.last?.mode == .idList([]), let merged = listsAwaitingAnswer.removeValue(forKey: w.lower)
            {
                reply.extendLast(to: w.upper)
                listsAwaitingAnswer[w.upper] = merged
                continue
            }
            if reply.size > 0, reply.size + reply.cost(answer.ranges, after: w.lower) > Self.messageBudget - 16 {
                backlog.append(w)
                continue
            }
            reply.append(answer.ranges, after: w.lower)
            commit(answer)
        }
        if !backlog.isEmpty { reply.append([ReconcileRange(upper: .infinity, mode: .deferred)], after: reply.lastUpper) }
        let ranges = reply.ranges
        let asks = ranges.contains { $0.mode.needsAnswer }
        if !asks && !peerOwes {
            guard listsAwaitingAnswer.isEmpty else { throw .malformed("an id list was left unanswered") }
            isDone = true
        }
        guard asked || !ranges.isEmpty else { return nil }
        messages += 1
        return ranges
    }

    /// Learns from the peer's answers and collects the ranges it asks about.
    private mutating func read(_ incoming: [ReconcileRange]) throws(SyncError) -> [Work] {
        var fresh: [Work] = []
        var lower = RangeBound.zero
        var lo = 0
        for range in incoming {
            let hi = items.firstIndex(atOrAbove: range.upper, from: lo)
            defer { (lower, lo) = (range.upper, hi) }
            switch range.mode {
            case .idListResponse(let have, let need):
                guard let sent = listsAwaitingAnswer.removeValue(forKey: range.upper) else {
                    throw .malformed("answer to an id list never sent")
                }
                guard need.count == sent.items.count else { throw .malformed("need bits do not match the list") }
                for (item, wanted) in zip(sent.items, need) where wanted { toSend.append(item) }
                let mine = Set(sent.items.map(ShortID.init))
                for id in have where !mine.contains(id) { toReceive.insert(id) }
            case .all(let count):
                guard let sent = listsAwaitingAnswer.removeValue(forKey: range.upper), sent.items.isEmpty else {
                    throw .malformed("'all' answers no empty id list")
                }
                toReceiveRanges.append(ReceiveRange(lower: sent.lower, upper: range.upper, count: count))
            case .fingerprint, .idList:
                fresh.append(Work(lower: lower, upper: range.upper, mine: lo..<hi, mode: range.mode))
            case .skip, .deferred:
                break
            }
        }
        return fresh
    }

    /// The peer's new ranges and this side's backlog, in order; they never overlap (the peer only
    /// splits or lists ranges this side sent, and this side sent none where its backlog lies).
    static func merged(_ fresh: [Work], _ backlog: [Work]) throws(SyncError) -> [Work] {
        guard !backlog.isEmpty else { return fresh }
        var out: [Work] = []
        out.reserveCapacity(fresh.count + backlog.count)
        var i = 0
        var j = 0
        while i < fresh.count || j < backlog.count {
            if j == backlog.count || (i < fresh.count && fresh[i].lower < backlog[j].lower) {
                out.append(fresh[i])
                i += 1
            } else {
                out.append(backlog[j])
                j += 1
            }
            if out.count > 1, out[out.count - 1].lower < out[out.count - 2].upper {
                throw .malformed("ranges overlap ranges not yet answered")
            }
        }
        return out
    }

    /// Numbers the peer's new ranges for the plan and estimates how many differences a differing
    /// range holds: if a share f of the message's fingerprints differ and differences fall at
    /// random, a range holds λ = −ln(1 − f) on average and a differing one λ / f. When all differ,
    /// λ is only known to be large; ln(count) + 2 is taken (the least λ for which all of `count`
    /// ranges differing is likely).
    static func estimateDensity(_ fresh: [Work], set: ReconciliationSet, message: Int) -> [Work] {
        var total = 0
        var differing = 0
        for w in fresh {
            guard case .fingerprint(let theirs) = w.mode else { continue }
            total += 1
            if theirs != Fingerprints.of(set.sum(w.mine)) { differing += 1 }
        }
        var density = 1.0
        if total > 1, differing > 0 {
            let f = Double(differing) / Double(total)
            let lambda = differing == total ? SplitPlan.ln(Double(total)) + 2 : -SplitPlan.ln(1 - f)
            density = max(1, lambda / f)
        }
        return fresh.map {
            var w = $0
            w.message = message
            w.density = density
            return w
        }
    }

    // MARK: - Answers

    /// What answering one range says and what it teaches this side (applied only if it is sent).
    struct Answer {
        var ranges: [ReconcileRange] = []
        var send: [SyncItem] = []
        var receive: [ShortID] = []
        var lists: [(RangeBound, SentList)] = []
    }

    private func respond(to w: Work) -> Answer {
        let m = w.mine.count
        switch w.mode {
        case .fingerprint(let theirs):
            if theirs == fingerprint(w.mine) { return Answer() }
            if theirs == Fingerprints.empty, m > 0 { return all(w) }
            return split(w, message: w.message, density: w.density)
        case .idList(let theirs):
            if theirs.isEmpty { return m == 0 ? answer([], w) : all(w) }
            return m <= Self.answerCap ? answer(theirs, w) : split(w, message: w.message, density: w.density)
        case .skip, .idListResponse, .all, .deferred:
            return Answer()
        }
    }

    /// The peer holds nothing here: every item of mine goes, named by count only.
    private func all(_ w: Work) -> Answer {
        Answer(ranges: [ReconcileRange(upper: w.upper, mode: .all(count: UInt64(w.mine.count)))], send: Array(items[w.mine]))
    }

    /// Answers the peer's id list, learning both directions at once.
    private func answer(_ theirs: [ShortID], _ w: Work) -> Answer {
        var out = Answer()
        let theirSet = Set(theirs)
        var have: [ShortID] = []
        var mineSet = Set<ShortID>()
        for item in items[w.mine] {
            let id = ShortID(item)
            mineSet.insert(id)
            if !theirSet.contains(id) {
                have.append(id)
                out.send.append(item)
            }
        }
        let need = theirs.map { !mineSet.contains($0) }
        for (id, wanted) in zip(theirs, need) where wanted { out.receive.append(id) }
        out.ranges = [ReconcileRange(upper: w.upper, mode: .idListResponse(have: have, need: need))]
        return out
    }

    /// An id list of the range, or fingerprints of `plan.buckets` consecutive buckets of it.
    private func split(_ w: Work, message: Int, density: Double) -> Answer {
        let n = w.mine.count
        let b = plan.buckets(items: n, message: message, density: density)
        if b <= 1 {
            let listed = Array(items[w.mine])
            return Answer(
                ranges: [ReconcileRange(upper: w.upper, mode: .idList(listed.map(ShortID.init)))],
                lists: [(w.upper, SentList(lower: w.lower, items: listed))])
        }
        var out = Answer()
        out.ranges.reserveCapacity(b)
        let per = n / b
        let extra = n % b
        var start = w.mine.lowerBound
        var previous = w.lower.timestamp == .max ? 0 : w.lower.timestamp
        for i in 0..<b {
            let end = start + per + (i < extra ? 1 : 0)
            let bound = i == b - 1 ? w.upper : RangeBound.between(items[end - 1], items[end], after: previous)
            out.ranges.append(ReconcileRange(upper: bound, mode: .fingerprint(fingerprint(start..<end))))
            if bound != .infinity { previous = bound.timestamp }
            start = end
        }
        return out
    }

    private mutating func commit(_ a: Answer) {
        toSend += a.send
        for id in a.receive { toReceive.insert(id) }
        for (upper, list) in a.lists { listsAwaitingAnswer[upper] = list }
    }

    private func fingerprint(_ r: Range<Int>) -> [UInt8] { Fingerprints.of(items.sum(r)) }

    /// The fingerprint of a sorted run of items (`Protocol/sync.md` §4.2).
    public static func fingerprint(of items: [SyncItem]) -> [UInt8] { Fingerprints.of(items: items) }
}
