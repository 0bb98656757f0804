import BaoxueCore
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// `members(of:)` keeps each scope's set and reads only what was stored since. Changes of
/// two scopes arrive out of clock order, in batches, between reads; every read must equal
/// the set sorted by (timestamp, id), and a second log opened on the same file (nothing
/// kept yet) must read the same.
@Suite struct ScopeMembersTests {
    @Test(arguments: [UInt64(1), 2, 3]) func membersStaySortedAndCompleteAsChangesArrive(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let dir = NSTemporaryDirectory() + "members-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try ChangeLog(path: dir + "/log.sqlite")
        let scopes = try ["示例学区/甲校", "示例学区/乙校"].map { try ScopeID($0) }
        var stored: [ScopeID: [(Int64, ChangeID)]] = [:]
        var next = [UInt64](repeating: 1, count: 6)
        var last = [ChangeID?](repeating: nil, count: 6)
        var clock = [UInt64](repeating: 1_764_000_000_000, count: 6)
        for _ in 0..<40 {
            var batch: [Change] = []
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                let author = Int.random(in: 0..<6, using: &rng)
                let scope = scopes[author % 2]
                let change = Fixtures.chain(
                    Fixtures.key(UInt8(author + 1)), count: 1, firstSeq: next[author], after: last[author].map { [$0] } ?? [],
                    scope: scope.value, startMs: clock[author])[0]
                clock[author] += UInt64.random(in: 1...3_000_000, using: &rng)
                next[author] += 1
                last[author] = change.id
                batch.append(change)
                stored[scope, default: []].append((Int64(change.timestamp.packed), change.id))
            }
            _ = try log.append(batch)
            let scope = scopes.randomElement(using: &rng)!
            let expected = (stored[scope] ?? []).sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            let read = try log.members(of: scope)
            #expect(read.map(\.timestamp) == expected.map { UInt64($0.0) } && read.map(\.id) == expected.map(\.1), "seed \(seed)")
        }
        let fresh = try ChangeLog(path: dir + "/log.sqlite")
        for scope in scopes { #expect(try fresh.members(of: scope) == log.members(of: scope), "seed \(seed)") }
    }
}
