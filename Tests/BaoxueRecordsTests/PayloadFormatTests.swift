import BaoxueCore
import BaoxueRecords
import BaoxueTesting
import Foundation
import Testing

/// Record payload format 2 (records.md §1): what the writer writes the reader reads back,
/// every payload has one byte sequence, damaged bytes are refused with a fault and never
/// read as something else, and the spec's vectors read as the spec says.
@Suite struct PayloadFormatTests {
    static let texts = ["张三", "王 小\"明\"", "a\\b/c\n第二行", "😀 emoji", "Zoë", "e\u{301}", "x"]

    /// Valid ops of every kind with optional fields present or not; text sometimes not in NFC
    /// (the writer normalises it).
    static func randomOps(_ rng: inout SeededGenerator) -> [RecordOp] {
        let children = (0..<4).map { RecordID.derived("c\($0)") }
        func op() -> OpID { OpID(change: ChangeID(hashing: [UInt8(rng.next() % 5)][...]), index: UInt16.random(in: 0...300, using: &rng)) }
        func text() -> String { texts.randomElement(using: &rng)! }
        return (0..<Int.random(in: 1...6, using: &rng)).map { _ -> RecordOp in
            let child = children.randomElement(using: &rng)!
            switch Int.random(in: 0..<9, using: &rng) {
            case 0: return .set(kind: .child, record: child, field: "name", value: .text(text()), pred: [op(), op()])
            case 1: return .set(kind: .child, record: child, field: "grade", value: .number(Int.random(in: 1...9, using: &rng)), pred: [])
            case 2:
                let day = try! SimpleDate(dayNumber: Int(rng.next() % 80_000))
                return .set(kind: .survey, record: child, field: "date", value: .date(day), pred: [op()])
            case 3: return .set(kind: .child, record: child, field: "status", value: .status(StatusFact(
                status: ChildStatus.allCases.randomElement(using: &rng)!, date: try! SimpleDate("2025-11-20"), reason: text())), pred: [])
            case 4:
                return .add(kind: .child, record: child, set: "focus", element: FocusGroup.allCases.randomElement(using: &rng)!.rawValue)
            case 5: return .remove(kind: .caseFile, record: child, set: "responsible", element: text(), tags: [op(), op(), op()])
            case 6: return .void(target: op(), reason: text())
            case 7:
                return .closeOut(child: child, ledger: .dropout, closes: [op()], evidence: [Self.hash(&rng), Self.hash(&rng)], note: text())
            default: return .event(randomEvent(child: child, op: op(), &rng))
            }
        }
    }

    static func hash(_ rng: inout SeededGenerator) -> String { Hex.encode((0..<32).map { _ in UInt8(truncatingIfNeeded: rng.next()) }) }

