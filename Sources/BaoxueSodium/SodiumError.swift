/// Failures of the libsodium bindings, each naming its cause.
public enum SodiumError: Error, Equatable, Sendable {
    /// A key, seed or signature had the wrong number of bytes.
    case wrongLength(what: String, expected: Int, actual: Int)
    /// libsodium refused the operation (returned non-zero).
    case operationFailed(String)
}
