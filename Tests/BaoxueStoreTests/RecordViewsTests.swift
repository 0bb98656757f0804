import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// The merge rules as people see them in the views.
@Suite struct RecordViewsTests {
    let child = RecordID.derived("张小明")
    let scope = try! ScopeID("示例一小")
    let teacher = Fixtures.key(1), liaison = Fixtures.key(2)
    let evidence = String(repeating: "ab", count: 32)

    func write(
        _ log: ChangeLog, _ key: DeviceKey, now: UInt64 = 1_764_000_000_000, _ ops: (RecordSnapshot) throws(StoreError) -> [RecordOp]
    ) throws -> Change {
        try log.appendOperations(by: key, scope: scope, now: now, ops)
    }

    func setName(_ name: String) -> (RecordSnapshot) throws(StoreError) -> [RecordOp] {
        { s throws(StoreError) in
            [
                .set(
                    kind: .child, record: child, field: "name", value: .text(name),
                    pred: try s.liveOps(kind: .child, record: child, field: "name"))
            ]
        }
    }

    func row(_ log: ChangeLog) throws -> ChildView? { try log.child(child) }

    @Test func sequentialWritesReplaceConcurrentOnesConflictUntilSettled() throws {
        let a = try ChangeLog()
        let b = try ChangeLog()
        let first = try write(a, teacher, setName("张小明"))
        _ = try b.append([first])
        #expect(try row(a)?.name == "张小明")
        // Offline, both edit the name: concurrent.
        let x = try write(a, teacher, now: 1_764_000_001_000, setName("张晓明"))
        let y = try write(b, liaison, now: 1_764_000_002_000, setName("张小鸣"))
        _ = try a.append([y])
        _ = try b.append([x])
        for log in [a, b] {
            #expect(try row(log)?.conflicts == ["name"])
            #expect(try row(log)?.name == "张小鸣", "later HLC is shown")
        }
        #expect(try a.viewDigests() == b.viewDigests())
        // A write that saw both settles it.
        let settle = try write(a, teacher, now: 1_764_000_003_000, setName("张晓明"))
        _ = try b.append([settle])
        #expect(try row(b)?.conflicts == [])
        #expect(try row(b)?.name == "张晓明")
    }

    @Test func focusSetIsAddWins() throws {
        let a = try ChangeLog()
        let b = try ChangeLog()
        let add = try write(a, teacher) { _ throws(StoreError) in
            [.add(kind: .child, record: self.child, set: "focus", element: "leftBehind")]
        }
        _ = try b.append([add])
        let remove = try write(a, teacher, now: 1_764_000_001_000) { s throws(StoreError) in
            [
                .remove(
                    kind: .child, record: self.child, set: "focus", element: "leftBehind",
                    tags: try s.liveTags(kind: .child, record: self.child, set: "focus", element: "leftBehind"))
            ]
        }
        let readd = try write(b, liaison, now: 1_764_000_001_000) { _ throws(StoreError) in
            [.add(kind: .child, record: self.child, set: "focus", element: "leftBehind")]
        }
        _ = try a.append([readd])
        _ = try b.append([remove])
        #expect(try row(a)?.focus == ["leftBehind"])
        #expect(try a.viewDigests() == b.viewDigests())
    }

    /// One change about 70 children (the views read their writes and focus sets in groups of 64):
    /// each child's row gets its own fields and flags, and only the children a concurrent change
    /// also named are in conflict.
    @Test func aChangeAboutManyChildrenResolvesEachOnItsOwn() throws {
        let a = try ChangeLog()
        let b = try ChangeLog()
        let children = (0..<70).map { RecordID.derived("学生\($0)") }
        let many = try write(a, teacher) { _ throws(StoreError) in
            children.enumerated().flatMap { i, child -> [RecordOp] in
                var ops: [RecordOp] = [.set(kind: .child, record: child, field: "name", value: .text("学生\(i)"), pred: [])]
                if i % 2 == 1 { ops.append(.add(kind: .child, record: child, set: "focus", element: "migrant")) }
                if i % 5 == 0 { ops.append(.add(kind: .child, record: child, set: "focus", element: "leftBehind")) }
                return ops
            }
        }
        let two = try write(b, liaison, now: 1_764_000_001_000) { _ throws(StoreError) in
            [3, 68].map { RecordOp.set(kind: .child, record: children[$0], field: "name", value: .text("别名\($0)"), pred: []) }
        }
        _ = try a.append([two])
        _ = try b.append([many])
        #expect(try a.viewDigests() == b.viewDigests())
        for (i, child) in children.enumerated() {
            let row = try #require(try a.child(child), "child \(i)")
            #expect(row.name == ([3, 68].contains(i) ? "别名\(i)" : "学生\(i)"), "child \(i): the later write is shown")
            #expect(row.conflicts == ([3, 68].contains(i) ? ["name"] : []), "child \(i)")
            #expect(row.focus == (i % 5 == 0 ? ["leftBehind"] : []) + (i % 2 == 1 ? ["migrant"] : []), "child \(i)")
        }
    }

