import BaoxueApp
import BaoxueTesting
import Foundation
import Testing

/// The replicas the field app's tests run on.
enum DemoTownship {
    /// The demo township in a fresh folder (teachers, a liaison, admins, a few children); returns its root.
    static func make(children: Int = 20) async throws -> String {
        let root = Fixtures.temporaryDirectory() + "/demo"
        _ = try await TownshipDemo.run(in: root, children: children, lang: .zh) { _ in }
        return root
    }

    /// A sandbox replica (no authority) holding one child, 王小明: its folder and the child's id.
    static func sandbox() throws -> (dir: String, child: String) {
        let dir = Fixtures.temporaryDirectory() + "/ui"
        _ = try ReplicaCommands.initialize(directory: dir)
        _ = try ReplicaCommands.addChild(
            directory: dir, cells: [("姓名", "王小明"), ("身份证件号", "130207201501010019"), ("年级", "3")], scope: "东镇/一小", language: .zh)
        let child = try #require(try ReplicaCommands.searchChildren(directory: dir, text: "王小明", school: nil).first).child.hex
        return (dir, child)
    }
}
