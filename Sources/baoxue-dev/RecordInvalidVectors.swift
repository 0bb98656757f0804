import BaoxueCore
import BaoxueRecords

/// Unreadable format-2 payloads, built byte by byte from records.md §1, each with the fault
/// (§1.9) every reader must report. The first rule broken, reading from the start, names it.
enum RecordInvalidVectors {
    static let header: [UInt8] = [0x00, 0x52, 0x02]
    static let child = RecordVectorMaker.child.bytes

    static func varint(_ v: UInt64) -> [UInt8] { var w = ByteWriter(); w.varint(v); return w.bytes }
    static func text(_ s: String) -> [UInt8] { varint(UInt64(s.utf8.count)) + Array(s.utf8) }
    static func raw(_ b: [UInt8]) -> [UInt8] { varint(UInt64(b.count)) + b }
    static func payload(_ ops: [UInt8]...) -> [UInt8] { header + varint(UInt64(ops.count)) + ops.flatMap { $0 } }
    static func date(_ y: Int, _ m: UInt8, _ d: UInt8) -> [UInt8] { [UInt8(y >> 8), UInt8(y & 0xff), m, d] }
    static func opID(_ n: UInt8, _ i: UInt8 = 0) -> [UInt8] { [UInt8](repeating: n, count: 32) + [0, i] }

    /// `set` of child field `field` (code) to a value given as bytes (type tag first), with `pred`.
    static func set(field: UInt8 = 0, _ value: [UInt8], pred: [[UInt8]] = [], kind: UInt8 = 0) -> [UInt8] {
        [0x00, kind] + child + [field] + value + varint(UInt64(pred.count)) + pred.flatMap { $0 }
    }
    static func name(_ bytes: [UInt8]) -> [UInt8] { set([0x00] + raw(bytes)) }
    /// An `event` op: child present unless nil, no subject, 2026-11-20, not an amendment.
    static func event(kind: UInt8, _ body: [UInt8], child: Bool = true, date: [UInt8] = date(2026, 11, 20), flag: UInt8 = 1) -> [UInt8] {
        [0x03] + (child ? [flag] + Self.child : [0x00]) + [0x00] + date + [0x00, kind] + body
    }
    static let absence = date(2026, 11, 20) + date(2026, 11, 24) + [0x03, 0x00]

    static func make() throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        func add(_ name: String, _ bytes: [UInt8], _ fault: PayloadFault) {
            out.append(["name": name, "hex": Hex.encode(bytes), "error": fault.rawValue])
        }
        let good = name(Array("王小明".utf8))
        add("empty input", [], .truncated)
        add("format 1: a JSON payload", Array(#"{"ops":[],"v":1}"#.utf8), .formatOne)
        add("bad magic", [0x00, 0x53, 0x02] + varint(1) + good, .badMagic)
        add("format version 1 with the binary magic", [0x00, 0x52, 0x01] + varint(1) + good, .unknownVersion)
        add("format version 3", [0x00, 0x52, 0x03] + varint(1) + good, .unknownVersion)
        add("no ops", payload(), .lengthOutOfRange)
        add("257 ops", header + varint(257) + Array(repeating: good, count: 257).flatMap { $0 }, .lengthOutOfRange)
        add("a trailing byte", payload(good) + [0x00], .trailingBytes)
        add("truncated inside the record id", Array(payload(good).prefix(12)), .truncated)
        add("op count with a redundant leading group", header + [0x80, 0x01] + good, .nonCanonicalInteger)
        add("text length with a redundant leading group", payload(set([0x00, 0x80, 0x03] + Array("abc".utf8))), .nonCanonicalInteger)
        add("unknown op code 7", payload([0x07] + good.dropFirst()), .unknownCode)
        add("unknown record kind 4", payload(set([0x00] + text("x"), kind: 4)), .unknownCode)
        add("unknown field 17 of a child", payload(set(field: 17, [0x00] + text("x"))), .unknownCode)
        add("unknown value type 4", payload(set([0x04] + text("x"))), .unknownCode)
        add("unknown status code 16", payload(set(field: 13, [0x03, 16] + date(2026, 11, 20) + text("r"))), .unknownCode)
        add("unknown event kind 8", payload(event(kind: 8, [])), .unknownCode)
        add("wrong type: a name holding a number", payload(set([0x01, 0x05])), .wrongType)
        add("wrong type: a grade holding text", payload(set(field: 10, [0x00] + text("3"))), .wrongType)
        add("number of 2^31", payload(set(field: 10, [0x01] + varint(1 << 31))), .valueOutOfRange)
        add("text of 513 bytes", payload(name(Array(repeating: 0x61, count: 513))), .lengthOutOfRange)
        add("text not in NFC (e + U+0301)", payload(name([0x65, 0xCC, 0x81])), .notNFC)
        add("bad UTF-8: overlong encoding of '/'", payload(name([0xC0, 0xAF])), .invalidUTF8)
        add("bad UTF-8: a lone continuation byte", payload(name([0x61, 0x80])), .invalidUTF8)
        add("bad UTF-8: an encoded surrogate", payload(name([0xED, 0xA0, 0x80])), .invalidUTF8)
        add("control character: a tab", payload(name(Array("a\tb".utf8))), .controlCharacter)
        add("control character: U+0085 (C1)", payload(name([0x61, 0xC2, 0x85])), .controlCharacter)
        add("invalid date: 2026-02-29", payload(set(field: 2, [0x02] + date(2026, 2, 29))), .invalidDate)
        add("invalid date: year 1899", payload(set(field: 2, [0x02] + date(1899, 12, 31))), .invalidDate)
        add("pred out of order", payload(set([0x00] + text("x"), pred: [opID(2), opID(1)])), .notAscending)
        add("pred naming one op twice (a duplicate)", payload(set([0x00] + text("x"), pred: [opID(1), opID(1)])), .notAscending)
        add("a presence byte of 2", payload(event(kind: 1, absence, flag: 2)), .badFlag)
        add("a boolean of 2 (excused)", payload(event(kind: 1, Array(absence.dropLast()) + [0x02])), .badFlag)
        add("missing required field: an absence without its child", payload(event(kind: 1, absence, child: false)), .missingField)
        add("missing required field: a persuasion without its case",
            payload(event(kind: 3, text("家访") + [0x01] + text(""))), .missingField)
        add("a remove naming no tag", payload([0x02, 0x00] + child + [0x00] + text("poverty") + varint(0)), .lengthOutOfRange)
        add("a close-out without evidence", payload([0x05] + child + [0x01] + varint(1) + opID(1) + varint(0) + text("note")),
            .lengthOutOfRange)
        add("close-out evidence out of order", payload([0x05] + child + [0x01] + varint(1) + opID(1) + varint(2)
                                                      + [UInt8](repeating: 2, count: 32) + [UInt8](repeating: 1, count: 32)
                                                      + text("n")), .notAscending)
        add("unknown ledger 2", payload([0x05] + child + [0x02] + varint(1) + opID(1)), .unknownCode)
        return out
    }
}
