import BaoxueCore
import Foundation

/// Shared fixtures: deterministic keys, change chains, and the paths of
/// the project's and the shared test vectors.
public enum Fixtures {
    /// A device key whose seed is 32 copies of `byte`.
    public static func key(_ byte: UInt8) -> DeviceKey {
        try! DeviceKey(seed: [UInt8](repeating: byte, count: 32))
    }

    /// A chain of `count` changes by `key`, each depending on the previous
    /// (the first on `after`), starting at `firstSeq`.
    public static func chain(
        _ key: DeviceKey, count: Int, firstSeq: UInt64 = 1, after: [ChangeID] = [],
        scope: String = "school-001", payloadBytes: Int = 16, startMs: UInt64 = 1_764_000_000_000
    ) -> [Change] {
        var out: [Change] = []
        var deps = after
        for i in 0..<count {
            let seq = firstSeq + UInt64(i)
            let change = try! Change.sign(
                by: key, seq: seq, timestamp: try! HLCTimestamp(milliseconds: startMs + seq, counter: 0),
                scope: try! ScopeID(scope), deps: deps,
                payload: Array(repeating: UInt8(truncatingIfNeeded: seq), count: payloadBytes)
            )
            out.append(change)
            deps = [change.id]
        }
        return out
    }

    /// The package root, found from this file's location.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/vectors/` beside the checkout.
    public static let sharedVectors: URL = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/vectors")

    public static func json(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }

    /// A fresh temporary directory, removed by the caller when done.
    public static func temporaryDirectory(_ label: String = "baoxue") -> String {
        let path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The folder holding the built executables (`baoxue`, `baoxue-dev`).
    public static var productsDirectory: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = bundle.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("baoxue").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }
}
