import Dispatch
import Synchronization

/// Computes `count` independent results on up to `threads` cores, in input order: the one way the
/// codebase spreads CPU-bound work (verifying signatures, decoding payloads) over cores.
///
/// Invariant: `transform(i)` runs exactly once for each `i` in `0..<count`, each on one thread; the
/// results come back at their own index. (The shared buffer is written at distinct indices only,
/// which the compiler cannot see: hence the one `nonisolated(unsafe)` here.)
public enum ParallelMap {
    public static func map<T>(count: Int, threads: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        guard threads > 1, count > 1 else { return (0..<count).map(transform) }
        let buffer = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        buffer.initialize(repeating: nil)
        defer {
            buffer.deinitialize()
            buffer.deallocate()
        }
        nonisolated(unsafe) let shared = buffer
        let lanes = min(threads, count)
        // Work is taken in small chunks from a shared counter, not dealt out in advance: when another
        // thread (a writer committing the previous batch) takes a core from one lane, the other lanes
        // do its share instead of waiting for it at the end.
        let next = Atomic<Int>(0)
        let chunk = max(1, min(16, count / (lanes * 8)))
        DispatchQueue.concurrentPerform(iterations: lanes) { _ in
            while true {
                let start = next.wrappingAdd(chunk, ordering: .relaxed).oldValue
                guard start < count else { return }
                for i in start..<min(count, start + chunk) { shared[i] = transform(i) }
            }
        }
        // Moved out, not copied: a copy retains every reference the result holds, then the buffer releases them.
        return (0..<count).map { buffer[$0].take()! }
    }

    /// Runs `background` on another thread while `foreground` runs on this one, and returns both results
    /// once both are done (also when `foreground` throws: `background` never outlives the call).
    /// A rebuild decodes the next chunk of the log this way while it writes the current one.
    public static func alongside<A, B: Sendable>(
        _ background: @escaping @Sendable () -> B, _ foreground: () throws -> A
    ) rethrows -> (A, B) {
        let box = Slot<B>()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { box.value = background() }
        let a: A
        do {
            defer { group.wait() }
            a = try foreground()
        }
        return (a, box.value.take()!)
    }

    /// Written by one thread before the group is left, read after the wait: the group orders the two.
    private final class Slot<T>: @unchecked Sendable {
        var value: T?
    }
}
