import BaoxueCore

/// The one strict reader of record payload format 2 (`Protocol/records.md` §1). Every path
/// that reads a payload (apply, rebuild, audit, the relay's checks, the views' stored events)
/// goes through it, so every replica accepts exactly the same bytes, and refuses the rest
/// with the same `PayloadFault`.
///
/// Invariant: it reads only canonical bytes: each value it accepts has exactly one encoding
/// (minimal varints, flags 0/1, NFC text, ascending sets), so reading then writing gives the
/// input back byte for byte.
struct PayloadReader {
    /// The project's bounded reader; its `CoreError`s become this format's faults (`fault`).
    private var r: ByteReader

    private init(_ bytes: [UInt8]) { r = ByteReader(bytes) }

    static func decode(_ bytes: [UInt8]) throws(RecordsError) -> [RecordOp] {
        var r = PayloadReader(bytes)
        if bytes.first == 0x7B { throw .unreadable(.formatOne, "a format-1 (JSON) payload; Protocol v2 reads format 2 only") }
        guard bytes.count >= 2, Array(bytes[0..<2]) == PayloadCodes.magic else {
            throw .unreadable(bytes.count < 2 ? .truncated : .badMagic, "not a record payload")
        }
        _ = try r.take(2, "magic")
        let version = try r.u8("version")
        guard version == PayloadCodes.version else { throw .unreadable(.unknownVersion, "payload format \(version)") }
        let count = try r.count("ops", 1...RecordPayload.maxOps)
        var ops: [RecordOp] = []
        ops.reserveCapacity(count)
        for n in 0..<count { ops.append(try r.op(n)) }
        guard r.r.remaining == 0 else { throw .unreadable(.trailingBytes, "\(r.r.remaining) byte(s) after the last op") }
        return ops
    }

    /// An event as the views keep it (the bytes after an `event` op's code).
    static func decodeEvent(_ bytes: [UInt8]) throws(RecordsError) -> Event {
        var r = PayloadReader(bytes)
        let e = try r.event()
        guard r.r.remaining == 0 else { throw .unreadable(.trailingBytes, "after the event") }
        return e
    }

    private mutating func op(_ n: Int) throws(RecordsError) -> RecordOp {
        let code = try u8("op \(n)")
        switch PayloadCodes.Op(rawValue: code) {
        case .set, .registryDefault:
            let (kind, record, field) = try fieldRef(Schema.fields(of:), "field")
            let value = try self.value(expected: Schema.type(of: field, in: kind)!, field)
            let pred = try opIDs("pred", 0...RecordOp.maxListLength)
            return code == PayloadCodes.Op.set.rawValue ? .set(kind: kind, record: record, field: field, value: value, pred: pred)
                : .registryDefault(kind: kind, record: record, field: field, value: value, pred: pred)
        case .add:
            let (kind, record, set) = try fieldRef(Schema.sets(of:), "set")
            return .add(kind: kind, record: record, set: set, element: try text("element"))
        case .remove:
            let (kind, record, set) = try fieldRef(Schema.sets(of:), "set")
            let element = try text("element")
            return .remove(kind: kind, record: record, set: set, element: element, tags: try opIDs("tags", 1...RecordOp.maxListLength))
        case .event:
            return .event(try event())
        case .void:
            return .void(target: try opID("target"), reason: try text("reason"))
        case .closeOut:
            let child = try recordID("child")
            let ledger = try enumValue(Ledger.self, "ledger")
            let closes = try opIDs("closes", 1...RecordOp.maxListLength)
            let evidence = try hashes("evidence", 1...RecordOp.maxListLength)
            return .closeOut(child: child, ledger: ledger, closes: closes, evidence: evidence, note: try text("note"))
        case nil:
            throw .unreadable(.unknownCode, "op code \(code)")
        }
    }

    private mutating func fieldRef(
        _ table: (RecordKind) -> [String], _ what: String
    ) throws(RecordsError) -> (RecordKind, RecordID, String) {
        let kind = try enumValue(RecordKind.self, "record kind")
        let record = try recordID("record")
        let code = try u8(what)
        let names = table(kind)
        guard Int(code) < names.count else { throw .unreadable(.unknownCode, "\(what) \(code) of \(kind.rawValue)") }
        return (kind, record, names[Int(code)])
    }

