import BaoxueCore
import BaoxueRecords
import Foundation
import Testing

/// The fast payload reader gives what JSONDecoder gives, or defers to it. Seeded payloads
/// of every common op shape are written as the app writes them, then rewritten (keys
/// reordered, whitespace, escapes) and damaged byte by byte; whenever the fast reader
/// answers, JSONDecoder must decode the same bytes to the same payload.
@Suite struct PayloadScannerTests {
    static func jsonDecoder(_ bytes: [UInt8]) -> RecordPayload? { try? JSONDecoder().decode(RecordPayload.self, from: Data(bytes)) }

    static func randomOps(_ rng: inout SeededGenerator) -> [RecordOp] {
        let children = (0..<4).map { RecordID.derived("c\($0)") }
        let op = OpID(change: ChangeID(hashing: [1, 2, 3][...]), index: UInt16.random(in: 0...300, using: &rng))
        let texts = ["张三", "王 小\"明\"", "a\\b/c\n第二行", "😀 emoji", "", "\u{7}"]
        return (0..<Int.random(in: 1...6, using: &rng)).map { _ -> RecordOp in
            let child = children.randomElement(using: &rng)!
            switch Int.random(in: 0..<9, using: &rng) {
            case 0: return .set(kind: .child, record: child, field: "name", value: .text(texts.randomElement(using: &rng)!), pred: [op])
            case 1: return .set(kind: .child, record: child, field: "grade", value: .number(Int.random(in: -5...12, using: &rng)), pred: [])
            case 2: return .set(kind: .child, record: child, field: "birthDate", value: .date(try! SimpleDate("2015-03-0\(Int.random(in: 1...9, using: &rng))")), pred: [op, op])
            case 3: return .set(kind: .child, record: child, field: "status",
                                value: .status(StatusFact(status: .suspectedDropout, date: try! SimpleDate("2025-11-20"), reason: texts.randomElement(using: &rng)!)), pred: [])
            case 4: return .add(kind: .child, record: child, set: "focus", element: "leftBehind")
            case 5: return .remove(kind: .child, record: child, set: "focus", element: "migrant", tags: [op])
            case 6: return .void(target: op, reason: "录入错误")
            case 7: return .event(Event(child: child, date: try! SimpleDate("2025-11-20"),
                                        body: .absence(Absence(from: try! SimpleDate("2025-11-18"), to: try! SimpleDate("2025-11-20"), schoolDays: 3, excused: false))))
            default: return .event(randomEvent(child: child, op: op, texts: texts, &rng))
            }
        }
    }