    static func randomEvent(child: RecordID, op: OpID, _ rng: inout SeededGenerator) -> Event {
        func text() -> String { texts.randomElement(using: &rng)! }
        func maybe<T>(_ value: T) -> T? { Bool.random(using: &rng) ? value : nil }
        let date = try! SimpleDate("2025-11-2\(Int.random(in: 0...9, using: &rng))")
        let body: EventBody
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: body = .visit(Visit(participants: [text(), text()], location: maybe(text()), householdFound: Bool.random(using: &rng),
                                    childSeen: Bool.random(using: &rng), spokeTo: text(), reasonOut: maybe(text()), agreed: text(),
                                    nextContact: maybe(try! date.adding(days: 7)),
                                    evidence: Bool.random(using: &rng) ? [hash(&rng), hash(&rng)] : []))
        case 1:
            let days = Int.random(in: 1...30, using: &rng)
            body = .absence(Absence(from: date, to: try! date.adding(days: days + Int.random(in: 0...3, using: &rng) - 1), schoolDays: days,
                                    excused: Bool.random(using: &rng)))
        case 2: body = .leave(Leave(from: date, to: date, reason: text(), approvedBy: text()))
        case 3:
            let outcome = PersuasionAttempt.Outcome.allCases.randomElement(using: &rng)!
            body = .persuasion(PersuasionAttempt(method: text(), outcome: outcome, note: text()))
        case 4: body = .homeTeaching(HomeTeachingSession(classHours: Int.random(in: 1...4, using: &rng), teacher: text(), content: text()))
        case 5: body = .householdCheck(HouseholdCheck(address: text(), childrenFound: Int.random(in: 0...3, using: &rng),
                                                      finding: HouseholdCheck.Finding.allCases.randomElement(using: &rng)!))
        case 6: body = .verificationLetter(VerificationLetter(sentTo: text(), reason: text()))
        default: body = .followUp(FollowUp(months: 3, attending: Bool.random(using: &rng), note: text()))
        }
        let kind = body.eventKind
        let amends = maybe(op)
        return Event(child: kind.requiresChild ? child : maybe(child),
                     subject: kind.requiresSubject ? RecordID.derived("case") : maybe(RecordID.derived("s")),
                     date: date, body: body, amends: amends, amendReason: amends == nil ? nil : text())
    }

    /// Write, read, write again: the same bytes; and what was read is what was written, up to
    /// the canonical forms (NFC text, ascending set-like lists).
    @Test func whatIsWrittenReadsBackAndRewritesToTheSameBytes() throws {
        for seed in UInt64(0)..<300 {
            var rng = SeededGenerator(seed: seed)
            let ops = Self.randomOps(&rng)
            let bytes = try RecordPayload(ops: ops).encoded()
            let back = try RecordPayload.decode(bytes)
            #expect(back.ops.count == ops.count, "seed \(seed)")
            #expect(try back.encoded() == bytes, "seed \(seed)")
            for (a, b) in zip(ops, back.ops) where a.summary != b.summary {
                Issue.record("seed \(seed): \(a.summary) read as \(b.summary)")
            }
            if case .set(_, _, _, .text(let t), let pred)? = back.ops.first {
                #expect(t == t.precomposedStringWithCanonicalMapping, "seed \(seed): text is read in NFC")
                #expect(pred == pred.sorted() && Set(pred).count == pred.count, "seed \(seed): pred ascending, each once")
            }
        }
    }

    /// One payload, one byte sequence: damaged bytes are either refused with a fault or read as
    /// a payload whose canonical bytes are exactly the damaged bytes (never a second encoding).
    @Test(arguments: [UInt64(31), 32, 33])
    func damagedBytesAreRefusedOrAreThemselvesCanonical(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var refused: [PayloadFault: Int] = [:], read = 0
        for _ in 0..<400 {
            var bytes = try RecordPayload(ops: Self.randomOps(&rng)).encoded()
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.remove(at: at)
            default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
            }
            do {
                let payload = try RecordPayload.decode(bytes)
                read += 1
                var rewritten: [UInt8]?
                do { rewritten = try payload.encoded() } catch { continue } // readable, but an op fails validation: rejected on apply
                #expect(rewritten == bytes, "seed \(seed): a second encoding was read: \(Hex.encode(bytes))")
            } catch RecordsError.unreadable(let fault, _) {
                refused[fault, default: 0] += 1
            } catch {
                Issue.record("seed \(seed): \(error) is not a payload fault")
            }
        }
        #expect(refused.values.reduce(0, +) > 200, "seed \(seed)")
        let faults = refused.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
        print("seed \(seed): \(read) damaged payloads still read (each canonical), refused: \(faults.joined(separator: ", "))")
    }

    /// `Protocol/vectors/records.json`: every valid payload reads and rewrites to its bytes,
    /// every invalid one is refused with its fault.
    @Test func theSpecVectorsReadAsTheSpecSays() throws {
        let json = try Fixtures.json(Fixtures.packageRoot.appendingPathComponent("Protocol/vectors/records.json"))
        let doc = try #require(json as? [String: Any])
        let valid = try #require(doc["valid"] as? [[String: Any]])
        let invalid = try #require(doc["invalid"] as? [[String: Any]])
        #expect(valid.count >= 10 && invalid.count >= 20)
        var kinds = Set<String>()
        for v in valid {
            let hex = try #require(v["hex"] as? String)
            let bytes = try Hex.decode(hex)
            let payload = try RecordPayload.decode(bytes)
            #expect(try payload.encoded() == bytes, "\(v["name"] ?? "")")
            for op in payload.ops { kinds.insert(op.summary.split(separator: " ").prefix(2).joined(separator: " ")) }
        }
        for kind in EventKind.allCases { #expect(kinds.contains("event \(kind.rawValue)"), "no vector has a \(kind.rawValue)") }
        for op in ["void", "closeOut dropout", "add child.focus", "remove child.focus"] {
            #expect(kinds.contains(op), "no vector has \(op)")
        }
        for v in invalid {
            let code = try #require(v["error"] as? String)
            let want = try #require(PayloadFault(rawValue: code))
            #expect(throws: PayloadFault.self, "\(v["name"] ?? "")") {
                do { _ = try RecordPayload.decode(try Hex.decode(v["hex"] as! String)) } catch RecordsError.unreadable(let fault, _) {
                    #expect(fault == want, "\(v["name"] ?? ""): \(fault) instead of \(want)")
                    throw fault
                }
            }
        }
        #expect(Set(invalid.compactMap { $0["error"] as? String }).count >= 15, "the invalid vectors cover most faults")
    }
}
