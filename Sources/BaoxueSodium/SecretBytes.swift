import CSodium

/// Key material held in memory: one allocation, never copied into Swift arrays by its users, and
/// overwritten with `sodium_memzero` when the last reference goes.
///
/// Invariant: the bytes never change after `init`, so sharing the reference between threads is
/// safe (hence `@unchecked Sendable`: the compiler cannot see that a raw pointer is read-only).
/// Why a class: a value type's copies could not all be zeroed; one owner can.
public final class SecretBytes: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer

    /// Copies `bytes` in; the caller should zero its own copy (`SecretBytes.zero`).
    public init(_ bytes: [UInt8]) {
        storage = .allocate(byteCount: max(bytes.count, 1), alignment: 16)
        storage.copyBytes(from: bytes)
        count = bytes.count
    }

    /// A buffer of `count` bytes filled by `fill` (e.g. a libsodium call writing a key in place).
    public init(count: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        storage = .allocate(byteCount: max(count, 1), alignment: 16)
        self.count = count
        do { try fill(UnsafeMutableRawBufferPointer(rebasing: storage[0..<count])) } catch {
            sodium_memzero(storage.baseAddress, storage.count)
            storage.deallocate()
            throw error
        }
    }

    public let count: Int

    /// Reads the bytes in place, without a copy.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
    }

    /// A copy, for the few places that must write the secret out (a key file, a sealed box):
    /// the caller zeroes it when done (`SecretBytes.zero`).
    public var copiedBytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Overwrites `bytes` in place with zeros, in a way the optimiser keeps.
    public static func zero(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) }
    }

    deinit {
        sodium_memzero(storage.baseAddress, storage.count)
        storage.deallocate()
    }
}
