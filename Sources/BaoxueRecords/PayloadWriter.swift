import BaoxueCore

/// Writes record payload format 2 (`Protocol/records.md` §1): the one byte sequence each
/// payload has. Text is written in NFC, and the lists the format keeps as sets (`pred`,
/// `tags`, `closes`, evidence hashes) sorted ascending without repeats, so two writers of
/// the same ops write the same bytes and `PayloadReader` reads them back unchanged.
///
/// Invariant: whatever it writes, `PayloadReader` reads (the tests check both ways).
struct PayloadWriter {
    private var w = ByteWriter(capacity: 256)

    static func encode(_ ops: [RecordOp]) throws(RecordsError) -> [UInt8] {
        guard (1...RecordPayload.maxOps).contains(ops.count) else { throw .payloadTooLarge }
        var p = PayloadWriter()
        p.w.raw(PayloadCodes.magic)
        p.w.u8(PayloadCodes.version)
        p.w.varint(UInt64(ops.count))
        for op in ops { try p.op(op) }
        return p.w.bytes
    }

    /// One event as format 2 writes it inside an `event` op (the views keep these bytes).
    static func encode(_ event: Event) throws(RecordsError) -> [UInt8] {
        var p = PayloadWriter()
        try p.event(event)
        return p.w.bytes
    }

    private mutating func op(_ op: RecordOp) throws(RecordsError) {
        switch op {
        case .set(let kind, let record, let field, let value, let pred),
             .registryDefault(let kind, let record, let field, let value, let pred):
            if case .set = op { w.u8(PayloadCodes.Op.set.rawValue) } else { w.u8(PayloadCodes.Op.registryDefault.rawValue) }
            try fieldRef(kind, record, field, Schema.fields(of: kind))
            try self.value(value, of: field, in: kind)
            try opIDs(pred, allowEmpty: true)
        case .add(let kind, let record, let set, let element):
            w.u8(PayloadCodes.Op.add.rawValue)
            try fieldRef(kind, record, set, Schema.sets(of: kind))
            try text(element)
        case .remove(let kind, let record, let set, let element, let tags):
            w.u8(PayloadCodes.Op.remove.rawValue)
            try fieldRef(kind, record, set, Schema.sets(of: kind))
            try text(element)
            try opIDs(tags, allowEmpty: false)
        case .event(let e):
            w.u8(PayloadCodes.Op.event.rawValue)
            try event(e)
        case .void(let target, let reason):
            w.u8(PayloadCodes.Op.void.rawValue)
            opID(target)
            try text(reason)
        case .closeOut(let child, let ledger, let closes, let evidence, let note):
            w.u8(PayloadCodes.Op.closeOut.rawValue)
            recordID(child)
            w.u8(PayloadCodes.code(ledger))
            try opIDs(closes, allowEmpty: false)
            try hashes(evidence, allowEmpty: false)
            try text(note)
        }
    }

    private mutating func fieldRef(_ kind: RecordKind, _ record: RecordID, _ name: String, _ table: [String]) throws(RecordsError) {
        guard let index = table.firstIndex(of: name) else { throw .invalidField(name, reason: "unknown field of \(kind.rawValue)") }
        w.u8(PayloadCodes.code(kind))
        recordID(record)
        w.u8(UInt8(index))
    }

    private mutating func value(_ value: FieldValue, of field: String, in kind: RecordKind) throws(RecordsError) {
        guard Schema.type(of: field, in: kind) == value.type else { throw .invalidField(field, reason: "wrong type of value") }
        switch value {
        case .text(let t):
            w.u8(PayloadCodes.Value.text.rawValue)
            try text(t)
        case .number(let n):
            w.u8(PayloadCodes.Value.number.rawValue)
            try number(n, field)
        case .date(let d):
            w.u8(PayloadCodes.Value.date.rawValue)
            date(d)
        case .status(let fact):
            w.u8(PayloadCodes.Value.status.rawValue)
            w.u8(PayloadCodes.code(fact.status))
            date(fact.date)
            try text(fact.reason)
        }
    }

