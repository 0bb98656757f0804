import Foundation

/// Which school, township or village a change belongs to; sync and access
/// control decide by it.
///
/// Invariant: 1...128 bytes of UTF-8 in Unicode NFC, without control
/// characters. NFC is required because Swift compares strings by canonical
/// equivalence while signatures cover bytes: two spellings that look equal
/// must not be two scopes.
public struct ScopeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let maxBytes = 128
    public let value: String

    public init(_ value: String) throws(CoreError) {
        try self.init(utf8: Array(value.utf8))
    }

    init<C: Collection>(utf8 bytes: C) throws(CoreError) where C.Element == UInt8 {
        guard (1...Self.maxBytes).contains(bytes.count) else {
            throw .lengthOutOfRange(field: "scope", value: bytes.count, allowed: 1...Self.maxBytes)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidText(field: "scope") }
        var surelyNFC = true
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (0x7f...0x9f).contains(v) { throw .invalidText(field: "scope") }
            // ASCII and CJK Unified Ideographs never change under NFC and do not combine.
            if v >= 0x80 && !(0x4E00...0x9FFF).contains(v) { surelyNFC = false }
        }
        if !surelyNFC {
            guard Array(text.precomposedStringWithCanonicalMapping.utf8).elementsEqual(bytes) else {
                throw .invalidText(field: "scope")
            }
        }
        self.value = text
    }

    public var utf8: [UInt8] { Array(value.utf8) }

    public var description: String { value }

    public static func < (a: ScopeID, b: ScopeID) -> Bool { a.value.utf8.lexicographicallyPrecedes(b.value.utf8) }

    /// By bytes: a scope is NFC (the invariant), so equal bytes and canonical equivalence agree, and
    /// comparing bytes skips the normalization `String`'s `==` and hash do for non-ASCII text.
    public static func == (a: ScopeID, b: ScopeID) -> Bool { a.value.utf8.elementsEqual(b.value.utf8) }

    public func hash(into hasher: inout Hasher) {
        var value = value
        value.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension ScopeID {
    /// True when this scope is `inner` or one of its ancestors (`/`-separated paths):
    /// `丰南区/东镇` covers `丰南区/东镇/示例小学`, not `丰南区/东镇2`. Decided on bytes (trust.md §2),
    /// as `==` is: every permission check of every stored change asks it.
    public func covers(_ inner: ScopeID) -> Bool {
        var outer = value
        var inner = inner.value
        return outer.withUTF8 { o in
            inner.withUTF8 { i in
                guard i.count >= o.count, memcmp(i.baseAddress!, o.baseAddress!, o.count) == 0 else { return false }
                return i.count == o.count || i[o.count] == UInt8(ascii: "/")
            }
        }
    }

    /// The reserved scope of certificates and revocations (`Protocol/trust.md` §6); never holds records.
    public static let admin = try! ScopeID("_admin")
}
