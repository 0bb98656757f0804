import BaoxueApp
import Foundation

/// The demo township for a test: three teachers' devices, a liaison, admins, a few children.
enum DemoTownship {
    static func make(at root: String, children: Int = 20) async throws {
        _ = try await TownshipDemo.run(in: root, children: children, lang: .zh) { _ in }
    }
}