    private mutating func event(_ e: Event) throws(RecordsError) {
        optional(e.child) { $0.recordID($1) }
        optional(e.subject) { $0.recordID($1) }
        date(e.date)
        if let amends = e.amends {
            guard let reason = e.amendReason else { throw .missingField("amendReason") }
            w.u8(1)
            opID(amends)
            try text(reason)
        } else {
            guard e.amendReason == nil else { throw .missingField("amends") }
            w.u8(0)
        }
        w.u8(PayloadCodes.code(e.body.eventKind))
        try body(e.body)
    }

    private mutating func body(_ body: EventBody) throws(RecordsError) {
        switch body {
        case .visit(let v):
            guard v.participants.count <= RecordOp.maxListLength else { throw .payloadTooLarge }
            w.varint(UInt64(v.participants.count))
            for p in v.participants { try text(p) }
            try optionalText(v.location)
            flag(v.householdFound)
            flag(v.childSeen)
            try text(v.spokeTo)
            try optionalText(v.reasonOut)
            try text(v.agreed)
            optional(v.nextContact) { $0.date($1) }
            try hashes(v.evidence, allowEmpty: true)
        case .absence(let a):
            date(a.from); date(a.to)
            try number(a.schoolDays, "schoolDays")
            flag(a.excused)
        case .leave(let l):
            date(l.from); date(l.to)
            try text(l.reason); try text(l.approvedBy)
        case .persuasion(let p):
            try text(p.method)
            w.u8(PayloadCodes.code(p.outcome))
            try text(p.note)
        case .homeTeaching(let h):
            try number(h.classHours, "classHours")
            try text(h.teacher); try text(h.content)
        case .householdCheck(let h):
            try text(h.address)
            try number(h.childrenFound, "childrenFound")
            w.u8(PayloadCodes.code(h.finding))
        case .verificationLetter(let v):
            try text(v.sentTo); try text(v.reason)
        case .followUp(let f):
            try number(f.months, "months")
            flag(f.attending)
            try text(f.note)
        }
    }

    // MARK: Values

    private mutating func text(_ t: String) throws(RecordsError) {
        let bytes = Array(t.canonicalNFC.utf8)
        guard bytes.count <= Schema.maxTextBytes else { throw .invalidField("text", reason: "longer than \(Schema.maxTextBytes) bytes") }
        w.varint(UInt64(bytes.count))
        w.raw(bytes)
    }

    private mutating func optionalText(_ t: String?) throws(RecordsError) {
        guard let t else { return w.u8(0) }
        w.u8(1)
        try text(t)
    }

    private mutating func number(_ n: Int, _ field: String) throws(RecordsError) {
        guard n >= 0, n <= Int(Int32.max) else { throw .invalidField(field, reason: "0 … 2147483647") }
        w.varint(UInt64(n))
    }

    private mutating func date(_ d: SimpleDate) {
        w.u16(UInt16(d.year))
        w.u8(UInt8(d.month))
        w.u8(UInt8(d.day))
    }

    private mutating func flag(_ b: Bool) { w.u8(b ? 1 : 0) }

    private mutating func recordID(_ id: RecordID) { w.raw(id.bytes) }

    private mutating func opID(_ id: OpID) { w.raw(id.bytes) }

    private mutating func optional<T>(_ value: T?, _ write: (inout PayloadWriter, T) -> Void) {
        guard let value else { return w.u8(0) }
        w.u8(1)
        write(&self, value)
    }

    /// Sets of op ids: ascending by their 34 bytes, each once.
    private mutating func opIDs(_ ids: [OpID], allowEmpty: Bool) throws(RecordsError) {
        let sorted = Set(ids).sorted()
        guard sorted.count <= RecordOp.maxListLength, allowEmpty || !sorted.isEmpty else { throw .payloadTooLarge }
        w.varint(UInt64(sorted.count))
        for id in sorted { opID(id) }
    }

    /// Evidence: BLAKE2b-256 hashes given as 64 hex digits, written as 32 bytes each, ascending, each once.
    private mutating func hashes(_ hex: [String], allowEmpty: Bool) throws(RecordsError) {
        try Evidence.validate(hex)
        let sorted = Set(hex).sorted()
        guard allowEmpty || !sorted.isEmpty else { throw .closeOutWithoutEvidence }
        w.varint(UInt64(sorted.count))
        for h in sorted { w.raw((try? Hex.decode(h)) ?? []) }
    }
}