    private mutating func value(expected: FieldType, _ field: String) throws(RecordsError) -> FieldValue {
        let tag = try u8("value of \(field)")
        guard let type = PayloadCodes.Value(rawValue: tag) else { throw .unreadable(.unknownCode, "value type \(tag)") }
        let value: FieldValue
        switch type {
        case .text: value = .text(try text(field))
        case .number: value = .number(try number(field))
        case .date: value = .date(try date(field))
        case .status:
            let status = try enumValue(ChildStatus.self, "status")
            value = .status(StatusFact(status: status, date: try date("status date"), reason: try text("status reason")))
        }
        guard value.type == expected else { throw .unreadable(.wrongType, "\(field) holds a \(expected), not a \(value.type)") }
        return value
    }

    private mutating func event() throws(RecordsError) -> Event {
        let child = try flag("child") ? try recordID("child") : nil
        let subject = try flag("subject") ? try recordID("subject") : nil
        let date = try date("event date")
        var amends: OpID?, amendReason: String?
        if try flag("amends") {
            amends = try opID("amends")
            amendReason = try text("amendReason")
        }
        let kind = try enumValue(EventKind.self, "event kind")
        if kind.requiresChild && child == nil { throw .unreadable(.missingField, "a \(kind.rawValue) names its child") }
        if kind.requiresSubject && subject == nil { throw .unreadable(.missingField, "a \(kind.rawValue) names its case or survey") }
        return Event(child: child, subject: subject, date: date, body: try body(kind), amends: amends, amendReason: amendReason)
    }

    private mutating func body(_ kind: EventKind) throws(RecordsError) -> EventBody {
        switch kind {
        case .visit:
            let count = try self.count("participants", 0...RecordOp.maxListLength)
            var participants: [String] = []
            for _ in 0..<count { participants.append(try text("participants")) }
            let location = try flag("location") ? try text("location") : nil
            let found = try flag("householdFound"), seen = try flag("childSeen")
            let spokeTo = try text("spokeTo")
            let reasonOut = try flag("reasonOut") ? try text("reasonOut") : nil
            let agreed = try text("agreed")
            let next = try flag("nextContact") ? try date("nextContact") : nil
            return .visit(Visit(participants: participants, location: location, householdFound: found, childSeen: seen, spokeTo: spokeTo,
                                reasonOut: reasonOut, agreed: agreed, nextContact: next,
                                evidence: try hashes("evidence", 0...RecordOp.maxListLength)))
        case .absence:
            let from = try date("from"), to = try date("to")
            return .absence(Absence(from: from, to: to, schoolDays: try number("schoolDays"), excused: try flag("excused")))
        case .leave:
            let from = try date("from"), to = try date("to")
            return .leave(Leave(from: from, to: to, reason: try text("reason"), approvedBy: try text("approvedBy")))
        case .persuasion:
            let method = try text("method")
            let outcome = try enumValue(PersuasionAttempt.Outcome.self, "outcome")
            return .persuasion(PersuasionAttempt(method: method, outcome: outcome, note: try text("note")))
        case .homeTeaching:
            let hours = try number("classHours")
            return .homeTeaching(HomeTeachingSession(classHours: hours, teacher: try text("teacher"), content: try text("content")))
        case .householdCheck:
            let address = try text("address"), found = try number("childrenFound")
            let finding = try enumValue(HouseholdCheck.Finding.self, "finding")
            return .householdCheck(HouseholdCheck(address: address, childrenFound: found, finding: finding))
        case .verificationLetter:
            return .verificationLetter(VerificationLetter(sentTo: try text("sentTo"), reason: try text("reason")))
        case .followUp:
            let months = try number("months")
            return .followUp(FollowUp(months: months, attending: try flag("attending"), note: try text("note")))
        }
    }

    // MARK: Values

    /// `ByteReader` says `truncated`, or `valueOutOfRange` for a varint with a leading `0x80` group
    /// or past 64 bits (sync.md §1): the only two things it can say here.
    private static func fault(_ error: CoreError, _ what: String) -> RecordsError {
        if case .truncated = error { return .unreadable(.truncated, what) }
        return .unreadable(.nonCanonicalInteger, what)
    }

