import BaoxueCore

/// The merge engine: applies the operations of one applied change to a
/// record storage. Pure: it reads and writes only through the storage.
///
/// Every rule is a function of the *set* of applied changes, never of
/// their arrival order: register values are writes minus superseded
/// writes; set elements are tags minus removed tags; events and
/// close-outs are insert-only; ledger entries are openers minus closed
/// openers. Hence any order, with duplicates, gives the same state.
public struct RecordMerge: Sendable {
    public let policy: Policy

    public init(policy: Policy = .fengnan) { self.policy = policy }

    /// Applies `change`'s payload. Ops that fail validation are kept as
    /// rejected (the same on every replica) and the others still apply.
    /// Returns the children the change touched; their displayed rows are
    /// refreshed now, or by the rebuild at its end (`isRebuilding`).
    @discardableResult
    public func apply<S: RecordViewStorage>(_ change: Change, to storage: inout S) throws -> Set<RecordID> {
        try apply(change, decoded: Result { () throws(RecordsError) in try RecordPayload.decode(change.payload) }, to: &storage)
    }

    /// Same, with the payload decoded beforehand (possibly on another core).
    @discardableResult
    public func apply<S: RecordViewStorage>(
        _ change: Change, decoded: Result<RecordPayload, RecordsError>, to storage: inout S
    ) throws -> Set<RecordID> {
        try apply(change, checked: check(change, decoded: decoded), to: &storage)
    }

    /// Checks every op of a decoded payload (the op's own rules, then its dates against the day
    /// the change was signed). Pure: a rebuild checks on its decoding core.
    public func check(_ change: Change, decoded: Result<RecordPayload, RecordsError>) -> CheckedPayload {
        guard change.scope != .admin, !change.isWitnessReceipt, case .success(let payload) = decoded else {
            return CheckedPayload(payload: decoded, faults: [])
        }
        let today = try? SimpleDate(unixMilliseconds: change.timestamp.milliseconds)
        let faults = payload.ops.map { op -> RecordsError? in
            do throws(RecordsError) {
                try op.validate()
                if let today { try op.validate(signedOn: today, toleranceDays: policy.clockToleranceDays) }
                return nil
            } catch {
                return error
            }
        }
        return CheckedPayload(payload: decoded, faults: faults)
    }

    /// Same, with the ops checked beforehand (`check`, possibly on another core).
    @discardableResult
    public func apply<S: RecordViewStorage>(_ change: Change, checked: CheckedPayload, to storage: inout S) throws -> Set<RecordID> {
        guard change.scope != .admin, !change.isWitnessReceipt else { return [] }
        let stamp = OpStamp(hlc: change.timestamp, author: change.author)
        let payload: RecordPayload
        do {
            payload = try checked.payload.get()
        } catch {
            try storage.reject(OpID(change: change.id, index: 0), reason: error.rejectionReason, stamp: stamp)
            return []
        }
        var touched = Set<RecordID>()
        // Looked up once per change: while no void is stored anywhere, liveness is the plain rule.
        var voids = try storage.anyVoid()
        for (i, op) in payload.ops.enumerated() {
            let id = OpID(change: change.id, index: UInt16(i))
            if let fault = checked.faults[i] {
                try storage.reject(id, reason: fault.rejectionReason, stamp: stamp)
                continue
            }
            if case .void = op { voids = true }
            if let child = try apply(op, id: id, stamp: stamp, voids: voids, to: &storage) { touched.insert(child) }
        }
        if !storage.isRebuilding {
            for row in try ChildRow.resolve(touched.sorted(), from: &storage) { try storage.writeChildRow(row) }
        }
        return touched
    }

    /// The policies the storage holds, over this merge's built-in rules.
    public func policyBook<S: RecordViewStorage>(_ storage: inout S) throws -> PolicyBook {
        PolicyBook(try storage.districtPolicies(), base: policy)
    }