    @Test func ledgerEntryLeavesOnlyByCloseOutWithEvidence() throws {
        let log = try ChangeLog()
        _ = try write(log, teacher) { _ throws(StoreError) in
            [
                .event(
                    Event(
                        child: self.child, date: try! SimpleDate("2025-11-18"),
                        body: .absence(
                            Absence(from: try! SimpleDate("2025-11-14"), to: try! SimpleDate("2025-11-18"), schoolDays: 3, excused: false)))
                )
            ]
        }
        #expect(try log.ledger(.suspectedDropout).map(\.child) == [child])
        // A later status of "enrolled" does not take the child off the ledger.
        _ = try write(log, teacher, now: 1_764_000_001_000) { s throws(StoreError) in
            [
                .set(
                    kind: .child, record: self.child, field: "status",
                    value: .status(StatusFact(status: .returned, date: try! SimpleDate("2025-11-20"), reason: "家访后返校")),
                    pred: try s.liveOps(kind: .child, record: self.child, field: "status"))
            ]
        }
        #expect(try log.ledger(.suspectedDropout).count == 1)
        #expect(throws: StoreError.invalidRecord(.closeOutWithoutEvidence)) {
            try write(log, teacher, now: 1_764_000_002_000) { s throws(StoreError) in
                [
                    .closeOut(
                        child: self.child, ledger: .suspectedDropout,
                        closes: try s.openOpeners(child: self.child, ledger: .suspectedDropout), evidence: [], note: "返校")
                ]
            }
        }
        _ = try write(log, teacher, now: 1_764_000_003_000) { s throws(StoreError) in
            [
                .closeOut(
                    child: self.child, ledger: .suspectedDropout, closes: try s.openOpeners(child: self.child, ledger: .suspectedDropout),
                    evidence: [self.evidence], note: "已返校，附返校证明")
            ]
        }
        #expect(try log.ledger(.suspectedDropout).isEmpty)
    }

    @Test func signedButInvalidOpsAreRejectedAlikeEverywhereAndVisible() throws {
        let log = try ChangeLog()
        // Readable format 2, but the close-out's note is blank: the op is rejected, by rule.
        let blankNote: [UInt8] =
            [0x00, 0x52, 0x02, 0x01, 0x05] + child.bytes + [0x01, 0x01] + [UInt8](repeating: 7, count: 32) + [0, 0]
            + [0x01] + [UInt8](repeating: 9, count: 32) + [0x02, 0x20, 0x20]
        let formatOne = Array(#"{"ops":[{"void":{"reason":"x","target":"\#(String(repeating: "ab", count: 32)):0"}}],"v":1}"#.utf8)
        var deps: [ChangeID] = []
        for (seq, payload) in [blankNote, formatOne, [0xff, 0x00]].enumerated() {
            let time = try HLCTimestamp(milliseconds: 1_764_000_000_000 + UInt64(seq), counter: 0)
            let change = try Change.sign(
                by: liaison, seq: UInt64(seq + 1), timestamp: time,
                scope: scope, deps: deps, payload: payload)
            _ = try log.append([change])
            deps = [change.id]
        }
        #expect(try log.count(.applied) == 3)
        let reasons = try log.rejectedOps().map(\.reason).sorted()
        #expect(
            reasons == [
                "closeOutWithoutEvidence",
                "unreadable_payload: bad_magic: not a record payload",
                "unreadable_payload: format_1_refused: a format-1 (JSON) payload; Protocol v2 reads format 2 only",
            ])
    }

    @Test func rebuildEqualsIncremental() throws {
        let log = try ChangeLog()
        _ = try write(log, teacher, setName("王芳"))
        _ = try write(log, liaison, now: 1_764_000_001_000, setName("王方"))
        let before = try log.viewDigests()
        try log.rebuildViews()
        #expect(try log.viewDigests() == before)
    }

    /// A rebuild writes each child's row once at its end, from one ordered pass over every live write:
    /// the rows must be the ones applying change by change gave — a field 40 devices wrote at once
    /// (past the per-field seeks' threshold), focus elements, a second child with one write.
    @Test func rebuildWritesTheRowsIncrementalApplyWrote() throws {
        let log = try ChangeLog()
        let base = try write(log, teacher, setName("王芳"))
        for i in 0..<40 {
            let c = try Change.sign(
                by: Fixtures.key(UInt8(10 + i)), seq: 1,
                timestamp: try HLCTimestamp(milliseconds: 1_764_000_001_000 + UInt64(i), counter: 0),
                scope: scope, deps: [base.id],
                payload: try RecordPayload(ops: [.set(kind: .child, record: child, field: "village", value: .text("村\(i % 3)"), pred: [])])
                    .encoded())
            _ = try log.append([c])
        }
        _ = try write(log, liaison, now: 1_764_000_002_000) { _ throws(StoreError) in
            [
                .add(kind: .child, record: self.child, set: "focus", element: "leftBehind"),
                .add(kind: .child, record: self.child, set: "focus", element: "disabled"),
                .set(kind: .child, record: RecordID.derived("李雷"), field: "name", value: .text("李雷"), pred: []),
            ]
        }
        let before = try log.viewDigests()
        let shown = try row(log)
        #expect(shown?.conflicts == ["village"])
        #expect(shown?.focus.count == 2)
        try log.rebuildViews()
        #expect(try log.viewDigests() == before)
        #expect(try row(log) == shown)
        #expect(try log.child(RecordID.derived("李雷"))?.name == "李雷")
    }

    /// A relay writes without views; the file remembers, so the views are not trusted until rebuilt.
    @Test func aLogWrittenWithoutViewsIsMarkedLaggingUntilRebuilt() throws {
        let path = Fixtures.temporaryDirectory() + "/log.sqlite"
        do { _ = try write(try ChangeLog(path: path), teacher, setName("王芳")) }
        #expect(!ChangeLog.viewsLag(path: path))
        do { _ = try write(try ChangeLog(path: path, options: .init(merge: nil)), liaison, now: 1_764_000_001_000, setName("王方")) }
        #expect(ChangeLog.viewsLag(path: path))
        let reopened = try ChangeLog(path: path)
        #expect(try row(reopened)?.name == "王芳", "the relay's write never reached the views")
        try reopened.rebuildViews()
        #expect(!ChangeLog.viewsLag(path: path))
        #expect(try row(reopened)?.name == "王方", "the rebuilt views hold the write made without them")
        #expect(try row(reopened)?.conflicts == [], "it saw the first write: sequential, no conflict")
    }

    /// Authoring takes its deps from the heads of its own scope only (heads carry their scope).
    @Test func depsAreTheHeadsOfTheScopeAndTheAuthorsPreviousThere() throws {
        let log = try ChangeLog()
        let other = try ScopeID("示例二小")
        let a = try write(log, teacher, setName("王芳"))
        let elsewhere = try log.appendOperations(by: liaison, scope: other, now: 1_764_000_001_000) { s throws(StoreError) in
            [
                .set(
                    kind: .child, record: child, field: "name", value: .text("李雷"),
                    pred: try s.liveOps(kind: .child, record: child, field: "name"))
            ]
        }
        #expect(elsewhere.deps.isEmpty, "nothing in its scope yet")
        let b = try write(log, teacher, now: 1_764_000_002_000, setName("王方"))
        #expect(b.deps == [a.id])
        #expect(try Set(log.heads()) == [b.id, elsewhere.id])
    }

    /// The author's previous change in the scope is cited even when it is no longer a head and the
    /// author has written elsewhere since (authoring walks the author's changes newest first).
    @Test func theAuthorsPreviousChangeInTheScopeIsCitedAfterWorkElsewhere() throws {
        let log = try ChangeLog()
        let other = try ScopeID("示例二小")
        let first = try write(log, teacher, setName("王芳"))
        var elsewhere: [Change] = []
        for i in 0..<5 {
            elsewhere.append(
                try log.appendOperations(by: teacher, scope: other, now: 1_764_000_001_000 + UInt64(i)) { s throws(StoreError) in
                    [.set(kind: .child, record: child, field: "name", value: .text("李雷\(i)"), pred: [])]
                })
        }
        let liaisons = try write(log, liaison, now: 1_764_000_002_000, setName("王方"))
        #expect(liaisons.deps == [first.id])
        let next = try write(log, teacher, now: 1_764_000_003_000, setName("王芳芳"))
        #expect(
            next.deps.count == 2 && Set(next.deps) == [liaisons.id, first.id],
            "the scope's head and the teacher's own previous change there")
        #expect(!next.deps.contains(where: { id in elsewhere.contains { $0.id == id } }), "nothing from the other scope")
        #expect(next.seq == 7)
    }
}
