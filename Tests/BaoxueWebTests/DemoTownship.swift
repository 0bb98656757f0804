import BaoxueApp
import Foundation

/// The demo township for a test, made on a thread of its own: `TownshipDemo.run` waits on its
/// syncs with a semaphore (`blocking`), which must not hold one of the few threads of Swift's
/// cooperative pool that async tests run on, or two such tests at once deadlock.
enum DemoTownship {
    static func make(at root: String, children: Int = 20) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            Thread {
                do {
                    _ = try TownshipDemo.run(in: root, children: children, lang: .zh) { _ in }
                    done.resume()
                } catch { done.resume(throwing: error) }
            }.start()
        }
    }
}
