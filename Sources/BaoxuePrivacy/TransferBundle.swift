import BaoxueCore
import BaoxueRecords

/// A transferred child's history as the receiving school gets it (转学, privacy.md §2(b), §3.3):
/// the old school's signed changes about the child, byte for byte, and the child's content key of
/// each epoch of the old school, which opens them. It travels sealed inside one change of the
/// receiving scope, so a relay sees an admin's change of the new school and nothing of the child.
///
/// Invariant: every embedded change is of `source` and structurally valid; the reader verifies
/// each signature and author as if the change had arrived on its own, and opens it with `keys`.
public struct TransferBundle: Sendable, Equatable {
    public let source: ScopeID
    public let child: RecordID
    public let keys: [ContentKey]
    public let changes: [Change]

    public static let maxKeys = 255
    public static let maxChanges = 65_535

    public init(source: ScopeID, child: RecordID, keys: [ContentKey], changes: [Change]) throws(PrivacyError) {
        guard (1...Self.maxKeys).contains(keys.count) else { throw .malformed("transfer: \(keys.count) keys") }
        guard changes.count <= Self.maxChanges, changes.allSatisfy({ $0.scope == source }) else {
            throw .malformed("transfer: changes of another school")
        }
        self.source = source
        self.child = child
        self.keys = keys
        self.changes = changes
    }

    /// `source length u8 | source UTF-8 | child id (16) | k u8 | k × key (32) | n u16 | n × (length u32 | change)`.
    public var encoded: [UInt8] {
        let scope = source.utf8
        var out = [UInt8(scope.count)] + scope + (try! Hex.decode(child.hex)) + [UInt8(keys.count)] + keys.flatMap(\.bytes)
        out += [UInt8(changes.count >> 8), UInt8(changes.count & 0xff)]
        for c in changes {
            let n = c.encoded.count
            out += [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + c.encoded
        }
        return out
    }

    /// The strict parser: every length within the bytes, nothing left over, every change well formed
    /// (signatures are the reader's to check, with the rest of its trust rules).
    public init(bytes: [UInt8]) throws(PrivacyError) {
        var at = 0
        func take(_ n: Int) throws(PrivacyError) -> ArraySlice<UInt8> {
            guard n >= 0, bytes.count - at >= n else { throw .malformed("transfer: truncated") }
            defer { at += n }
            return bytes[at..<(at + n)]
        }
        let n = Int(try take(1).first!)
        guard let text = String(validating: try take(n), as: UTF8.self), let source = try? ScopeID(text), source.utf8.count == n else {
            throw .malformed("transfer: source scope")
        }
        guard let child = try? RecordID(hex: Hex.encode(Array(try take(16)))) else { throw .malformed("transfer: child id") }
        let k = Int(try take(1).first!)
        let keyBytes = Array(try take(32 * k))
        let keys = stride(from: 0, to: keyBytes.count, by: 32).map { ContentKey(bytes: Array(keyBytes[$0..<($0 + 32)])) }
        let countBytes = try take(2)
        let count = Int(countBytes.first!) << 8 | Int(countBytes.last!)
        var changes: [Change] = []
        for _ in 0..<count {
            let l = try take(4).reduce(0) { $0 << 8 | Int($1) }
            guard l <= ChangeFormat.maxEncodedBytes else { throw .malformed("transfer: change length") }
            let encoded = Array(try take(l))
            do { changes.append(try Change.decodeStructure(encoded)) } catch {
                throw .malformed("transfer: change \(changes.count): \(error)")
            }
        }
        guard at == bytes.count else { throw .malformed("transfer: trailing bytes") }
        try self.init(source: source, child: child, keys: keys, changes: changes)
    }
}
