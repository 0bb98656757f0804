import BaoxueCore
import BaoxueNoise
import BaoxueSodium

/// The byte stream between two replicas (`Protocol/sync.md`, "Channel"):
/// an 8-byte preamble each way, the Noise XX handshake, then encrypted
/// frames whose plaintexts concatenate into length-prefixed messages.
///
/// Invariant: nothing after the handshake is accepted unless it decrypts
/// under this session's keys; once any input fails, the channel refuses
/// all further input (Noise requires the session to be abandoned).
public struct SecureChannel: Sendable {
    /// "BXSYNC", 0, protocol version 2 (version 1 had other reconciliation ranges, sync.md §4.3).
    public static let preamble: [UInt8] = Array("BXSYNC".utf8) + [0, 2]
    /// Mixed into the handshake hash, so peers of different versions cannot complete a handshake.
    public static let prologue: [UInt8] = Array("baoxue-sync/2".utf8)
    /// Hard maximum of one message's length field (a batch of changes must fit).
    public static let maxMessageBytes = 2 << 20
    static let maxFramePlaintext = NoiseHandshake.maxMessageLength - ChaChaPoly.tagLength
    /// Lengths of the three handshake messages with 32-byte Ed25519 key payloads; messages 2
    /// and 3 may be longer by the certificates they present (at most `maxCertificateBytes`).
    static let handshakeLengths = [32, 128, 96]
    /// Bound on the certificate part of a handshake payload: count byte and length-prefixed certificates.
    public static let maxCertificateBytes = 4_096

    /// What one call to `receive` produced besides bytes to send.
    public enum Event: Equatable, Sendable {
        case established(peer: PublicKey)
        case message([UInt8])
    }

    public let role: NoiseHandshake.Role
    private let key: DeviceKey
    private var handshake: NoiseHandshake
    private var transport: NoiseTransport?
    private var inbound: [UInt8] = []
    private var plaintext: [UInt8] = []
    private var gotPreamble = false
    private var failed = false
    public private(set) var peer: PublicKey?
    /// Certificates the peer presented in its handshake payload (undecoded; the trust layer judges them).
    public private(set) var peerCertificates: [[UInt8]] = []
    /// What this side sends in its handshake payload: its Ed25519 key, then its certificates if any.
    private let ownPayload: [UInt8]
    /// Complete frames read so far (progress for the idle timer; bytes alone are not progress).
    public private(set) var framesReceived = 0

    /// - Parameter certificates: this device's certificate chain (device certificate first), presented
    ///   inside the encrypted handshake so a peer that has not seen it yet can admit this device.
    public init(
        role: NoiseHandshake.Role, key: DeviceKey, certificates: [[UInt8]] = [], ephemeralPrivateKey: [UInt8]? = nil
    ) throws(SyncError) {
        self.role = role
        self.key = key
        var payload = key.publicKey.bytes
        if !certificates.isEmpty {
            guard certificates.count <= 8, certificates.allSatisfy({ !$0.isEmpty && $0.count <= 0xFFFF }) else {
                throw .malformed("certificates to present")
            }
            var w = ByteWriter()
            w.u8(UInt8(certificates.count))
            for c in certificates {
                w.u16(UInt16(c.count))
                w.raw(c)
            }
            guard w.bytes.count <= Self.maxCertificateBytes else { throw .malformed("certificates over \(Self.maxCertificateBytes) bytes") }
            payload += w.bytes
        }
        ownPayload = payload
        guard let staticKey = try? X25519.privateKey(fromEd25519Seed: key.seed),
            let hs = try? NoiseHandshake(
                role: role, staticPrivateKey: staticKey, prologue: Self.prologue, ephemeralPrivateKey: ephemeralPrivateKey)
        else { throw .handshakeFailed }
        handshake = hs
    }

    public var isEstablished: Bool { transport != nil }

    /// The first bytes this side sends: the preamble, and for the initiator handshake message 1.
    public mutating func start() throws(SyncError) -> [UInt8] {
        guard role == .initiator else { return Self.preamble }
        return Self.preamble + Self.frame(try hand { () throws(NoiseError) in try handshake.writeMessage([]) })
    }

