/// Why an encrypted payload or a key grant cannot be read, each case naming its cause.
public enum PrivacyError: Error, Equatable, Sendable {
    /// The bytes are not a well-formed sealed payload or key grant (with the parser's reason).
    case malformed(String)
    /// No key this replica holds opens it (not a member, revoked, or the grant has not arrived).
    case noKey
    /// The key matched by id but the tag did not verify: altered bytes or a moved ciphertext.
    case tampered
    /// The decrypted operations include one the envelope did not declare (privacy.md §3).
    case undeclaredOperation(String)

    public var code: String {
        switch self {
        case .malformed: "malformed_sealed_payload"
        case .noKey: "no_key"
        case .tampered: "tampered"
        case .undeclaredOperation: "undeclared_operation"
        }
    }
}