    /// An event of any body kind, its optional fields present or not.
    static func randomEvent(child: RecordID, op: OpID, texts: [String], _ rng: inout SeededGenerator) -> Event {
        func text() -> String { texts.randomElement(using: &rng)! }
        func maybe<T>(_ value: T) -> T? { Bool.random(using: &rng) ? value : nil }
        let date = try! SimpleDate("2025-11-2\(Int.random(in: 0...9, using: &rng))")
        let body: EventBody
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: body = .visit(Visit(participants: [text(), text()], location: maybe(text()), householdFound: Bool.random(using: &rng),
                                    childSeen: Bool.random(using: &rng), spokeTo: text(), reasonOut: maybe(text()), agreed: text(),
                                    nextContact: maybe(date), evidence: Bool.random(using: &rng) ? [String(repeating: "ab", count: 32)] : []))
        case 1: body = .absence(Absence(from: date, to: date, schoolDays: Int.random(in: 0...30, using: &rng), excused: Bool.random(using: &rng)))
        case 2: body = .leave(Leave(from: date, to: date, reason: text(), approvedBy: text()))
        case 3: body = .persuasion(PersuasionAttempt(method: text(), outcome: [.returned, .agreedToReturn, .refused, .noContact].randomElement(using: &rng)!, note: text()))
        case 4: body = .homeTeaching(HomeTeachingSession(classHours: Int.random(in: 1...4, using: &rng), teacher: text(), content: text()))
        case 5: body = .householdCheck(HouseholdCheck(address: text(), childrenFound: Int.random(in: 0...3, using: &rng), finding: .notAttending))
        case 6: body = .verificationLetter(VerificationLetter(sentTo: text(), reason: text()))
        default: body = .followUp(FollowUp(months: 3, attending: Bool.random(using: &rng), note: text()))
        }
        let amends = maybe(op)
        return Event(child: maybe(child), subject: maybe(RecordID.derived("case")), date: date, body: body,
                     amends: amends, amendReason: amends == nil ? nil : text())
    }

    /// Rewrites that keep the JSON meaning: spaces after separators, `\/` and `\u` escapes.
    static func rewrite(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var text = String(decoding: bytes, as: UTF8.self)
        if Bool.random(using: &rng) { text = text.replacingOccurrences(of: ",", with: " ,\n\t") }
        if Bool.random(using: &rng) { text = text.replacingOccurrences(of: "\":", with: "\" : ") }
        if Bool.random(using: &rng) { text = text.replacingOccurrences(of: "/", with: "\\/") }
        if Bool.random(using: &rng) { text = text.replacingOccurrences(of: "张", with: "\\u5f20") }
        if Bool.random(using: &rng) { text = text.replacingOccurrences(of: "😀", with: "\\ud83d\\ude00") }
        if Bool.random(using: &rng) { text = " " + text + "\r\n" }
        return Array(text.utf8)
    }

    @Test func theFastReaderAgreesWithJSONDecoderOrDefers() throws {
        var answered = 0, damagedAnswered = 0
        for seed in UInt64(0)..<400 {
            var rng = SeededGenerator(seed: seed)
            let payload = RecordPayload(ops: Self.randomOps(&rng))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var variants = [Array(try encoder.encode(payload)), Array(try JSONEncoder().encode(payload))]
            variants.append(Self.rewrite(variants[0], &rng))
            for _ in 0..<20 {
                var damaged = variants.randomElement(using: &rng)!
                let at = Int.random(in: 0..<damaged.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: damaged[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: damaged.remove(at: at)
                default: damaged.insert(Array(#"{}[]":,\0e-"#.utf8).randomElement(using: &rng)!, at: at)
                }
                variants.append(damaged)
            }
            for (n, bytes) in variants.enumerated() {
                guard let fast = RecordPayload.decodeCommonShapes(bytes) else { continue }
                if n < 3 { answered += 1 } else { damagedAnswered += 1 }
                #expect(Self.jsonDecoder(bytes) == fast, "seed \(seed), variant \(n): \(String(decoding: bytes, as: UTF8.self))")
            }
            #expect(RecordPayload.decodeCommonShapes(variants[0]) == payload, "seed \(seed): the common shapes must be read fast")
            #expect(try RecordPayload.decode(variants[2]) == payload, "seed \(seed)")
        }
        #expect(answered > 300)
        print("fast reader answered \(answered) whole and \(damagedAnswered) damaged payloads")
    }

    /// A key given twice is never read fast, whether its first value was good or not: the fast
    /// reader must not pick one of the two where JSONDecoder might pick the other.
    @Test func aRepeatedKeyDefersToJSONDecoder() throws {
        let child = RecordID.derived("c0").hex
        let good = #"{"ops":[{"set":{"field":"name","kind":"child","pred":[],"record":"\#(child)","value":{"text":{"_0":"张三"}}}}],"v":1}"#
        #expect(RecordPayload.decodeCommonShapes(Array(good.utf8)) != nil)
        let repeated = [
            good.replacingOccurrences(of: #""kind":"child""#, with: #""kind":"child","kind":"child""#),
            good.replacingOccurrences(of: #""kind":"child""#, with: #""kind":"nonsense","kind":"child""#),
            good.replacingOccurrences(of: #""field":"name""#, with: #""field":"name","field":"grade""#),
            good.replacingOccurrences(of: #""pred":[]"#, with: #""pred":[],"pred":[]"#),
            good.replacingOccurrences(of: #""_0":"张三""#, with: #""_0":"张三","_0":"李四""#),
            good.replacingOccurrences(of: #""v":1"#, with: #""v":1,"v":1"#),
            good.replacingOccurrences(of: #""v":1"#, with: #""v":1,"ops":[]"#),
            #"{"ops":[{"void":{"reason":"x","reason":"y","target":"\#(OpID(change: ChangeID(hashing: [1][...]), index: 0).codingText)"}}],"v":1}"#,
        ]
        for text in repeated {
            #expect(text != good)
            #expect(RecordPayload.decodeCommonShapes(Array(text.utf8)) == nil, "\(text)")
        }
    }

    /// An event's `null` (JSONDecoder reads it as absent) and words that are not quite
    /// `true` or `false` are left to JSONDecoder; `true` and `false` themselves are read.
    @Test func eventNullsAndBadWordsDeferToJSONDecoder() throws {
        let visit = Event(child: RecordID.derived("c0"), date: try SimpleDate("2025-11-20"),
                          body: .visit(Visit(participants: ["王老师"], householdFound: true, childSeen: false, spokeTo: "母亲", agreed: "下周返校")))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(RecordPayload(ops: [.event(visit)])), as: UTF8.self)
        #expect(text.contains(#""householdFound":true"#))
        #expect(RecordPayload.decodeCommonShapes(Array(text.utf8)) == RecordPayload(ops: [.event(visit)]))
        let deferred = [
            text.replacingOccurrences(of: #""agreed""#, with: #""location":null,"agreed""#),
            text.replacingOccurrences(of: #""householdFound":true"#, with: #""householdFound":tru"#),
            text.replacingOccurrences(of: #""householdFound":true"#, with: #""householdFound":1"#),
            text.replacingOccurrences(of: #""childSeen":false"#, with: #""childSeen":"false""#),
            text.replacingOccurrences(of: #""childSeen":false"#, with: #""childSeen":falsey"#),
            text.replacingOccurrences(of: #""spokeTo""#, with: #""spokeTo":"x","spokeTo""#),
        ]
        for variant in deferred {
            #expect(variant != text)
            #expect(RecordPayload.decodeCommonShapes(Array(variant.utf8)) == nil, "\(variant)")
        }
        // JSONDecoder reads the null as absent: the fallback still gives the event.
        #expect(try RecordPayload.decode(Array(deferred[0].utf8)) == RecordPayload(ops: [.event(visit)]))
    }
}
