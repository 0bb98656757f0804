/// Where keys and nonces come from: the operating system's CSPRNG, or — for the
/// county simulator only, whose runs must replay byte for byte from a seed — a
/// deterministic stream. Everything that draws randomness for encryption takes one.
public struct RandomSource: Sendable {
    public let bytes: @Sendable (Int) -> [UInt8]

    public init(_ bytes: @escaping @Sendable (Int) -> [UInt8]) { self.bytes = bytes }

    public static let system = RandomSource { Sodium.randomBytes($0) }
}
