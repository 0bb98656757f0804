import Dispatch

/// Decodes and verifies a batch of encoded changes, on one or more cores.
///
/// Signature verification is the physical limit of appending; spreading a
/// batch over cores lets a replica append faster than one core verifies.
/// The result is in input order; the first failure (lowest index) is reported.
public enum BatchVerifier {
    public struct Failure: Error, Equatable, Sendable {
        public let index: Int
        public let error: CoreError
        public init(index: Int, error: CoreError) { self.index = index; self.error = error }
    }

    public static func verify(_ encoded: [[UInt8]], threads: Int = 1, memo: SignatureMemo? = nil) throws(Failure) -> [Change] {
        let n = encoded.count
        if threads <= 1 || n < 64 {
            var out: [Change] = []
            out.reserveCapacity(n)
            for (i, bytes) in encoded.enumerated() {
                do { out.append(try Change.decode(bytes, memo: memo)) } catch { throw Failure(index: i, error: error) }
            }
            return out
        }
        let results = ParallelMap.map(count: n, threads: threads) { i in
            Result { () throws(CoreError) -> Change in try Change.decode(encoded[i], memo: memo) }
        }
        var out: [Change] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            switch results[i] {
            case .success(let c): out.append(c)
            case .failure(let e): throw Failure(index: i, error: e)
            }
        }
        return out
    }
}
