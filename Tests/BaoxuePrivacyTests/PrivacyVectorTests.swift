import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueSodium
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// `Protocol/vectors/privacy.json`, read back: derivations and ids, byte-exact sealed
/// payloads, and a member grant each recipient opens to the vector's key.
@Suite struct PrivacyVectorTests {
    let doc = try! Fixtures.json(Fixtures.packageRoot.appendingPathComponent("Protocol/vectors/privacy.json")) as! [String: Any]

    func hex(_ any: Any?) throws -> [UInt8] { try Hex.decode(try #require(any as? String)) }

    /// Each declared class holds the operations the vectors (and every signed sealed payload) give it,
    /// and each role's highest class is the one the role table allows.
    @Test func declaredClassesAreTheVectors() throws {
        let classes = try #require(doc["declared_classes"] as? [String: [String]])
        #expect(classes.count == DeclaredClass.allCases.count)
        for c in DeclaredClass.allCases { #expect(classes[String(c.rawValue)] == c.operations.map(\.rawValue), "\(c)") }
        #expect(DeclaredClass.highest(for: .liaison) == .field)
        #expect(DeclaredClass.highest(for: .teacher) == .school)
        #expect(DeclaredClass.highest(for: .schoolAdmin) == .admin)
        #expect(DeclaredClass.highest(for: .districtAdmin) == .admin)
        #expect(DeclaredClass.highest(for: .relay) == nil)
    }

    @Test func paddedLengthsAreTheVectors() throws {
        let pairs = try #require(doc["padded_lengths"] as? [[Int]])
        #expect(pairs.count == 10)
        for p in pairs { #expect(SealedPadding.length(for: p[0]) == p[1], "\(p[0])") }
    }

    /// The attachment vector: the file from its pattern, its id, its parts, the second part sealed byte for byte.
    @Test func theAttachmentPartIsByteExact() throws {
        let v = try #require(doc["attachment"] as? [String: Any])
        let scopeKey = try #require(doc["scope_key"] as? [String: Any])
        let key = try ScopeKey(scope: try ScopeID(try #require(scopeKey["scope"] as? String)), bytes: try hex(scopeKey["key"]))
        let file = (0..<(try #require(v["file_length"] as? Int))).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        #expect(Blake2b.hash(file, length: 32) == (try hex(v["file_blake2b_256"])))
        let child = try RecordID(hex: "00112233445566778899aabbccddeeff")
        let parts = try AttachmentPart.split(file, name: try #require(v["name"] as? String), child: child)
        #expect(parts.count == v["parts"] as? Int && AttachmentPart.partBytes == v["part_bytes"] as? Int)
        #expect(parts[1].encoded.count == v["part1_length"] as? Int)
        let author = try PublicKey(bytes: try hex(v["author"]))
        let sealed = try SealedPayload.seal(parts[1], key: key, author: author, seq: 9, declaring: .school, nonce: try hex(v["nonce"]))
        #expect(sealed == (try hex(v["sealed_part1"])))
        #expect(try SealedPayload(bytes: sealed).open(with: key, author: author, seq: 9) == .attachment(parts[1]))
    }

    @Test func theTransferIsByteExactAndOpensToItsChange() throws {
        let t = try #require(doc["transfer"] as? [String: Any])
        let key = try ScopeKey(scope: try ScopeID(try #require(t["scope"] as? String)), bytes: try hex(t["scope_key"]))
        let author = try PublicKey(bytes: try hex(t["author"]))
        let bundle = try TransferBundle(bytes: try hex(t["bundle"]))
        #expect(bundle.encoded == (try hex(t["bundle"])))
        #expect(bundle.changes.map(\.encoded) == [try hex(t["embedded_change"])])
        let sealed = try SealedPayload.seal(bundle, key: key, author: author, seq: 3, nonce: try hex(t["nonce"]))
        #expect(sealed == (try hex(t["sealed"])))
        #expect(try SealedPayload(bytes: sealed).open(with: key, author: author, seq: 3) == .transfer(bundle))
        #expect(try Change.decodeVerified(bundle.changes[0].encoded).scope == bundle.source)
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
            #expect(Int(parsed.declared.rawValue) == s["declared"] as? Int)
            #expect(try parsed.open(with: key, author: author, seq: seq) == .record(payload))
            let content = ContentKey(bytes: key.contentKey(child: payload.soleChild).bytes)
            #expect(content.id == (try hex(s["content_key_id"])))
            #expect(try parsed.open(with: content, author: author, seq: seq, scope: scope) == .record(payload))
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
