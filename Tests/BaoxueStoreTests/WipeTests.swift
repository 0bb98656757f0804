import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

/// `wipe` overwrites every file before it deletes the folder. Observed through hard links made
/// beforehand: they share the files' blocks, so what `wipe` wrote is what they now hold.
@Suite struct WipeTests {
    @Test func everyFileIsOverwrittenBeforeTheFolderGoes() throws {
        let root = Fixtures.temporaryDirectory()
        let dir = root + "/device"
        let replica = try Replica.create(at: dir)
        let child = RecordID.derived("wiped-child")
        _ = try replica.write(scope: try ScopeID("东镇/一小"), payload: try RecordPayload(ops: [
            .set(kind: .child, record: child, field: "name", value: .text("王小明同学"), pred: []),
        ]).encoded())
        try FileManager.default.createDirectory(atPath: dir + "/attachments", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/attachments/photo", contents: Data("王小明同学的情况说明".utf8))
        let name = Data("王小明同学".utf8)
        var links: [String] = []
        for file in ["replica.sqlite", "attachments/photo", "device.key"] where FileManager.default.fileExists(atPath: dir + "/" + file) {
            let link = root + "/link-" + file.replacingOccurrences(of: "/", with: "-")
            #expect(Foundation.link(dir + "/" + file, link) == 0)
            links.append(link)
        }
        #expect(try links.contains { try Data(contentsOf: URL(fileURLWithPath: $0)).range(of: name) != nil }, "the name is there before")
        try DeviceLock.wipe(dir)
        #expect(!FileManager.default.fileExists(atPath: dir))
        for link in links {
            let left = try Data(contentsOf: URL(fileURLWithPath: link))
            #expect(left.range(of: name) == nil && left.range(of: Data("SQLite format".utf8)) == nil, "\(link) still holds data")
        }
    }
}
