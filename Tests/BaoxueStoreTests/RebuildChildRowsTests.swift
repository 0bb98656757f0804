import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// A rebuild resolves children's rows on a second core, a chunk at a time: with more children than one
/// chunk holds, the rebuilt views are byte for byte the ones applying the changes one by one gave, and each
/// child's row shows what an oracle over the signed ops expects (the later write; a conflict where two
/// devices wrote different values at the same moment; the focus groups added).
@Suite struct RebuildChildRowsTests {
    @Test func aRebuildOverSeveralChunksOfChildrenGivesTheIncrementalViews() throws {
        let scope = try ScopeID("东镇/一小")
        let school = DeviceKey.generate()
        let colleague = DeviceKey.generate()
        let n = 5_000
        let children = (0..<n).map { RecordID.derived("rebuild-child-\($0)") }
        let base: UInt64 = 1_764_000_000_000
        var changes: [Change] = []
        // The roster: 50 children per change, each with a name and a grade.
        for (k, start) in stride(from: 0, to: n, by: 50).enumerated() {
            let ops = (start..<start + 50).flatMap { i -> [RecordOp] in
                [
                    .set(kind: .child, record: children[i], field: "name", value: .text("儿童\(i)"), pred: []),
                    .set(kind: .child, record: children[i], field: "grade", value: .number(1 + i % 6), pred: []),
                ]
            }
            changes.append(
                try Change.sign(
                    by: school, seq: UInt64(k + 1), timestamp: try HLCTimestamp(milliseconds: base + UInt64(k), counter: 0),
                    scope: scope, deps: [], payload: try RecordPayload(ops: ops).encoded()))
        }
        // A colleague, later: every 7th child renamed (seeing nothing: a conflict with the roster's name),
        // every 11th given a focus group.
        var ops: [RecordOp] = []
        for i in stride(from: 0, to: n, by: 7) {
            ops.append(.set(kind: .child, record: children[i], field: "name", value: .text("改名\(i)"), pred: []))
        }
        for i in stride(from: 0, to: n, by: 11) { ops.append(.add(kind: .child, record: children[i], set: "focus", element: "migrant")) }
        for (k, start) in stride(from: 0, to: ops.count, by: 100).enumerated() {
            changes.append(
                try Change.sign(
                    by: colleague, seq: UInt64(k + 1), timestamp: try HLCTimestamp(milliseconds: base + 10_000 + UInt64(k), counter: 0),
                    scope: scope, deps: [], payload: try RecordPayload(ops: Array(ops[start..<min(ops.count, start + 100)])).encoded()))
        }
        let log = try ChangeLog()
        for start in stride(from: 0, to: changes.count, by: 20) {
            _ = try log.append(Array(changes[start..<min(changes.count, start + 20)]))
        }
        #expect(try log.count(.applied) == changes.count)
        let incremental = try log.viewDigests()
        try log.rebuildViews()
        #expect(try log.viewDigests() == incremental)
        for i in [0, 1, 6, 7, 11, 1_999, 2_000, 2_001, 3_997, 4_999] {
            let row = try #require(try log.child(children[i]))
            #expect(row.name == (i % 7 == 0 ? "改名\(i)" : "儿童\(i)"), "child \(i)")
            #expect(row.grade == 1 + i % 6, "child \(i)")
            #expect(row.conflicts.contains("name") == (i % 7 == 0), "child \(i)")
            #expect(row.focus == (i % 11 == 0 ? ["migrant"] : []), "child \(i)")
        }
    }
}
