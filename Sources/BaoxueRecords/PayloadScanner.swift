import Foundation

/// A fast reader for the common shapes of payload format 1 (`Protocol/records.md` §1):
/// `set` with any value, `add`, `remove`, `void` and `event` ops, keys in any order.
///
/// Invariant: it returns a payload only for input JSONDecoder decodes to the very same
/// payload, and nil for anything else — another op kind (`closeOut`), an unknown or
/// repeated key, a `null`, a number that is not a plain integer, an escape it does
/// not know, a value an id or date rejects. `RecordPayload.decode` then falls back to
/// JSONDecoder, so hostile input meets exactly the same rules as before.
///
/// Why: JSONDecoder's generic path costs about 8 µs an op, half of applying a change;
/// every device applies every change of its school, the roster's thousands of writes first.
struct PayloadScanner {
    private let b: [UInt8]
    private var i = 0

    private init(_ bytes: [UInt8]) { b = bytes }

    static func decode(_ bytes: [UInt8]) -> RecordPayload? {
        var s = PayloadScanner(bytes)
        var ops: [RecordOp]?, v: Int?
        guard s.object({ s, key in
            switch key {
            case "ops": return Self.once(&ops, s.array { s in s.op() })
            case "v": return Self.once(&v, s.int())
            default: return false
            }
        }), let ops, let v else { return nil }
        s.skipSpace()
        guard s.i == s.b.count else { return nil }
        return RecordPayload(v: v, ops: ops)
    }

    /// Stores `value` in an empty `slot`; false when the key came before or the value did not read.
    /// Every member reads through it, so no key is read twice.
    static func once<T>(_ slot: inout T?, _ value: T?) -> Bool {
        guard slot == nil, let value else { return false }
        slot = value
        return true
    }

    /// An object of exactly one member, read from its key by `read` (nil: give up): how an
    /// enum case is written — `{"set":{…}}`, `{"text":{"_0":…}}`.
    mutating func oneOf<T>(_ read: (inout PayloadScanner, String) -> T?) -> T? {
        var result: T?
        guard object({ s, key in Self.once(&result, read(&s, key)) }) else { return nil }
        return result
    }

    /// `{"_0": value}`: how an enum case with one unlabeled value is written.
    mutating func wrapped<T>(_ value: (inout PayloadScanner) -> T?) -> T? {
        oneOf { s, key in key == "_0" ? value(&s) : nil }
    }

    // MARK: ops

    private mutating func op() -> RecordOp? {
        oneOf { s, kind in
            switch kind {
            case "set": s.setOp()
            case "add", "remove": s.elementOp(remove: kind == "remove")
            case "void": s.voidOp()
            case "event": s.wrapped { s in s.event() }.map(RecordOp.event)
            default: nil
            }
        }
    }

    private mutating func setOp() -> RecordOp? {
        var kind: RecordKind?, record: RecordID?, field: String?, value: FieldValue?, pred: [OpID]?
        guard object({ s, key in
            switch key {
            case "kind": return Self.once(&kind, s.string().flatMap(RecordKind.init(rawValue:)))
            case "record": return Self.once(&record, s.text(RecordID.self))
            case "field": return Self.once(&field, s.string())
            case "value": return Self.once(&value, s.fieldValue())
            case "pred": return Self.once(&pred, s.array { s in s.text(OpID.self) })
            default: return false
            }
        }), let kind, let record, let field, let value, let pred else { return nil }
        return .set(kind: kind, record: record, field: field, value: value, pred: pred)
    }

    private mutating func elementOp(remove: Bool) -> RecordOp? {
        var kind: RecordKind?, record: RecordID?, set: String?, element: String?, tags: [OpID]?
        guard object({ s, key in
            switch key {
            case "kind": return Self.once(&kind, s.string().flatMap(RecordKind.init(rawValue:)))
            case "record": return Self.once(&record, s.text(RecordID.self))
            case "set": return Self.once(&set, s.string())
            case "element": return Self.once(&element, s.string())
            case "tags" where remove: return Self.once(&tags, s.array { s in s.text(OpID.self) })
            default: return false
            }
        }), let kind, let record, let set, let element else { return nil }
        if remove {
            guard let tags else { return nil }
            return .remove(kind: kind, record: record, set: set, element: element, tags: tags)
        }
        return .add(kind: kind, record: record, set: set, element: element)
    }

    private mutating func voidOp() -> RecordOp? {
        var target: OpID?, reason: String?
        guard object({ s, key in
            switch key {
            case "target": return Self.once(&target, s.text(OpID.self))
            case "reason": return Self.once(&reason, s.string())
            default: return false
            }
        }), let target, let reason else { return nil }
        return .void(target: target, reason: reason)
    }

