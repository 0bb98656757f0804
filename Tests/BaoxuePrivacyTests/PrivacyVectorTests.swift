import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// `Protocol/vectors/privacy.json`, read back: derivations and ids, byte-exact sealed
/// payloads, and a member grant each recipient opens to the vector's key.
@Suite struct PrivacyVectorTests {
    let doc = try! Fixtures.json(Fixtures.packageRoot.appendingPathComponent("Protocol/vectors/privacy.json")) as! [String: Any]

    func hex(_ any: Any?) throws -> [UInt8] { try Hex.decode(try #require(any as? String)) }

    /// Each operation keeps the bit the vectors (and every signed sealed payload) give it.
    @Test func operationBitsAreTheVectors() throws {
        let bits = try #require(doc["operation_bits"] as? [String: Int])
        #expect(bits.count == Operation.allCases.count)
        for op in Operation.allCases { #expect(bits[op.rawValue] == Int(op.bit), "\(op)") }
        #expect(Set(Operation.allCases.map(\.bit)).count == Operation.allCases.count)
        #expect(try DeclaredOperations(mask: 0x0002).operations == [.recordVisit])
        #expect(throws: PrivacyError.self) { try DeclaredOperations(mask: 0x0400) }
    }

    @Test func keyDerivationsAndIds() throws {
        let v = try #require(doc["scope_key"] as? [String: Any])
        let key = try ScopeKey(scope: try ScopeID(try #require(v["scope"] as? String)), bytes: try hex(v["key"]))
        #expect(key.id == (try hex(v["key_id"])))
        for c in try #require(v["content_keys"] as? [[String: Any]]) {
            let child = try (c["child"] as? String).map { try RecordID(hex: $0) }
            #expect(key.contentKey(child: child).bytes == (try hex(c["key"])))
            #expect(key.contentKey(child: child).id == (try hex(c["id"])))
        }
    }

    @Test func sealedPayloadsAreByteExactAndOpen() throws {
        let v = try #require(doc["scope_key"] as? [String: Any])
        let scope = try ScopeID(try #require(v["scope"] as? String))
        let key = try ScopeKey(scope: scope, bytes: try hex(v["key"]))
        let vectors = try #require(doc["sealed_payloads"] as? [[String: Any]])
        #expect(vectors.count == 2)
        for s in vectors {
            let author = try PublicKey(bytes: try hex(s["author"]))
            let seq = UInt64(try #require(s["seq"] as? Int))
            let encoded = try hex(s["payload"])
            let payload = try RecordPayload.decode(encoded)
            #expect(try payload.encoded() == encoded)
            let bytes = try SealedPayload.seal(payload, encoded: encoded, key: key, author: author, seq: seq, nonce: try hex(s["nonce"]))
            #expect(bytes == (try hex(s["sealed"])))
            let parsed = try SealedPayload(bytes: bytes)
            #expect(Int(parsed.operations.mask) == s["operations"] as? Int)
            #expect(parsed.contentKeyID == (try hex(s["content_key_id"])))
            #expect(try parsed.open(with: key, author: author, seq: seq) == payload)
        }
    }

    @Test func theMemberGrantOpensForEachRecipient() throws {
        let g = try #require(doc["member_grant"] as? [String: Any])
        let scope = try ScopeID(try #require(g["scope"] as? String))
        let grant = try MemberGrant(bytes: try hex(g["encoded"]))
        #expect(grant.epoch == 1)
        for seed in try #require(g["recipient_seeds"] as? [String]) {
            let me = try DeviceKey(seed: try Hex.decode(seed))
            #expect(try grant.open(as: me, scope: scope)?.bytes == (try hex(g["opens_to"])))
        }
        #expect(try grant.open(as: try DeviceKey(seed: [UInt8](repeating: 0x24, count: 32)), scope: scope) == nil)
    }
}
