import BaoxueCore

/// Runs the reconciliation of one scope between two in-memory sets, with
/// every message encoded and decoded as on the wire: what the benchmark
/// measures and the tests check, without a channel or a store.
public enum ReconcileExchange {
    public struct Outcome: Sendable {
        /// What each side learnt it must send (initiator, responder).
        public var initiatorSends: [SyncItem] = []
        public var responderSends: [SyncItem] = []
        public var initiatorReceives: Set<ShortID> = []
        public var responderReceives: Set<ShortID> = []
        /// Ranges whose items arrive unnamed (answers to empty id lists).
        public var initiatorReceivesUnnamed: [Reconciler.ReceiveRange] = []
        public var responderReceivesUnnamed: [Reconciler.ReceiveRange] = []
        /// RECONCILE messages, both directions.
        public var messages = 0
        /// Their bodies' bytes (version, type, scope index, ranges).
        public var bodyBytes = 0
        /// Their bytes as framed on the channel: 4-byte length, and per
        /// flight a 2-byte frame length and a 16-byte tag per 65,519 bytes.
        public var wireBytes = 0
        /// The largest single RECONCILE message body.
        public var largestMessage = 0
        /// Bodies of messages cut by the budget (ending `deferred`): their sizes.
        public var fullMessages: [Int] = []
        /// Replies the initiator waited for (its last message travels with its first changes).
        public var roundTrips: Int { messages / 2 }
    }

    public static func run(initiator: [SyncItem], responder: [SyncItem]) throws(SyncError) -> Outcome {
        try run(initiator: ReconciliationSet(sortedUnique: initiator), responder: ReconciliationSet(sortedUnique: responder))
    }

    public static func run(initiator: ReconciliationSet, responder: ReconciliationSet) throws(SyncError) -> Outcome {
        var sides = [Reconciler(set: initiator), Reconciler(set: responder)]
        var out = Outcome()
        var pending: [ReconcileRange]? = sides[0].opening()
        var turn = 1
        while let ranges = pending {
            let bytes = SyncMessage.reconcile(scope: 0, ranges: ranges).encoded()
            out.messages += 1
            out.bodyBytes += bytes.count
            out.largestMessage = max(out.largestMessage, bytes.count)
            if ranges.last?.mode == .deferred { out.fullMessages.append(bytes.count) }
            out.wireBytes += 4 + bytes.count + 18 * ((bytes.count + 4) / 65_519 + 1)
            guard case .reconcile(_, let decoded) = try SyncMessage.decode(bytes) else { throw .malformed("round trip") }
            pending = try sides[turn].process(decoded)
            turn = 1 - turn
        }
        guard sides[0].isDone, sides[1].isDone else { throw .malformed("reconciliation stopped before both sides were done") }
        out.initiatorSends = sides[0].toSend
        out.responderSends = sides[1].toSend
        out.initiatorReceives = sides[0].toReceive
        out.responderReceives = sides[1].toReceive
        out.initiatorReceivesUnnamed = sides[0].toReceiveRanges
        out.responderReceivesUnnamed = sides[1].toReceiveRanges
        return out
    }
}
