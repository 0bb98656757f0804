import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// Random but well-formed field work for property tests and the simulator:
/// what a teacher's device writes, given what its replica shows.
public struct FieldWork {
    public let children: [RecordID]
    public static let schools = ["示例一小", "示例二小", "示例中学"]
    public static let names = ["张小明", "李娜", "王芳", "刘洋", "陈静", "杨磊", "赵敏"]
    static let evidence = Hex.encode([UInt8](repeating: 0xab, count: 32))

    public init(children: Int, seed: UInt64) {
        self.children = (0..<children).map { RecordID.derived("child-\(seed)-\($0)") }
    }

    public init(children: [RecordID]) {
        self.children = children
    }

    /// 1–3 ops for one change, chosen by `rng` from what `snapshot` shows.
    public func ops(_ s: RecordSnapshot, rng: inout SeededGenerator, today: SimpleDate) throws(StoreError) -> [RecordOp] {
        var out: [RecordOp] = []
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let child = children.randomElement(using: &rng)!
            switch Int.random(in: 0..<10, using: &rng) {
            case 0, 1:
                out.append(.set(kind: .child, record: child, field: "name", value: .text(Self.names.randomElement(using: &rng)!),
                                pred: try s.liveOps(kind: .child, record: child, field: "name")))
            case 2:
                out.append(.set(kind: .child, record: child, field: "school", value: .text(Self.schools.randomElement(using: &rng)!),
                                pred: try s.liveOps(kind: .child, record: child, field: "school")))
            case 3:
                let status = [ChildStatus.enrolled, .suspectedDropout, .dropout, .returned].randomElement(using: &rng)!
                out.append(.set(kind: .child, record: child, field: "status",
                                value: .status(StatusFact(status: status, date: today, reason: "随机测试 \(rng.next() % 100)")),
                                pred: try s.liveOps(kind: .child, record: child, field: "status")))
            case 4:
                let group = FocusGroup.allCases.randomElement(using: &rng)!
                out.append(.add(kind: .child, record: child, set: "focus", element: group.rawValue))
            case 5:
                let present = try s.elements(kind: .child, record: child, set: "focus")
                if let element = present.randomElement(using: &rng) {
                    // A remove names at most 64 tags: an element added more often than that takes several.
                    let tags = try s.liveTags(kind: .child, record: child, set: "focus", element: element)
                    for start in stride(from: 0, to: tags.count, by: 64) {
                        out.append(.remove(kind: .child, record: child, set: "focus", element: element,
                                           tags: Array(tags[start..<min(start + 64, tags.count)])))
                    }
                }
            case 6:
                let days = Int.random(in: 1...5, using: &rng)
                let from = (try? today.adding(days: 1 - days)) ?? today
                out.append(.event(Event(child: child, date: today,
                                        body: .absence(Absence(from: from, to: today, schoolDays: days,
                                            excused: Bool.random(using: &rng))))))
            case 7:
                out.append(.event(Event(child: child, date: today, body: .visit(Visit(
                    participants: ["班主任"], householdFound: true, childSeen: Bool.random(using: &rng),
                    spokeTo: "母亲", agreed: "下周返校", evidence: [Self.evidence])))))
            case 8:
                let open = try s.openOpeners(child: child, ledger: .suspectedDropout)
                if !open.isEmpty {
                    out.append(.closeOut(child: child, ledger: .suspectedDropout, closes: open, evidence: [Self.evidence], note: "已返校"))
                }
            default:
                if let target = try s.eventOps(child: child).randomElement(using: &rng) {
                    out.append(.void(target: target, reason: "录入错误"))
                } else {
                    out.append(.event(Event(child: child, date: today, body: .homeTeaching(HomeTeachingSession(
                        classHours: 2, teacher: "李老师", content: "语文")))))
                }
            }
        }
        return out
    }
}
