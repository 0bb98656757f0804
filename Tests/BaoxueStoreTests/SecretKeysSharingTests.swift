import BaoxueCore
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// Two handles on one folder's secrets file (two imports started at once): each reads, merges
/// and writes the file in turn, so both end up with one registry key and neither fails.
@Suite struct SecretKeysSharingTests {
    @Test func twoHandlesAskingForTheImportKeyAtOnceGetTheSameOne() async throws {
        for round in 0..<20 {
            let path = Fixtures.temporaryDirectory("secrets-\(round)") + "/replica.sqlite"
            let first = try ChangeLog(path: path, options: .init(merge: nil))
            let second = try ChangeLog(path: path, options: .init(merge: nil))
            let keys = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for i in 0..<8 {
                    let log = i % 2 == 0 ? first : second
                    group.addTask { try log.registryKeyForImport().bytes }
                }
                return try await group.reduce(into: Set<[UInt8]>()) { $0.insert($1) }
            }
            #expect(keys.count == 1, "round \(round): \(keys.count) different keys")
            let reopened = try ChangeLog(path: path, options: .init(merge: nil))
            #expect(try reopened.registryKey()?.key.bytes == keys.first, "round \(round): the file lost the key")
        }
    }
}
