import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// Audit trail, events per child, focus ledgers, home-teaching hours, and the edge date check.
@Suite struct AuditQueryTests {
    let child = RecordID.derived("王芳")
    let scope = try! ScopeID("示例一小")
    let teacher = Fixtures.key(1), liaison = Fixtures.key(2)
    func d(_ s: String) -> SimpleDate { try! SimpleDate(s) }

    @Test func auditShowsEveryOpAuthorAndFate() throws {
        let log = try ChangeLog()
        _ = try log.appendOperations(by: teacher, scope: scope, now: 1_764_000_000_000) { _ throws(StoreError) in
            [
                .set(kind: .child, record: self.child, field: "name", value: .text("王方"), pred: []),
                .add(kind: .child, record: self.child, set: "focus", element: "poverty"),
            ]
        }
        let visit = try log.appendOperations(by: liaison, scope: scope, now: 1_764_000_001_000) { s throws(StoreError) in
            [
                .set(
                    kind: .child, record: self.child, field: "name", value: .text("王芳"),
                    pred: try s.liveOps(kind: .child, record: self.child, field: "name")),
                .event(
                    Event(
                        child: self.child, date: self.d("2025-11-20"),
                        body: .visit(
                            Visit(
                                participants: ["村联络员"], householdFound: true, childSeen: true, spokeTo: "祖母", agreed: "周一返校")))),
            ]
        }
        _ = try log.appendOperations(by: liaison, scope: scope, now: 1_764_000_002_000) { _ throws(StoreError) in
            [.void(target: OpID(change: visit.id, index: 1), reason: "记错了孩子")]
        }
        let trail = try log.audit(child: child)
        #expect(trail.map(\.what) == ["set name", "add focus poverty", "set name", "event visit"])
        #expect(trail.allSatisfy { $0.verified })
        #expect(trail[0].note == "superseded")
        #expect(trail[0].author == teacher.publicKey && trail[2].author == liaison.publicKey)
        #expect(trail[3].note == "voided: 记错了孩子")
        let visits = try log.events(child: child, kind: "visit")
        #expect(visits.count == 1 && visits[0].voided)
        #expect(try log.focusLedger(.poverty).map(\.child) == [child])
    }

    @Test func homeTeachingHoursPerChildAndEdgeDateCheck() throws {
        let log = try ChangeLog()
        let now: UInt64 = 1_763_600_000_000  // 2025-11-20 (UTC+8)
        _ = try log.appendOperations(by: teacher, scope: scope, now: now) { _ throws(StoreError) in
            [
                .event(
                    Event(
                        child: self.child, date: self.d("2025-11-10"),
                        body: .homeTeaching(HomeTeachingSession(classHours: 2, teacher: "李老师", content: "语文")))),
                .event(
                    Event(
                        child: self.child, date: self.d("2025-11-17"),
                        body: .homeTeaching(HomeTeachingSession(classHours: 3, teacher: "李老师", content: "数学")))),
            ]
        }
        let hours = try log.homeTeachingHours(from: d("2025-09-01"), to: d("2026-01-31"))
        #expect(hours.count == 1 && hours[0].classHours == 5 && hours[0].sessions == 2)
        #expect(throws: StoreError.invalidRecord(.invalidField("date", reason: "in the future"))) {
            try log.appendOperations(by: teacher, scope: scope, now: now) { _ throws(StoreError) in
                [
                    .event(
                        Event(
                            child: self.child, date: self.d("2025-11-25"),
                            body: .homeTeaching(HomeTeachingSession(classHours: 2, teacher: "李老师", content: "语文"))))
                ]
            }
        }
        #expect(try log.count(nil) == 1)
    }
}

@Suite struct VoidRecordTests {
    @Test func aChildEnteredByMistakeIsVoidWithAReasonNotDeleted() throws {
        let log = try ChangeLog()
        let key = Fixtures.key(3)
        let scope = try ScopeID("示例一小")
        let child = RecordID.derived("重复录入")
        _ = try log.appendOperations(by: key, scope: scope, now: 1_764_000_000_000) { _ throws(StoreError) in
            [
                .set(kind: .child, record: child, field: "name", value: .text("刘洋"), pred: []),
                .set(
                    kind: .child, record: child, field: "status",
                    value: .status(StatusFact(status: .suspectedDropout, date: try! SimpleDate("2025-11-19"), reason: "连续缺课")), pred: []),
            ]
        }
        #expect(try log.children().count == 1)
        #expect(try log.ledger(.suspectedDropout).count == 1)
        _ = try log.appendOperations(by: key, scope: scope, now: 1_764_000_001_000) { s throws(StoreError) in
            [
                .set(
                    kind: .child, record: child, field: "voided", value: .text("与学籍号 G123 重复录入"),
                    pred: try s.liveOps(kind: .child, record: child, field: "voided"))
            ]
        }
        #expect(try log.children().isEmpty)
        #expect(try log.ledger(.suspectedDropout).isEmpty)
        #expect(try log.child(child)?.voided == "与学籍号 G123 重复录入")
        #expect(try log.audit(child: child).count == 3)
    }
}
