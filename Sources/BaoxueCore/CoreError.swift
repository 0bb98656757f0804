/// Everything the pure core refuses, each case naming its cause.
///
/// Decoding hostile bytes maps every malformed input to one of these; the
/// core never traps on input it did not create itself.
public enum CoreError: Error, Equatable, Sendable {
    /// The input ended before `field` was complete.
    case truncated(field: String)
    /// Bytes remained after a complete value.
    case trailingBytes(count: Int)
    /// The magic bytes or record kind are not those of this record.
    case badMagic
    /// A format version this implementation does not know.
    case unknownVersion(UInt8)
    /// A length or count outside its limits (also how a "negative" length shows up).
    case lengthOutOfRange(field: String, value: Int, allowed: ClosedRange<Int>)
    /// A numeric field outside its allowed range.
    case valueOutOfRange(field: String)
    /// Sequence numbers start at 1.
    case sequenceZero
    /// Dependencies must be strictly ascending (sorted, no duplicates).
    case depsNotCanonical
    /// Text that is not valid UTF-8, not NFC, or holds control characters.
    case invalidText(field: String)
    /// The Ed25519 signature does not verify under the author's key.
    case badSignature
    /// The bytes hash to a different id than the one they were announced with.
    case idMismatch
    /// A hex string with odd length or a non-hex character.
    case invalidHex
    /// A key, hash or signature of the wrong size.
    case wrongLength(field: String, expected: Int, actual: Int)
    /// A hybrid logical clock counter overflowed and the clock could not advance.
    case clockOverflow
    /// libsodium could not derive a key pair from a seed of the right length (never the input's fault).
    case keyDerivationFailed
}

extension CoreError {
    /// A stable snake_case name for the error, used in test vectors and on the wire.
    public var code: String {
        switch self {
        case .truncated: "truncated"
        case .trailingBytes: "trailing_bytes"
        case .badMagic: "bad_magic"
        case .unknownVersion: "unknown_version"
        case .lengthOutOfRange: "length_out_of_range"
        case .valueOutOfRange: "value_out_of_range"
        case .sequenceZero: "sequence_zero"
        case .depsNotCanonical: "deps_not_canonical"
        case .invalidText: "invalid_text"
        case .badSignature: "bad_signature"
        case .idMismatch: "id_mismatch"
        case .invalidHex: "invalid_hex"
        case .wrongLength: "wrong_length"
        case .clockOverflow: "clock_overflow"
        case .keyDerivationFailed: "key_derivation_failed"
        }
    }
}