    /// Makes the child's absence openers those `AbsenceRuns` gives for its absences and leaves in force,
    /// each day under the policy in force for its district then.
    public func refreshAbsenceOpeners<S: RecordViewStorage>(_ child: RecordID, in storage: inout S) throws {
        let book = try policyBook(&storage)
        let want = AbsenceRuns.openers(try storage.attendance(child: child)) { book.policy(for: $0, on: $1).unexcusedAbsenceDaysForLedger }
        let have = try storage.absenceOpeners(child: child)
        for op in have where want[op] == nil { try storage.removeLedgerOpener(op) }
        for (op, date) in want.sorted(by: { $0.key < $1.key }) where !have.contains(op) {
            try storage.insertLedgerOpener(ledger: .suspectedDropout, child: child, op: op, date: date)
        }
    }

    /// Takes back what a voided op did to registers and sets (`Liveness`); an event, opener or
    /// close-out needs nothing here, as the queries leave voided ones out. Returns the child to refresh
    /// (a void names one op, so at most one record changes besides the chain it uncovers).
    private func undo<S: RecordViewStorage>(_ target: OpID, in storage: inout S) throws -> RecordID? {
        var changed = try Liveness.refreshWrite(target, in: &storage)
        for tag in [target] + (try storage.removedTags(by: target)) {
            if let change = try Liveness.refreshTag(tag, in: &storage) { changed.insert(change) }
        }
        return changed.first { $0.kind == .child }?.record
    }

    /// Applies one valid op; returns the child whose row must be refreshed.
    private func apply<S: RecordViewStorage>(
        _ op: RecordOp, id: OpID, stamp: OpStamp, voids: Bool,
        to storage: inout S
    ) throws -> RecordID? {
        switch op {
        case .set(let kind, let record, let field, let value, let pred),
            .registryDefault(let kind, let record, let field, let value, let pred):
            var write = RegisterWrite(kind: kind, record: record, field: field, value: value, op: id, stamp: stamp)
            if case .registryDefault = op { write.isDefault = true }
            try storage.insertWrite(write)
            try storage.supersede(pred, by: id)
            if voids, try storage.voidsAround(write: id, preds: pred) {
                for op in [id] + pred { _ = try Liveness.refreshWrite(op, in: &storage) }
            }
            if kind == .child, field == "status", case .status(let fact) = value, let ledger = fact.status.ledger {
                try storage.insertLedgerOpener(ledger: ledger, child: record, op: id, date: fact.date)
            }
            return op.refreshedChild
        case .add(let kind, let record, let set, let element):
            try storage.insertElement(kind: kind, record: record, set: set, element: element, tag: id)
            if voids { _ = try Liveness.refreshTag(id, in: &storage) }
            return op.refreshedChild
        case .remove(let kind, let record, _, _, let tags):
            try storage.removeTags(tags, by: id)
            if voids, try storage.isVoided(id) {
                for tag in tags { _ = try Liveness.refreshTag(tag, in: &storage) }
            }
            return op.refreshedChild
        case .event(let e):
            try storage.insertEvent(e, op: id, stamp: stamp)
            if [.absence, .leave].contains(e.body.eventKind), let child = e.child, !storage.isRebuilding {
                try refreshAbsenceOpeners(child, in: &storage)
            }
            return nil
        case .void(let target, let reason):
            try storage.insertVoid(target: target, op: id, reason: reason, stamp: stamp)
            if !storage.isRebuilding, case (let child?, let kind)? = try storage.eventKind(of: target), [.absence, .leave].contains(kind) {
                try refreshAbsenceOpeners(child, in: &storage)
            }
            return try undo(target, in: &storage)
        case .closeOut(let child, let ledger, let closes, let evidence, let note):
            try storage.insertCloseOut(child: child, ledger: ledger, closes: closes, evidence: evidence, note: note, op: id, stamp: stamp)
            return nil
        }
    }
}

/// A change's decoded payload and, per op, why it is rejected (nil: valid): `RecordMerge.check`'s result.
///
/// Invariant: when the payload decoded, `faults` has one entry per op, in order.
public struct CheckedPayload: Sendable {
    public let payload: Result<RecordPayload, RecordsError>
    let faults: [RecordsError?]
}
