import Dispatch

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
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            var i = lane
            while i < count {
                shared[i] = transform(i)
                i += lanes
            }
        }
        return buffer.map { $0! }
    }
}
