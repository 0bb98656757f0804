/// One opener of a ledger (records.md §3): the day its fact puts the child on the ledger, and
/// the day of the first close-out (销号) naming it, if any.
public struct LedgerSpan: Sendable, Equatable {
    public let ledger: Ledger
    public let child: RecordID
    /// The opener's own date: a status's date, an absence's first day.
    public let opened: SimpleDate
    /// The day (UTC+8) of the earliest close-out naming this opener; nil while none does.
    public let closed: SimpleDate?

    public init(ledger: Ledger, child: RecordID, opened: SimpleDate, closed: SimpleDate?) {
        self.ledger = ledger
        self.child = child
        self.opened = opened
        self.closed = closed
    }
}

/// A ledger entry: a run of days on which a child was on a ledger. It opens when the child
/// enters the ledger from outside it and closes only by 销号.
public struct LedgerEntry: Sendable, Equatable {
    public let ledger: Ledger
    public let child: RecordID
    public let opened: SimpleDate
    /// The first day it was no longer open; nil while open.
    public let closed: SimpleDate?
}

/// The ledger as it stood at the end of a day, by the facts' own dates (records.md §3.1).
///
/// A child is on a ledger on day `t` when some opener dated on or before `t` is not yet named
/// by a close-out dated on or before `t`. Entries are the maximal runs of such days, so the
/// writes that open nothing new (a second status, the write settling a conflict) add no entry,
/// facts dated after `t` change nothing about `t`, and a report re-run later gives the same
/// figures. Pure: the store only gathers the spans.
public enum LedgerEntries {
    public static func entries(_ spans: [LedgerSpan], asOf day: SimpleDate) -> [LedgerEntry] {
        var byKey: [String: [(opened: SimpleDate, closed: SimpleDate?)]] = [:]
        var keys: [String: (Ledger, RecordID)] = [:]
        for s in spans where s.opened <= day {
            let closed = s.closed.flatMap { $0 <= day ? $0 : nil }
            if let closed, closed <= s.opened { continue } // closed on or before its own date: never on the ledger
            let key = s.ledger.rawValue + "/" + s.child.hex
            keys[key] = (s.ledger, s.child)
            byKey[key, default: []].append((s.opened, closed))
        }
        var out: [LedgerEntry] = []
        for key in byKey.keys.sorted() {
            let (ledger, child) = keys[key]!
            var runs: [(opened: SimpleDate, closed: SimpleDate?)] = []
            for span in byKey[key]!.sorted(by: { $0.opened < $1.opened }) {
                if let last = runs.last, last.closed.map({ span.opened <= $0 }) ?? true {
                    let closed: SimpleDate? = if let a = last.closed, let b = span.closed { max(a, b) } else { nil }
                    runs[runs.count - 1] = (last.opened, closed)
                } else {
                    runs.append(span)
                }
            }
            out += runs.map { LedgerEntry(ledger: ledger, child: child, opened: $0.opened, closed: $0.closed) }
        }
        return out
    }
}
