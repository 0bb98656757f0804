import BaoxueCore

/// The JSON an event is stored as in the record views: byte for byte what `JSONEncoder`
/// writes with sorted keys and unescaped slashes (absent optionals left out, keys in
/// byte order, `\b \f \n \r \t` and `\u00xx` for other control characters, the rest as is).
/// Each object's members are listed here in that key order.
///
/// Invariant: `EventJSON.encode(e)` equals that encoder's output for every event
/// (`EventJSONTests` compares them on random events and hostile strings).
/// Why: every device stores every event of its school; the generic encoder was a fortieth
/// of a simulated school day.
public enum EventJSON {
    public static func encode(_ e: Event) -> String {
        var w = Writer()
        w.object([
            ("amendReason", e.amendReason.map(Value.string)), ("amends", e.amends.map { .string($0.codingText) }),
            ("body", .object([(e.body.kind, .object([("_0", body(e.body))]))])),
            ("child", e.child.map { .string($0.codingText) }), ("date", .string(e.date.codingText)),
            ("subject", e.subject.map { .string($0.codingText) }),
        ])
        return String(decoding: w.bytes, as: UTF8.self)
    }

    private static func body(_ body: EventBody) -> Value {
        switch body {
        case .visit(let v):
            .object([
                ("agreed", .string(v.agreed)), ("childSeen", .bool(v.childSeen)), ("evidence", .strings(v.evidence)),
                ("householdFound", .bool(v.householdFound)), ("location", v.location.map(Value.string)),
                ("nextContact", v.nextContact.map { .string($0.codingText) }), ("participants", .strings(v.participants)),
                ("reasonOut", v.reasonOut.map(Value.string)), ("spokeTo", .string(v.spokeTo)),
            ])
        case .absence(let a):
            .object([("excused", .bool(a.excused)), ("from", .string(a.from.codingText)), ("schoolDays", .int(a.schoolDays)), ("to", .string(a.to.codingText))])
        case .leave(let l):
            .object([("approvedBy", .string(l.approvedBy)), ("from", .string(l.from.codingText)), ("reason", .string(l.reason)), ("to", .string(l.to.codingText))])
        case .persuasion(let p):
            .object([("method", .string(p.method)), ("note", .string(p.note)), ("outcome", .string(p.outcome.rawValue))])
        case .homeTeaching(let h):
            .object([("classHours", .int(h.classHours)), ("content", .string(h.content)), ("teacher", .string(h.teacher))])
        case .householdCheck(let h):
            .object([("address", .string(h.address)), ("childrenFound", .int(h.childrenFound)), ("finding", .string(h.finding.rawValue))])
        case .verificationLetter(let l):
            .object([("reason", .string(l.reason)), ("sentTo", .string(l.sentTo))])
        case .followUp(let f):
            .object([("attending", .bool(f.attending)), ("months", .int(f.months)), ("note", .string(f.note))])
        }
    }

    private indirect enum Value {
        case string(String), int(Int), bool(Bool), strings([String]), object([(String, Value?)])
    }

    private struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(256) }

        /// `members` come in the byte order of their keys, as JSONEncoder sorts them.
        mutating func object(_ members: [(String, Value?)]) {
            bytes.append(0x7B)
            var first = true
            for (key, value) in members {
                guard let value else { continue }
                if !first { bytes.append(0x2C) }
                first = false
                string(key)
                bytes.append(0x3A)
                write(value)
            }
            bytes.append(0x7D)
        }

        mutating func write(_ value: Value) {
            switch value {
            case .string(let s): string(s)
            case .int(let n): bytes += String(n).utf8
            case .bool(let b): bytes += (b ? "true" : "false").utf8
            case .strings(let list):
                bytes.append(0x5B)
                for (i, s) in list.enumerated() {
                    if i > 0 { bytes.append(0x2C) }
                    string(s)
                }
                bytes.append(0x5D)
            case .object(let members): object(members)
            }
        }

        mutating func string(_ s: String) {
            bytes.append(0x22)
            for c in s.utf8 {
                switch c {
                case 0x22: bytes += [0x5C, 0x22]
                case 0x5C: bytes += [0x5C, 0x5C]
                case 0x08: bytes += [0x5C, 0x62]
                case 0x0C: bytes += [0x5C, 0x66]
                case 0x0A: bytes += [0x5C, 0x6E]
                case 0x0D: bytes += [0x5C, 0x72]
                case 0x09: bytes += [0x5C, 0x74]
                case 0x00..<0x20:
                    bytes += [0x5C, 0x75, 0x30, 0x30]
                    Hex.append(CollectionOfOne(c), to: &bytes)
                default: bytes.append(c)
                }
            }
            bytes.append(0x22)
        }
    }
}