    private mutating func fieldValue() -> FieldValue? {
        oneOf { s, kind in
            switch kind {
            case "text": s.wrapped { s in s.string() }.map(FieldValue.text)
            case "number": s.wrapped { s in s.int() }.map(FieldValue.number)
            case "date": s.wrapped { s in s.text(SimpleDate.self) }.map(FieldValue.date)
            case "status": s.wrapped { s in s.statusFact() }.map(FieldValue.status)
            default: nil
            }
        }
    }

    private mutating func statusFact() -> StatusFact? {
        var status: ChildStatus?, date: SimpleDate?, reason: String?
        guard object({ s, key in
            switch key {
            case "status": return Self.once(&status, s.string().flatMap(ChildStatus.init(rawValue:)))
            case "date": return Self.once(&date, s.text(SimpleDate.self))
            case "reason": return Self.once(&reason, s.string())
            default: return false
            }
        }), let status, let date, let reason else { return nil }
        return StatusFact(status: status, date: date, reason: reason)
    }

    mutating func text<T: TextCodable>(_: T.Type) -> T? {
        guard let s = string() else { return nil }
        return try? T(codingText: s)
    }

    // MARK: JSON

    mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private mutating func take(_ c: UInt8) -> Bool {
        skipSpace()
        guard i < b.count, b[i] == c else { return false }
        i += 1
        return true
    }

    /// An object whose every member `member` reads (returning false to give up).
    /// Each `member` refuses a key it has already read: no key may come twice.
    mutating func object(_ member: (inout PayloadScanner, String) -> Bool) -> Bool {
        guard take(0x7B) else { return false }
        if take(0x7D) { return true }
        repeat {
            guard let key = string(), take(0x3A), member(&self, key) else { return false }
        } while take(0x2C)
        return take(0x7D)
    }

    mutating func array<T>(_ element: (inout PayloadScanner) -> T?) -> [T]? {
        guard take(0x5B) else { return nil }
        var out: [T] = []
        if take(0x5D) { return out }
        repeat {
            guard let e = element(&self) else { return nil }
            out.append(e)
        } while take(0x2C)
        return take(0x5D) ? out : nil
    }

    /// A plain integer: optional minus, digits without a leading zero, not -0, within Int.
    mutating func int() -> Int? {
        skipSpace()
        var j = i, negative = false
        if j < b.count, b[j] == 0x2D { negative = true; j += 1 }
        let start = j
        while j < b.count, (0x30...0x39).contains(b[j]) { j += 1 }
        guard j > start, j - start <= 18, !(b[start] == 0x30 && j - start > 1) else { return nil }
        if j < b.count, b[j] == 0x2E || b[j] == 0x65 || b[j] == 0x45 { return nil }
        var n = 0
        for k in start..<j { n = n * 10 + Int(b[k] - 0x30) }
        if negative && n == 0 { return nil }
        i = j
        return negative ? -n : n
    }

    /// `true` or `false`.
    mutating func bool() -> Bool? {
        skipSpace()
        if b[i...].starts(with: Self.trueWord) { i += Self.trueWord.count; return true }
        if b[i...].starts(with: Self.falseWord) { i += Self.falseWord.count; return false }
        return nil
    }

    private static let trueWord = Array("true".utf8), falseWord = Array("false".utf8)

    /// A string with the escapes `\" \\ \/ \b \f \n \r \t` and `\uXXXX` (surrogate pairs paired).
    mutating func string() -> String? {
        guard take(0x22) else { return nil }
        let start = i
        while i < b.count, b[i] != 0x22, b[i] != 0x5C, b[i] >= 0x20 { i += 1 }
        guard i < b.count else { return nil }
        if b[i] == 0x22 {
            defer { i += 1 }
            return String(validating: b[start..<i], as: UTF8.self)
        }
        guard b[i] == 0x5C else { return nil }
        var bytes = Array(b[start..<i])
        while i < b.count {
            let c = b[i]
            if c == 0x22 { i += 1; return String(validating: bytes, as: UTF8.self) }
            guard c >= 0x20 else { return nil }
            guard c == 0x5C else { bytes.append(c); i += 1; continue }
            guard i + 1 < b.count else { return nil }
            i += 2
            switch b[i - 1] {
            case 0x22: bytes.append(0x22)
            case 0x5C: bytes.append(0x5C)
            case 0x2F: bytes.append(0x2F)
            case 0x62: bytes.append(0x08)
            case 0x66: bytes.append(0x0C)
            case 0x6E: bytes.append(0x0A)
            case 0x72: bytes.append(0x0D)
            case 0x74: bytes.append(0x09)
            case 0x75:
                guard var scalar = hex4() else { return nil }
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < b.count, b[i] == 0x5C, b[i + 1] == 0x75 else { return nil }
                    i += 2
                    guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    return nil
                }
                guard let u = Unicode.Scalar(scalar) else { return nil }
                bytes.append(contentsOf: Array(String(Character(u)).utf8))
            default: return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            let c = b[k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        i += 4
        return v
    }
}
