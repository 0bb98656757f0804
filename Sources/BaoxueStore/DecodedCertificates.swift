import BaoxueTrust
import Foundation
import Synchronization

/// Certificates decoded from their stored bytes, keyed by those bytes: one log's, or shared by
/// the replicas of one process (the simulator's county, as with `SignatureMemo`).
///
/// Invariant: an entry is what `Certificate.decode` gives for its key. Decoding is a pure
/// function of the bytes, so a hit equals decoding again. Why: the trust gate of every append
/// transaction, a relay's admission of every connection and every key grant read the same few
/// hundred stored certificates again; decoding them was several per cent of a simulated county.
/// Only stored certificates pass through, so it holds no more than the `certificate` tables.
public final class DecodedCertificates: Sendable {
    private let byBytes = Mutex<[Data: Certificate]>([:])

    public init() {}

    /// The certificate `bytes` encode, or nil when they do not decode (not remembered).
    func decode(_ bytes: Data) -> Certificate? {
        if let hit = byBytes.withLock({ $0[bytes] }) { return hit }
        guard let certificate = try? Certificate.decode(Array(bytes)) else { return nil }
        byBytes.withLock { $0[bytes] = certificate }
        return certificate
    }
}
