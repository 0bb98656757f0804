import BaoxueCore
import BaoxueNoise
import BaoxueSodium
import BaoxueTesting
import Foundation
import Testing

/// The handshake and transport against the cacophony vectors for
/// `Noise_XX_25519_ChaChaPoly_BLAKE2b`, then against tampering.
@Suite struct NoiseVectorTests {
    struct Vector {
        let prologue: [UInt8], initStatic: [UInt8], initEphemeral: [UInt8], respStatic: [UInt8], respEphemeral: [UInt8]
        let handshakeHash: [UInt8]
        let messages: [(payload: [UInt8], ciphertext: [UInt8])]
    }

    static func vector() throws -> Vector {
        let root = try Fixtures.json(Fixtures.sharedVectors.appendingPathComponent("noise/cacophony.json")) as! [String: Any]
        let v = (root["vectors"] as! [[String: Any]]).first { ($0["protocol_name"] as! String) == NoiseHandshake.protocolName }!
        func h(_ k: String) throws -> [UInt8] { try Hex.decode(v[k] as! String) }
        return Vector(
            prologue: try h("init_prologue"), initStatic: try h("init_static"), initEphemeral: try h("init_ephemeral"),
            respStatic: try h("resp_static"), respEphemeral: try h("resp_ephemeral"), handshakeHash: try h("handshake_hash"),
            messages: try (v["messages"] as! [[String: String]]).map { (try Hex.decode($0["payload"]!), try Hex.decode($0["ciphertext"]!)) }
        )
    }

    @Test func handshakeAndTransportMatchTheVectors() throws {
        let v = try Self.vector()
        var i = try NoiseHandshake(
            role: .initiator, staticPrivateKey: v.initStatic, prologue: v.prologue, ephemeralPrivateKey: v.initEphemeral)
        var r = try NoiseHandshake(
            role: .responder, staticPrivateKey: v.respStatic, prologue: v.prologue, ephemeralPrivateKey: v.respEphemeral)
        for (n, m) in v.messages.prefix(3).enumerated() {
            let ct = n % 2 == 0 ? try i.writeMessage(m.payload) : try r.writeMessage(m.payload)
            #expect(ct == m.ciphertext, "handshake message \(n)")
            let pt = n % 2 == 0 ? try r.readMessage(ct) : try i.readMessage(ct)
            #expect(pt == m.payload)
        }
        #expect(i.isComplete && r.isComplete)
        #expect(i.handshakeHash == v.handshakeHash && r.handshakeHash == v.handshakeHash)
        #expect(i.remoteStaticKey == (try X25519Check.pub(v.respStatic)))
        var ti = try i.transport()
        var tr = try r.transport()
        for (n, m) in v.messages.dropFirst(3).enumerated() {
            let fromInitiator = (n + 3) % 2 == 0
            let ct = fromInitiator ? try ti.send.seal(m.payload) : try tr.send.seal(m.payload)
            #expect(ct == m.ciphertext, "transport message \(n + 3)")
            let pt = fromInitiator ? try tr.receive.open(ct) : try ti.receive.open(ct)
            #expect(pt == m.payload)
        }
    }

    @Test func tamperedMessagesAbortTheHandshake() throws {
        let v = try Self.vector()
        var i = try NoiseHandshake(role: .initiator, staticPrivateKey: v.initStatic, prologue: v.prologue)
        var r = try NoiseHandshake(role: .responder, staticPrivateKey: v.respStatic, prologue: v.prologue)
        _ = try r.readMessage(try i.writeMessage([]))
        var m2 = try r.writeMessage([1, 2, 3])
        m2[40] ^= 1
        #expect(throws: NoiseError.decryptFailed) { try i.readMessage(m2) }
        #expect(throws: NoiseError.outOfOrder) { try i.writeMessage([]) }
    }

