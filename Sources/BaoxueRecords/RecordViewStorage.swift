import BaoxueCore

/// Where the merge engine keeps record state: SQLite views on a device, a
/// dictionary in tests. The engine decides; the storage only stores.
///
/// Invariant the engine relies on: every method is idempotent for the
/// same op id, and none depends on the order ops arrived in.
public protocol RecordViewStorage {
    /// Stores a register write; it is live unless a later write already superseded it.
    mutating func insertWrite(_ write: RegisterWrite) throws
    /// Marks `ops` superseded by `by` and no longer live, whether or not they arrived yet.
    mutating func supersede(_ ops: [OpID], by: OpID) throws
    /// The live writes of every field of several records of one kind, in any order, by record
    /// (a record without any is absent).
    mutating func liveWrites(kind: RecordKind, records: [RecordID]) throws -> [RecordID: [RegisterWrite]]
    /// Each field of several records as shown, by record then field (fields without a live write
    /// are absent). One call per change (a roster change names 16 children). Its work must not
    /// grow with the number of live writes a field holds: a field with N concurrent writes is
    /// resolved N times while they arrive (records.md §3).
    mutating func fieldStates(kind: RecordKind, records: [RecordID]) throws -> [RecordID: [String: FieldState]]

    /// Stores a set element with its tag unless the tag was already removed.
    mutating func insertElement(kind: RecordKind, record: RecordID, set: String, element: String, tag: OpID) throws
    /// Removes the tags (now or when they arrive).
    mutating func removeTags(_ tags: [OpID], by: OpID) throws
    /// Elements of one set of several records that have at least one tag not removed,
    /// ascending, by record (an empty set is absent).
    mutating func elements(kind: RecordKind, records: [RecordID], set: String) throws -> [RecordID: [String]]

    /// Whether any void is stored at all (the merge looks once per change; without one, `Liveness` has nothing to do).
    mutating func anyVoid() throws -> Bool
    /// Whether a stored void names `op`.
    mutating func isVoided(_ op: OpID) throws -> Bool
    /// The writes stored so far that named `op` in their `pred`.
    mutating func successors(of op: OpID) throws -> [OpID]
    /// The ops write `op` named in its `pred`.
    mutating func predecessors(of op: OpID) throws -> [OpID]
    /// Whether `Liveness` must look at write `op`: it or one of `preds` is voided, or one of its successors is.
    mutating func voidsAround(write op: OpID, preds: [OpID]) throws -> Bool
    /// Sets a stored write's live flag; returns its record when the flag changed (nil: no change, or no such write).
    mutating func setWriteLive(_ op: OpID, _ live: Bool) throws -> Liveness.Change?
    /// The removes stored so far that named `tag`.
    mutating func removers(of tag: OpID) throws -> [OpID]
    /// The tags remove `op` named.
    mutating func removedTags(by op: OpID) throws -> [OpID]
    /// Sets a stored tag's live flag; returns its record when the flag changed.
    mutating func setTagLive(_ tag: OpID, _ live: Bool) throws -> Liveness.Change?

    mutating func insertEvent(_ event: Event, op: OpID, stamp: OpStamp) throws
    mutating func insertVoid(target: OpID, op: OpID, reason: String, stamp: OpStamp) throws

    mutating func insertLedgerOpener(ledger: Ledger, child: RecordID, op: OpID, date: SimpleDate) throws
    /// Takes an opener back (an absence no longer in a long enough run).
    mutating func removeLedgerOpener(_ op: OpID) throws
    /// The child's absences and leaves in force: not voided, not replaced by a live amendment; each
    /// with the scope of the change that carried it.
    mutating func attendance(child: RecordID) throws -> [AbsenceRuns.Record]
    /// The district policies learnt from applied `_admin` changes (trust.md §9), in any order.
    mutating func districtPolicies() throws -> [PolicyBook.Entry]
    /// The child's absences now kept as ledger openers.
    mutating func absenceOpeners(child: RecordID) throws -> Set<OpID>
    /// The child and kind of a stored event op (nil when no such event is stored).
    mutating func eventKind(of op: OpID) throws -> (child: RecordID?, kind: EventKind)?
    /// True during a rebuild, which applies every change anyway and then derives each child's
    /// absence openers and displayed row once, at its end; false to refresh a child's after each
    /// change that touches it (an absence, leave or void; a write or set element).
    var isRebuilding: Bool { get }
    mutating func insertCloseOut(
        child: RecordID, ledger: Ledger, closes: [OpID], evidence: [String], note: String, op: OpID, stamp: OpStamp) throws