    /// Feeds bytes from the peer; returns bytes to send and what happened.
    public mutating func receive(_ bytes: [UInt8]) throws(SyncError) -> (send: [UInt8], events: [Event]) {
        guard !failed else { throw .malformed("input after the channel failed") }
        do {
            return try receiveUnchecked(bytes)
        } catch {
            failed = true
            throw error
        }
    }

    private mutating func receiveUnchecked(_ bytes: [UInt8]) throws(SyncError) -> (send: [UInt8], events: [Event]) {
        inbound += bytes
        var offset = 0
        var send: [UInt8] = []
        var events: [Event] = []
        defer { inbound.removeFirst(offset) }
        if !gotPreamble {
            let n = min(inbound.count, Self.preamble.count)
            guard Array(inbound[0..<n]) == Array(Self.preamble[0..<n]) else {
                throw .unsupportedVersion(peerPreamble: Array(inbound.prefix(Self.preamble.count)))
            }
            guard n == Self.preamble.count else { return ([], []) }
            gotPreamble = true
            offset = n
        }
        while inbound.count - offset >= 2 {
            let length = Int(inbound[offset]) << 8 | Int(inbound[offset + 1])
            let step = handshakeStep
            if transport == nil {
                // Messages 2 and 3 may carry certificates after the 32-byte key.
                guard step < 3, case let base = Self.handshakeLengths[step],
                    length == base || (step > 0 && (base...base + Self.maxCertificateBytes).contains(length))
                else {
                    throw .malformed("handshake message \(step + 1) of \(length) bytes")
                }
            } else {
                guard length >= ChaChaPoly.tagLength else { throw .malformed("frame of \(length) bytes") }
            }
            guard inbound.count - offset >= 2 + length else { break }
            let frame = Array(inbound[(offset + 2)..<(offset + 2 + length)])
            offset += 2 + length
            framesReceived += 1
            if transport == nil {
                let (out, event) = try handshakeFrame(frame, step: step)
                send += out
                if let event { events.append(event) }
            } else {
                events += try transportFrame(frame)
            }
        }
        return (send, events)
    }

    private var handshakeStep: Int { role == .initiator ? (peer == nil ? 1 : 3) : (framesReceived == 0 ? 0 : 2) }

    private mutating func handshakeFrame(_ frame: [UInt8], step: Int) throws(SyncError) -> ([UInt8], Event?) {
        let payload = try hand { () throws(NoiseError) in try handshake.readMessage(frame) }
        switch (role, step) {
        case (.responder, 0):
            guard payload.isEmpty else { throw .malformed("payload in handshake message 1") }
            return (Self.frame(try hand { () throws(NoiseError) in try handshake.writeMessage(ownPayload) }), nil)
        case (.initiator, 1):
            let peerKey = try bind(payload)
            let out = Self.frame(try hand { () throws(NoiseError) in try handshake.writeMessage(ownPayload) })
            try establish(peerKey)
            return (out, .established(peer: peerKey))
        default:
            let peerKey = try bind(payload)
            try establish(peerKey)
            return ([], .established(peer: peerKey))
        }
    }

    /// The Ed25519 key in a handshake payload must convert to the Noise static key the peer proved it
    /// holds; certificates after it must parse (count, then u16-length-prefixed certificates, nothing after).
    private mutating func bind(_ payload: [UInt8]) throws(SyncError) -> PublicKey {
        guard payload.count >= 32 else { throw .keyMismatch }
        if payload.count > 32 {
            var r = ByteReader(Array(payload[32...]))
            var certs: [[UInt8]] = []
            do throws(CoreError) {
                let count = try r.u8("certificates.count")
                for _ in 0..<count {
                    let n = Int(try r.u16("certificate.length"))
                    guard n > 0 else { throw .truncated(field: "certificate") }
                    certs.append(Array(try r.take(n, "certificate")))
                }
                try r.expectEnd()
            } catch {
                throw .malformed("handshake certificates: \(error.code)")
            }
            peerCertificates = certs
        }
        let keyBytes = Array(payload[0..<32])
        guard let edKey = try? PublicKey(bytes: keyBytes),
            let converted = try? X25519.publicKey(fromEd25519: keyBytes),
            let remote = handshake.remoteStaticKey,
            Sodium.constantTimeEqual(converted, remote)
        else { throw .keyMismatch }
        return edKey
    }

