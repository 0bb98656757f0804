import BaoxueCore
import BaoxueSync
import Foundation

/// The replica's allow-list of peers, kept in `<replica>/peers` as text:
/// one peer per line, `<64 hex digits of its public key> <scopes>`, where
/// scopes is `*` or a comma-separated list; `#` starts a comment.
///
/// Until device certificates exist (trust issue) this file is the whole
/// sync policy: a key not listed cannot sync with this replica.
public enum PeerList {
    public static let fileName = "peers"

    public static func path(_ directory: String) -> String { directory + "/" + fileName }

    public static func load(directory: String) throws(AppError) -> SyncPolicy {
        let path = path(directory)
        guard let data = FileManager.default.contents(atPath: path) else { return SyncPolicy() }
        guard let text = String(data: data, encoding: .utf8) else { throw .peerListMalformed(path: path, line: 0) }
        return try parse(text, path: path)
    }

    static func parse(_ text: String, path: String) throws(AppError) -> SyncPolicy {
        var policy = SyncPolicy()
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: \.isWhitespace)
            if fields.isEmpty { continue }
            guard fields.count == 2, let key = try? PublicKey(hex: String(fields[0])),
                  let grant = try? grant(String(fields[1]))
            else { throw .peerListMalformed(path: path, line: n + 1) }
            policy.allow(key, grant)
        }
        return policy
    }

    static func grant(_ text: String) throws(AppError) -> SyncPolicy.Grant {
        if text == "*" { return .allScopes }
        var scopes = Set<ScopeID>()
        for part in text.split(separator: ",") {
            guard let s = try? ScopeID(String(part)) else { throw .invalidArgument(option: "--scope", value: String(part)) }
            scopes.insert(s)
        }
        guard !scopes.isEmpty else { throw .invalidArgument(option: "--scope", value: text) }
        return .scopes(scopes)
    }

    /// Adds or replaces one peer's line; `scopes` empty means all scopes.
    public static func allow(directory: String, key: String, scopes: [String]) throws(AppError) -> SyncPolicy {
        guard let publicKey = try? PublicKey(hex: key) else { throw .invalidArgument(option: "KEY", value: key) }
        let grantText = scopes.isEmpty ? "*" : scopes.joined(separator: ",")
        _ = try grant(grantText)
        let path = path(directory)
        let existing = FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) } ?? ""
        var lines = existing.split(separator: "\n").map(String.init).filter { !$0.hasPrefix(publicKey.hex) }
        lines.append("\(publicKey.hex) \(grantText)")
        let text = lines.joined(separator: "\n") + "\n"
        let policy = try parse(text, path: path)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw .store(.io(path: path, errno: errno))
        }
        return policy
    }
}