    /// Keeps a signed op that every replica refuses to apply, with the reason, for a person to see.
    mutating func reject(_ op: OpID, reason: String, stamp: OpStamp) throws

    /// Writes the child's displayed row (current fields, conflicts, flags).
    mutating func writeChildRow(_ row: ChildRow) throws
}

extension RecordViewStorage {
    /// The live writes of every field of one record, in any order.
    public mutating func liveWrites(kind: RecordKind, record: RecordID) throws -> [RegisterWrite] {
        try liveWrites(kind: kind, records: [record])[record] ?? []
    }

    /// Elements of a set of one record that have at least one tag not removed, ascending.
    public mutating func elements(kind: RecordKind, record: RecordID, set: String) throws -> [String] {
        try elements(kind: kind, records: [record], set: set)[record] ?? []
    }
}

/// One register field as people see it: the write shown and whether a live write holds another value.
public struct FieldState: Sendable, Equatable {
    /// The live write first by `RegisterWrite.shownFirst`.
    public let shown: RegisterWrite
    /// Some other live write of the field of the shown one's class (a person's, or a registry
    /// default when no person wrote) holds a different value: a conflict to settle.
    public let conflicted: Bool

    public init(shown: RegisterWrite, conflicted: Bool) {
        self.shown = shown
        self.conflicted = conflicted
    }

    /// The states of the fields of one record's live writes (any order), computed in memory.
    public static func of(_ writes: [RegisterWrite]) -> [String: FieldState] {
        var shown: [String: RegisterWrite] = [:]
        for w in writes where shown[w.field].map({ RegisterWrite.shownFirst(w, $0) }) ?? true { shown[w.field] = w }
        var conflicted = Set<String>()
        for w in writes {
            guard let s = shown[w.field], w.isDefault == s.isDefault, w.value != s.value else { continue }
            conflicted.insert(w.field)
        }
        return shown.mapValues { FieldState(shown: $0, conflicted: conflicted.contains($0.field)) }
    }
}

/// Who wrote an op and when: from the signed change that carries it.
public struct OpStamp: Sendable, Equatable {
    public let hlc: HLCTimestamp
    public let author: PublicKey
    public init(hlc: HLCTimestamp, author: PublicKey) {
        self.hlc = hlc
        self.author = author
    }
}

/// One write to a register field.
public struct RegisterWrite: Sendable, Equatable {
    public let kind: RecordKind
    public let record: RecordID
    public let field: String
    public let value: FieldValue
    public let op: OpID
    public let stamp: OpStamp
    /// Written by a registry import (`registryDefault`): any live write by a person wins over it.
    public var isDefault: Bool

    public init(kind: RecordKind, record: RecordID, field: String, value: FieldValue, op: OpID, stamp: OpStamp, isDefault: Bool = false) {
        self.kind = kind
        self.record = record
        self.field = field
        self.value = value
        self.op = op
        self.stamp = stamp
        self.isDefault = isDefault
    }

    /// The deterministic display order among concurrent values: a person's write before a
    /// registry default, then later HLC first, then the greater author key, then the greater op id.
    public static func shownFirst(_ a: RegisterWrite, _ b: RegisterWrite) -> Bool {
        if a.isDefault != b.isDefault { return !a.isDefault }
        if a.stamp.hlc != b.stamp.hlc { return a.stamp.hlc > b.stamp.hlc }
        if a.stamp.author != b.stamp.author { return a.stamp.author > b.stamp.author }
        return a.op > b.op
    }
}