    private mutating func establish(_ peerKey: PublicKey) throws(SyncError) {
        peer = peerKey
        transport = try hand { () throws(NoiseError) in try handshake.transport() }
    }

    private mutating func transportFrame(_ frame: [UInt8]) throws(SyncError) -> [Event] {
        guard let opened = try? transport!.receive.open(frame) else { throw .decryptFailed }
        plaintext += opened
        var events: [Event] = []
        var at = 0
        while plaintext.count - at >= 4 {
            let length = plaintext[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) }
            guard length <= Self.maxMessageBytes else { throw .frameTooLarge(length: length, limit: Self.maxMessageBytes) }
            guard length >= 2 else { throw .malformed("message of \(length) bytes") }
            guard plaintext.count - at >= 4 + length else { break }
            events.append(.message(Array(plaintext[(at + 4)..<(at + 4 + length)])))
            at += 4 + length
        }
        plaintext.removeFirst(at)
        return events
    }

    /// Encrypts messages into frames: each message gets a 4-byte length,
    /// the stream is cut into frames of at most 65,519 plaintext bytes.
    /// The stream is never built whole: each frame's plaintext fills one reused buffer.
    public mutating func seal(_ messages: [[UInt8]]) throws(SyncError) -> [UInt8] {
        guard transport != nil else { throw .malformed("sealing before the handshake") }
        let total = messages.reduce(0) { $0 + 4 + $1.count }
        var out: [UInt8] = []
        out.reserveCapacity(total + (total / Self.maxFramePlaintext + 1) * 18)
        var frame: [UInt8] = []
        frame.reserveCapacity(min(total, Self.maxFramePlaintext))
        for m in messages {
            let n = UInt32(m.count)
            try feed(
                [UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)][...],
                frame: &frame, out: &out)
            try feed(m[...], frame: &frame, out: &out)
        }
        if !frame.isEmpty { try sealFrame(frame, into: &out) }
        return out
    }

    /// Encrypts plaintext stream bytes as they are, length prefixes included
    /// or not: what `seal` does after framing, and what a test of a hostile peer needs.
    public mutating func sealRaw(_ stream: [UInt8]) throws(SyncError) -> [UInt8] {
        guard transport != nil else { throw .malformed("sealing before the handshake") }
        var out: [UInt8] = []
        out.reserveCapacity(stream.count + (stream.count / Self.maxFramePlaintext + 1) * 18)
        var at = 0
        while at < stream.count {
            let end = min(stream.count, at + Self.maxFramePlaintext)
            try sealFrame(Array(stream[at..<end]), into: &out)
            at = end
        }
        return out
    }

    /// Adds `bytes` to the frame being filled, sealing it into `out` each time it is full.
    private mutating func feed(_ bytes: ArraySlice<UInt8>, frame: inout [UInt8], out: inout [UInt8]) throws(SyncError) {
        var rest = bytes
        while !rest.isEmpty {
            let take = min(rest.count, Self.maxFramePlaintext - frame.count)
            frame += rest.prefix(take)
            rest = rest.dropFirst(take)
            if frame.count == Self.maxFramePlaintext {
                try sealFrame(frame, into: &out)
                frame.removeAll(keepingCapacity: true)
            }
        }
    }

    private mutating func sealFrame(_ plaintext: [UInt8], into out: inout [UInt8]) throws(SyncError) {
        guard let sealed = try? transport!.send.seal(plaintext) else { throw .decryptFailed }
        Self.appendFrame(sealed, to: &out)
    }

    static func frame(_ body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(2 + body.count)
        appendFrame(body, to: &out)
        return out
    }

    /// A frame: the body's length in two big-endian bytes, then the body.
    static func appendFrame(_ body: [UInt8], to out: inout [UInt8]) {
        out.append(UInt8(body.count >> 8))
        out.append(UInt8(truncatingIfNeeded: body.count))
        out += body
    }

    private func hand<T>(_ body: () throws(NoiseError) -> T) throws(SyncError) -> T {
        do { return try body() } catch { throw .handshakeFailed }
    }
}