    @Test func differentProloguesNeverComplete() throws {
        let v = try Self.vector()
        var i = try NoiseHandshake(role: .initiator, staticPrivateKey: v.initStatic, prologue: Array("baoxue-sync/1".utf8))
        var r = try NoiseHandshake(role: .responder, staticPrivateKey: v.respStatic, prologue: Array("baoxue-sync/2".utf8))
        _ = try r.readMessage(try i.writeMessage([]))
        #expect(throws: NoiseError.decryptFailed) { try i.readMessage(try r.writeMessage([])) }
    }

    @Test func outOfOrderAndTruncatedInputAreTypedErrors() throws {
        let v = try Self.vector()
        var i = try NoiseHandshake(role: .initiator, staticPrivateKey: v.initStatic, prologue: [])
        #expect(throws: NoiseError.outOfOrder) { try i.readMessage([0]) }
        var r = try NoiseHandshake(role: .responder, staticPrivateKey: v.respStatic, prologue: [])
        #expect(throws: NoiseError.truncated) { try r.readMessage([1, 2, 3]) }
        var t = NoiseTransportFixture.make()
        #expect(throws: NoiseError.truncated) { try t.receive.open([1, 2]) }
        let sealed = try t.send.seal(Array("家访".utf8))
        var tampered = sealed
        tampered[0] ^= 1
        var u = NoiseTransportFixture.make()
        #expect(throws: NoiseError.decryptFailed) { try u.receive.open(tampered) }
    }
}

enum X25519Check {
    static func pub(_ priv: [UInt8]) throws -> [UInt8] { try BaoxueSodium.X25519.publicKey(privateKey: priv) }
}

/// A completed pair of transports (initiator's send ↔ responder's receive … ) with fixed keys.
enum NoiseTransportFixture {
    static func make() -> NoiseTransport {
        var i = try! NoiseHandshake(
            role: .initiator, staticPrivateKey: [UInt8](repeating: 1, count: 32), prologue: [],
            ephemeralPrivateKey: [UInt8](repeating: 2, count: 32))
        var r = try! NoiseHandshake(
            role: .responder, staticPrivateKey: [UInt8](repeating: 3, count: 32), prologue: [],
            ephemeralPrivateKey: [UInt8](repeating: 4, count: 32))
        _ = try! r.readMessage(try! i.writeMessage([]))
        _ = try! i.readMessage(try! r.writeMessage([]))
        _ = try! r.readMessage(try! i.writeMessage([]))
        let ti = try! i.transport()
        let tr = try! r.transport()
        return NoiseTransport(send: ti.send, receive: tr.receive)
    }
}

@Suite struct DeviceKeyChannelTests {
    /// Devices use their Ed25519 identity as the Noise static key (converted
    /// with libsodium), so after the handshake each side knows the other's device key.
    @Test func handshakeRevealsThePeersDeviceKey() throws {
        let teacher = Fixtures.key(1)
        let liaison = Fixtures.key(2)
        let prologue = Array("baoxue-sync/1".utf8)
        var i = try NoiseHandshake(
            role: .initiator, staticPrivateKey: try X25519.privateKey(fromEd25519Seed: teacher.seed), prologue: prologue)
        var r = try NoiseHandshake(
            role: .responder, staticPrivateKey: try X25519.privateKey(fromEd25519Seed: liaison.seed), prologue: prologue)
        _ = try r.readMessage(try i.writeMessage([]))
        _ = try i.readMessage(try r.writeMessage(Array("hello".utf8)))
        _ = try r.readMessage(try i.writeMessage([]))
        #expect(i.remoteStaticKey == (try X25519.publicKey(fromEd25519: liaison.publicKey.bytes)))
        #expect(r.remoteStaticKey == (try X25519.publicKey(fromEd25519: teacher.publicKey.bytes)))
        var ti = try i.transport()
        var tr = try r.transport()
        #expect(try tr.receive.open(try ti.send.seal(Array("家访记录".utf8))) == Array("家访记录".utf8))
        // A replayed transport message fails: the receiver's nonce has moved on.
        let once = try ti.send.seal([1])
        _ = try tr.receive.open(once)
        #expect(throws: NoiseError.decryptFailed) { try tr.receive.open(once) }
    }
}
