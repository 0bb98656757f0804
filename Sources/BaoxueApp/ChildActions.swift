import BaoxueCore
import BaoxueRecords
import BaoxueStore

/// What can be recorded about a child right now, beyond what always can: the leaves still open
/// (a 销假 ends one), the persuasion cases still open (an attempt goes under one), and the ledger
/// entries still open (an admin closes one out). A screen offers exactly these; the record rules
/// refuse anything else all the same.
public struct ChildActions: Sendable, Equatable {
    /// A leave not yet ended: its op (what a 销假 names) and its days.
    public struct OpenLeave: Sendable, Equatable {
        public let op: String
        public let from: String
        public let to: String
        public let reason: String
    }

    /// An open case: its id and the line the child's file shows for it.
    public struct OpenCase: Sendable, Equatable {
        public let caseFile: String
        public let line: String
    }

    public let name: String
    public let leaves: [OpenLeave]
    public let cases: [OpenCase]
    public let ledgers: [Ledger]

    public init(name: String, leaves: [OpenLeave], cases: [OpenCase], ledgers: [Ledger]) {
        self.name = name
        self.leaves = leaves
        self.cases = cases
        self.ledgers = ledgers
    }
}

extension ReplicaCommands {
    static func childActions(_ replica: Replica, child: String, language l: Language) throws(AppError) -> ChildActions {
        let log = replica.log
        let id = try resolveChild(log, child)
        let (view, events, cases, entries) = try attempt { () throws(StoreError) in
            (try log.child(id), try log.events(child: id), try log.cases(child: id), try log.ledgerHistory(child: id))
        }
        guard let view else { throw .childUnknown(child) }
        let ended = Set(events.filter { !$0.voided }.compactMap(\.event.amends))
        let leaves: [ChildActions.OpenLeave] = events.compactMap { row in
            guard !row.voided, row.event.amends == nil, !ended.contains(row.op), case .leave(let leave) = row.event.body else { return nil }
            return .init(op: row.op.text, from: leave.from.description, to: leave.to.description, reason: leave.reason)
        }
        let text = EventText(language: l)
        return ChildActions(
            name: view.name ?? "",
            leaves: leaves,
            cases: cases.filter { $0.placement == nil }.map { .init(caseFile: $0.caseFile.hex, line: text.caseLine($0)) },
            ledgers: entries.filter { $0.closed == nil }.map(\.ledger))
    }
}
