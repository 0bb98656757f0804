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
        /// RECONCILE messages, both directions.
        public var messages = 0
        /// Their bytes as framed on the channel: 4-byte length, and per
        /// flight a 2-byte frame length and a 16-byte tag per 65,519 bytes.
        public var wireBytes = 0
        /// The largest single RECONCILE message body.
        public var largestMessage = 0
        public var roundTrips: Int { (messages + 1) / 2 }
    }

    public static func run(initiator: [SyncItem], responder: [SyncItem]) throws(SyncError) -> Outcome {
        var sides = [Reconciler(items: initiator), Reconciler(items: responder)]
        var out = Outcome()
        var pending: [ReconcileRange]? = sides[0].opening()
        var turn = 1
        while let ranges = pending {
            let bytes = SyncMessage.reconcile(scope: 0, ranges: ranges).encoded()
            out.messages += 1
            out.largestMessage = max(out.largestMessage, bytes.count)
            out.wireBytes += 4 + bytes.count + 18 * ((bytes.count + 4) / 65_519 + 1)
            guard case .reconcile(_, let decoded) = try SyncMessage.decode(bytes) else { throw .malformed("round trip") }
            pending = try sides[turn].process(decoded)
            turn = 1 - turn
        }
        out.initiatorSends = sides[0].toSend
        out.responderSends = sides[1].toSend
        out.initiatorReceives = sides[0].toReceive
        out.responderReceives = sides[1].toReceive
        return out
    }
}