    private mutating func u8(_ what: String) throws(RecordsError) -> UInt8 {
        do { return try r.u8(what) } catch { throw Self.fault(error, what) }
    }

    private mutating func take(_ n: Int, _ what: String) throws(RecordsError) -> ArraySlice<UInt8> {
        do { return try r.take(n, what) } catch { throw Self.fault(error, what) }
    }

    private mutating func varint(_ what: String) throws(RecordsError) -> UInt64 {
        do { return try r.varint(what) } catch { throw Self.fault(error, what) }
    }

    private mutating func count(_ what: String, _ bounds: ClosedRange<Int>) throws(RecordsError) -> Int {
        let n = try varint(what)
        guard n <= UInt64(bounds.upperBound), bounds.contains(Int(n)) else { throw .unreadable(.lengthOutOfRange, "\(what): \(n)") }
        return Int(n)
    }

    private mutating func number(_ what: String) throws(RecordsError) -> Int {
        let n = try varint(what)
        guard n <= UInt64(Int32.max) else { throw .unreadable(.valueOutOfRange, what) }
        return Int(n)
    }

    private mutating func flag(_ what: String) throws(RecordsError) -> Bool {
        switch try u8(what) {
        case 0: return false
        case 1: return true
        case let other: throw .unreadable(.badFlag, "\(what): \(other)")
        }
    }

    private mutating func enumValue<T: CaseIterable>(_: T.Type, _ what: String) throws(RecordsError) -> T {
        let code = try u8(what)
        guard let value = PayloadCodes.value(code, T.self) else { throw .unreadable(.unknownCode, "\(what) \(code)") }
        return value
    }

    private mutating func date(_ what: String) throws(RecordsError) -> SimpleDate {
        let raw = try take(4, what)
        let year = Int(raw[raw.startIndex]) << 8 | Int(raw[raw.startIndex + 1])
        do { return try SimpleDate(year: year, month: Int(raw[raw.startIndex + 2]), day: Int(raw[raw.startIndex + 3])) } catch {
            throw .unreadable(.invalidDate, what)
        }
    }

    private mutating func recordID(_ what: String) throws(RecordsError) -> RecordID {
        RecordID(bytes: try take(16, what))
    }

    private mutating func opID(_ what: String) throws(RecordsError) -> OpID {
        let raw = try take(34, what)
        let index = UInt16(raw[raw.startIndex + 32]) << 8 | UInt16(raw[raw.startIndex + 33])
        return OpID(change: try! ChangeID(bytes: Array(raw.prefix(32))), index: index)
    }

    private mutating func opIDs(_ what: String, _ bounds: ClosedRange<Int>) throws(RecordsError) -> [OpID] {
        let n = try count(what, bounds)
        guard r.remaining >= n * 34 else { throw .unreadable(.truncated, what) }
        var out: [OpID] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            let id = try opID(what)
            if let last = out.last, !(last < id) { throw .unreadable(.notAscending, what) }
            out.append(id)
        }
        return out
    }

    private mutating func hashes(_ what: String, _ bounds: ClosedRange<Int>) throws(RecordsError) -> [String] {
        let n = try count(what, bounds)
        var out: [String] = []
        var previous: ArraySlice<UInt8>?
        for _ in 0..<n {
            let h = try take(32, what)
            if let previous, !previous.lexicographicallyPrecedes(h) { throw .unreadable(.notAscending, what) }
            previous = h
            out.append(Hex.encode(h))
        }
        return out
    }

    /// UTF-8 (strict: no overlong forms, no surrogates), ≤ 512 bytes, no control character but
    /// line feed (no C0, DEL or C1), in NFC.
    private mutating func text(_ what: String) throws(RecordsError) -> String {
        let n = try count(what, 0...Schema.maxTextBytes)
        let raw = try take(n, what)
        guard let s = String(validating: raw, as: UTF8.self) else { throw .unreadable(.invalidUTF8, what) }
        if raw.contains(where: { $0 < 0x20 && $0 != 0x0A || $0 == 0x7F })
            || s.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) }) {
            throw .unreadable(.controlCharacter, what)
        }
        guard s.canonicalNFC.utf8.elementsEqual(raw) else { throw .unreadable(.notNFC, what) }
        return s
    }
}
