import BaoxueCore
import BaoxueRecords
import BaoxueSodium

/// One epoch of a scope's key: 32 random bytes every member of the scope
/// holds (privacy.md §2). Invariant: `id` is derived from the key and the
/// scope, so a grant cannot pass one school's key off as another's.
///
/// Changes are not encrypted under it directly but under a `ContentKey`
/// derived from it per child, so that a transfer hands over one child's keys
/// without the school's.
public struct ScopeKey: Sendable, Equatable {
    public static let length = 32
    public static let idLength = 16

    public let scope: ScopeID
    public let bytes: [UInt8]
    /// BLAKE2b-128 keyed with the key, of `baoxue/scope-key-id/v1` ‖ scope.
    public let id: [UInt8]

    public init(scope: ScopeID, bytes: [UInt8]) throws(PrivacyError) {
        guard bytes.count == Self.length else { throw .malformed("scope key must be 32 bytes") }
        self.scope = scope
        self.bytes = bytes
        id = Blake2b.hash(Array("baoxue/scope-key-id/v1".utf8) + scope.utf8, length: Self.idLength, key: bytes)
    }

    /// A fresh key from `random` (the operating system's, outside the simulator).
    public static func generate(scope: ScopeID, random: RandomSource = .system) -> ScopeKey {
        try! ScopeKey(scope: scope, bytes: random.bytes(length))
    }

    /// The key of one child's changes in this epoch, or of changes about no single child (nil).
    /// BLAKE2b is a PRF under its key, so a content key says nothing of the scope key or of another child's.
    public func contentKey(child: RecordID?) -> ContentKey {
        let label = child.map { Array("baoxue/child-key/v1".utf8) + (try! Hex.decode($0.hex)) } ?? Array("baoxue/scope-content/v1".utf8)
        return ContentKey(bytes: Blake2b.hash(label, length: 32, key: bytes))
    }
}

/// The key a record payload is encrypted under. Invariant: `id` is derived from the key.
public struct ContentKey: Sendable, Equatable {
    public let bytes: [UInt8]
    /// BLAKE2b-128 keyed with the key, of `baoxue/content-key-id/v1`.
    public let id: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        id = Blake2b.hash(Array("baoxue/content-key-id/v1".utf8), length: ScopeKey.idLength, key: bytes)
    }
}
