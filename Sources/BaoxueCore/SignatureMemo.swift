import BaoxueSodium
import Synchronization

/// Ed25519 checks already made, shared by replicas that run in one process.
///
/// Invariant: it remembers only signatures that libsodium verified, keyed by the
/// BLAKE2b-256 digest of (public key ‖ signature ‖ message); anything it has not
/// seen is verified in full, and a failure is never remembered. Verification is a
/// pure function, so a replica consulting it accepts exactly the signatures it
/// would accept alone.
///
/// Why: the county simulator runs thousands of replicas in one process, and each
/// verifies the same certificates and changes again (most of a simulated day's
/// CPU). A real device sees each change once and has no memo.
public final class SignatureMemo: Sendable {
    private struct Key: Hashable {
        let a, b, c, d: UInt64
    }

    private let verified = Mutex<Set<Key>>([])

    public init() {}

    /// True when `signature` is `publicKey`'s valid signature of `message` (libsodium's rule).
    public func verify(signature: ArraySlice<UInt8>, message: ArraySlice<UInt8>, publicKey: ArraySlice<UInt8>) -> Bool {
        var input: [UInt8] = []
        input.reserveCapacity(publicKey.count + signature.count + message.count)
        input += publicKey
        input += signature
        input += message
        let digest = Blake2b.hash(input[...])
        let key = digest.withUnsafeBytes { raw in
            Key(
                a: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), b: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                c: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self), d: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        }
        if verified.withLock({ $0.contains(key) }) { return true }
        guard Ed25519.verify(signature: signature, message: message, publicKey: publicKey) else { return false }
        _ = verified.withLock { $0.insert(key) }
        return true
    }
}

extension Optional where Wrapped == SignatureMemo {
    /// Verifies through the memo when there is one, with libsodium directly otherwise.
    public func verify(signature: ArraySlice<UInt8>, message: ArraySlice<UInt8>, publicKey: ArraySlice<UInt8>) -> Bool {
        switch self {
        case .some(let memo): memo.verify(signature: signature, message: message, publicKey: publicKey)
        case .none: Ed25519.verify(signature: signature, message: message, publicKey: publicKey)
        }
    }
}
