import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import Foundation
import Testing

/// `Protocol/vectors/sync.json` checked against this implementation:
/// fingerprints, message bytes, refusals, and a recorded session replayed
/// side by side, byte for byte.
@Suite struct SyncVectorTests {
    static func load() throws -> [String: Any] {
        try Fixtures.json(Fixtures.packageRoot.appendingPathComponent("Protocol/vectors/sync.json")) as! [String: Any]
    }

    @Test func preambleFingerprintsAndMessages() throws {
        let v = try Self.load()
        #expect(try Hex.decode(v["preamble"] as! String) == SecureChannel.preamble)
        #expect(try Hex.decode(v["prologue"] as! String) == SecureChannel.prologue)
        for f in v["fingerprints"] as! [[String: Any]] {
            let items = try (f["ids"] as! [String]).enumerated().map {
                SyncItem(timestamp: UInt64($0.offset + 1) << 16, id: try ChangeID(hex: $0.element))
            }
            #expect(Hex.encode(Reconciler.fingerprint(of: items)) == f["fingerprint"] as! String)
        }
        for m in v["messages"] as! [[String: Any]] {
            let bytes = try Hex.decode(m["hex"] as! String)
            #expect(try SyncMessage.decode(bytes).encoded() == bytes, "\(m["name"]!)")
        }
        for m in v["invalid_messages"] as! [[String: Any]] {
            #expect(throws: SyncError.malformed(m["detail"] as! String), "\(m["name"]!)") {
                try SyncMessage.decode(try Hex.decode(m["hex"] as! String))
            }
        }
    }

    @Test func theRecordedSessionReplaysByteForByte() throws {
        let s = (try Self.load())["session"] as! [String: Any]
        func h(_ k: String) throws -> [UInt8] { try Hex.decode(s[k] as! String) }
        func log(_ k: String) throws -> ChangeLog {
            let l = try ChangeLog(inMemory: (), options: .init(merge: nil))
            _ = try l.append(encoded: try (s[k] as! [String]).map { try Hex.decode($0) })
            return l
        }
        let ki = try DeviceKey(seed: try h("initiator_seed"))
        let kr = try DeviceKey(seed: try h("responder_seed"))
        let li = try log("initiator_changes")
        let lr = try log("responder_changes")
        let scope = try ScopeID(s["scope"] as! String)
        var sides: [String: SyncEndpoint] = [
            "initiator": SyncEndpoint(
                session: try SyncSession(
                    role: .initiator, key: ki, policy: SyncPolicy(grants: [kr.publicKey: .allScopes]),
                    scopes: [scope], source: StoreSyncSource(li), now: 0,
                    ephemeralPrivateKey: try h("initiator_ephemeral")), store: li),
            "responder": SyncEndpoint(
                session: try SyncSession(
                    role: .responder, key: kr, policy: SyncPolicy(grants: [ki.publicKey: .allScopes]),
                    source: StoreSyncSource(lr), now: 0,
                    ephemeralPrivateKey: try h("responder_ephemeral")), store: lr),
        ]
        var t: UInt64 = 0
        for (n, step) in (s["steps"] as! [[String: String]]).enumerated() {
            let side = step["side"]!
            let input = try Hex.decode(step["in"]!)
            t += 1
            let out = input.isEmpty ? sides[side]!.start(now: 0) : sides[side]!.receive(input, now: t / 2)
            #expect(Hex.encode(out) == step["out"]!, "step \(n) (\(side))")
        }
        let si = try #require(sides["initiator"]!.result?.success)
        let sr = try #require(sides["responder"]!.result?.success)
        #expect(si.sentChanges == s["initiator_sent"] as! Int && si.receivedChanges == s["initiator_received"] as! Int)
        #expect(sr.sentChanges == s["responder_sent"] as! Int && sr.receivedChanges == s["responder_received"] as! Int)
        #expect(try li.count(nil) == 7 && lr.count(nil) == 7)
    }
}
