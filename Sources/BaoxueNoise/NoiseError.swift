/// Failures of the Noise channel, each naming its cause.
public enum NoiseError: Error, Equatable, Sendable {
    /// A message arrived or was written out of the pattern's order.
    case outOfOrder
    /// A handshake or transport message is shorter than its fixed parts.
    case truncated
    /// A message over Noise's 65,535-byte limit.
    case tooLong
    /// Authentication failed: tampered, replayed or wrong keys.
    case decryptFailed
    /// libsodium refused to seal (a key or nonce of the wrong size: a bug, never the peer's doing).
    case encryptFailed
    /// A Diffie-Hellman with the peer's key failed (a small-order point).
    case badPeerKey
    /// The 64-bit nonce is exhausted; the channel must be re-established.
    case nonceExhausted
}
