import BaoxueSodium

/// The `Noise_XX_25519_ChaChaPoly_BLAKE2b` handshake (Noise rev. 34) as a
/// pure state machine: bytes in, bytes out, no I/O.
///
///     -> e
///     <- e, ee, s, es
///     -> s, se
///
/// Invariant: messages are written and read strictly in the pattern's
/// order; after any failure the handshake refuses to continue (Noise
/// requires aborting), so a tampered message can never be retried.
public struct NoiseHandshake: Sendable {
    public enum Role: Sendable { case initiator, responder }

    public static let protocolName = "Noise_XX_25519_ChaChaPoly_BLAKE2b"
    public static let maxMessageLength = 65_535
    static let keyLength = 32
    static let tagLength = 16

    public let role: Role
    private var symmetric: SymmetricState
    private let staticPrivate: [UInt8]
    private let staticPublic: [UInt8]
    private var ephemeralPrivate: [UInt8]?
    private var fixedEphemeral: [UInt8]?
    private var remoteEphemeral: [UInt8]?
    public private(set) var remoteStaticKey: [UInt8]?
    private var step = 0
    private var failed = false

    /// - Parameters:
    ///   - staticPrivateKey: this device's X25519 private key.
    ///   - prologue: bytes both sides must agree on (Baoxue binds the sync protocol version here).
    ///   - ephemeralPrivateKey: only for test vectors; otherwise a fresh random key.
    public init(role: Role, staticPrivateKey: [UInt8], prologue: [UInt8], ephemeralPrivateKey: [UInt8]? = nil) throws(NoiseError) {
        guard let pub = try? X25519.publicKey(privateKey: staticPrivateKey) else { throw .badPeerKey }
        self.role = role
        staticPrivate = staticPrivateKey
        staticPublic = pub
        fixedEphemeral = ephemeralPrivateKey
        symmetric = SymmetricState(protocolName: Self.protocolName)
        symmetric.mixHash(prologue)
    }

    public var isComplete: Bool { step == 3 && !failed }

    /// The handshake hash `h`: identical on both sides once complete; usable for channel binding.
    public var handshakeHash: [UInt8] { symmetric.h }

    private var writesNext: Bool { (step % 2 == 0) == (role == .initiator) }

    /// Writes the next handshake message carrying `payload`.
    public mutating func writeMessage(_ payload: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard !failed, step < 3, writesNext else { throw .outOfOrder }
        do throws(NoiseError) {
            var out: [UInt8] = []
            switch step {
            case 0:
                out += try makeEphemeral()
            case 1:
                out += try makeEphemeral()
                try mix(ephemeralPrivate!, remoteEphemeral!)
                out += try symmetric.encryptAndHash(staticPublic)
                try mix(staticPrivate, remoteEphemeral!)
            default:
                out += try symmetric.encryptAndHash(staticPublic)
                try mix(staticPrivate, remoteEphemeral!)
            }
            out += try symmetric.encryptAndHash(payload)
            guard out.count <= Self.maxMessageLength else { throw NoiseError.tooLong }
            step += 1
            return out
        } catch {
            failed = true
            throw error
        }
    }

    /// Reads the peer's next handshake message and returns its payload.
    public mutating func readMessage(_ message: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard !failed, step < 3, !writesNext else { throw .outOfOrder }
        do throws(NoiseError) {
            guard message.count <= Self.maxMessageLength else { throw NoiseError.tooLong }
            var rest = message[...]
            func take(_ n: Int) throws(NoiseError) -> [UInt8] {
                guard rest.count >= n else { throw .truncated }
                defer { rest = rest.dropFirst(n) }
                return Array(rest.prefix(n))
            }
            switch step {
            case 0:
                remoteEphemeral = try take(Self.keyLength)
                symmetric.mixHash(remoteEphemeral!)
            case 1:
                remoteEphemeral = try take(Self.keyLength)
                symmetric.mixHash(remoteEphemeral!)
                try mix(ephemeralPrivate!, remoteEphemeral!)
                remoteStaticKey = try symmetric.decryptAndHash(try take(Self.keyLength + Self.tagLength))
                try mix(ephemeralPrivate!, remoteStaticKey!)
            default:
                remoteStaticKey = try symmetric.decryptAndHash(try take(Self.keyLength + Self.tagLength))
                try mix(ephemeralPrivate!, remoteStaticKey!)
            }
            if symmetric.hasKey && rest.count < Self.tagLength { throw NoiseError.truncated }
            let payload = try symmetric.decryptAndHash(Array(rest))
            step += 1
            return payload
        } catch {
            failed = true
            throw error
        }
    }

    /// The two transport ciphers, once the handshake is complete.
    public func transport() throws(NoiseError) -> NoiseTransport {
        guard isComplete else { throw .outOfOrder }
        let (c1, c2) = symmetric.split()
        return role == .initiator ? NoiseTransport(send: c1, receive: c2) : NoiseTransport(send: c2, receive: c1)
    }

    private mutating func makeEphemeral() throws(NoiseError) -> [UInt8] {
        let priv = fixedEphemeral ?? X25519.generatePrivateKey()
        fixedEphemeral = nil
        guard let pub = try? X25519.publicKey(privateKey: priv) else { throw .badPeerKey }
        ephemeralPrivate = priv
        symmetric.mixHash(pub)
        return pub
    }

    private mutating func mix(_ priv: [UInt8], _ pub: [UInt8]) throws(NoiseError) {
        guard let shared = try? X25519.sharedSecret(privateKey: priv, publicKey: pub) else { throw .badPeerKey }
        symmetric.mixKey(shared)
    }
}

/// The transport ciphers after a handshake: one to send, one to receive.
public struct NoiseTransport: Sendable {
    public var send: CipherState
    public var receive: CipherState

    public init(send: CipherState, receive: CipherState) {
        self.send = send
        self.receive = receive
    }
}
