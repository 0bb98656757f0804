import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Testing

/// The notices' rules as derived lists; late changes update them.
@Suite struct PolicyQueryTests {
    let child = RecordID.derived("李娜")
    let scope = try! ScopeID("示例一小")
    let key = Fixtures.key(1)
    func d(_ s: String) -> SimpleDate { try! SimpleDate(s) }

    func write(_ log: ChangeLog, _ ops: [RecordOp], now: UInt64 = 1_764_000_000_000) throws {
        _ = try log.appendOperations(by: key, scope: scope, now: now) { _ throws(StoreError) in ops }
    }

    @Test func longLeaveNeedsAVisitAndRegularContact() throws {
        let log = try ChangeLog()
        try write(
            log,
            [
                .set(kind: .child, record: child, field: "name", value: .text("李娜"), pred: []),
                .event(
                    Event(
                        child: child, date: d("2025-11-01"),
                        body: .leave(Leave(from: d("2025-11-01"), to: d("2025-11-30"), reason: "病假", approvedBy: "班主任")))),
            ])
        #expect(try log.visitsDue(today: d("2025-11-10")).map(\.child) == [child])
        #expect(try log.contactOverdue(today: d("2025-11-10")).map(\.child) == [child])
        // A visit recorded offline on 11-05 and synced late clears both.
        try write(
            log,
            [
                .event(
                    Event(
                        child: child, date: d("2025-11-05"),
                        body: .visit(
                            Visit(
                                participants: ["班主任"], householdFound: true, childSeen: true, spokeTo: "父亲", agreed: "按时复诊"))))
            ], now: 1_764_000_001_000)
        #expect(try log.visitsDue(today: d("2025-11-10")).isEmpty)
        #expect(try log.contactOverdue(today: d("2025-11-10")).isEmpty)
        #expect(try log.contactOverdue(today: d("2025-11-25")).map(\.since) == ["2025-11-05"])
        // Short leave needs nothing.
        #expect(try log.visitsDue(today: d("2025-12-05")).isEmpty)
    }

    @Test func homeTeachingShortfallCountsClassHoursOfTheSemester() throws {
        let log = try ChangeLog()
        try write(
            log,
            [
                .set(
                    kind: .child, record: child, field: "status",
                    value: .status(StatusFact(status: .homeTeaching, date: d("2025-09-01"), reason: "重度残疾")), pred: [])
            ])
        var ops: [RecordOp] = []
        for day in [
            "2025-09-10", "2025-09-24", "2025-10-08", "2025-10-22", "2025-11-05", "2025-11-19", "2025-12-03", "2025-12-17", "2025-12-31",
        ] {
            ops.append(
                .event(
                    Event(
                        child: child, date: d(day), body: .homeTeaching(HomeTeachingSession(classHours: 2, teacher: "王老师", content: "康复训练"))
                    )))
        }
        try write(log, ops, now: 1_767_225_600_000)
        #expect(try log.homeTeachingMonthlyShortfall(month: d("2025-10-15")).isEmpty, "two sessions in October")
        #expect(try log.homeTeachingMonthlyShortfall(month: d("2026-01-15")).map(\.amount) == [0], "none yet in January")
        let short = try log.homeTeachingShortfall(from: d("2025-09-01"), to: d("2026-01-20"))
        #expect(short.map(\.amount) == [18])
        try write(
            log,
            [
                .event(
                    Event(
                        child: child, date: d("2026-01-07"),
                        body: .homeTeaching(HomeTeachingSession(classHours: 2, teacher: "王老师", content: "语文"))))
            ],
            now: 1_767_830_400_000)
        #expect(try log.homeTeachingShortfall(from: d("2025-09-01"), to: d("2026-01-20")).isEmpty)
        #expect(try log.homeTeachingMonthlyShortfall(month: d("2026-01-15")).map(\.amount) == [1], "one of two in January")
    }

    @Test func openCaseWithoutRecentAttemptIsFlagged() throws {
        let log = try ChangeLog()
        let file = RecordID.derived("case-1")
        try write(
            log,
            [
                .set(kind: .caseFile, record: file, field: "child", value: .text(child.hex), pred: []),
                .set(kind: .caseFile, record: file, field: "reason", value: .text("dislikesSchool"), pred: []),
            ])
        #expect(try log.casesWithoutRecentAttempt(today: d("2025-11-20")).map(\.child) == [child])
        #expect(try log.openCases().map(\.reason) == [.dislikesSchool])
        try write(
            log,
            [
                .event(
                    Event(
                        child: child, subject: file, date: d("2025-11-15"),
                        body: .persuasion(PersuasionAttempt(method: "入户", outcome: .agreedToReturn, note: ""))))
            ], now: 1_764_000_001_000)
        #expect(try log.casesWithoutRecentAttempt(today: d("2025-11-20")).isEmpty)
        #expect(try log.casesWithoutRecentAttempt(today: d("2025-12-20")).count == 1)
        try write(log, [.set(kind: .caseFile, record: file, field: "outcome", value: .text("returned"), pred: [])], now: 1_764_000_002_000)
        #expect(try log.casesWithoutRecentAttempt(today: d("2025-12-20")).isEmpty)
        #expect(try log.openCases().isEmpty)
    }
}
