import BaoxueCore
import BaoxueTesting
import Foundation
import Testing

/// The Swift code against every vector of `Protocol/vectors/changes.json`,
/// both ways: decoding the bytes gives the fields, signing the fields gives the bytes.
@Suite struct ChangeVectorTests {
    nonisolated(unsafe) static let root =
        try! Fixtures.json(Fixtures.packageRoot.appendingPathComponent("Protocol/vectors/changes.json")) as! [String: Any]
    nonisolated(unsafe) static let valid = root["valid"] as! [[String: Any]]
    nonisolated(unsafe) static let invalid = root["invalid"] as! [[String: Any]]

    @Test func enoughVectors() {
        #expect(Self.valid.count >= 8)
        #expect(Self.invalid.count >= 10)
    }

    @Test(arguments: 0..<9) func decodeGivesFields(index: Int) throws {
        let v = Self.valid[index]
        let change = try Change.decode(try Hex.decode(v["encoded"] as! String))
        #expect(change.author.hex == v["author"] as! String)
        #expect(change.author.fingerprint.text == v["fingerprint"] as! String)
        #expect(String(change.seq) == v["seq"] as! String)
        #expect(String(change.timestamp.milliseconds) == v["hlc_ms"] as! String)
        #expect(Int(change.timestamp.counter) == v["hlc_counter"] as! Int)
        #expect(change.scope.value == v["scope"] as! String)
        #expect(change.deps.map(\.hex) == v["deps"] as! [String])
        #expect(Hex.encode(change.payload) == v["payload"] as! String)
        #expect(change.id.hex == v["id"] as! String)
        #expect(change.signature.hex == v["signature"] as! String)
        #expect(Hex.encode(change.signedBytes) == v["signed_bytes"] as! String)
    }

    @Test(arguments: 0..<9) func signingFieldsGivesBytes(index: Int) throws {
        let v = Self.valid[index]
        let key = try DeviceKey(seed: try Hex.decode(v["seed"] as! String))
        #expect(key.publicKey.hex == v["author"] as! String)
        let deps = try (v["deps"] as! [String]).reversed().map { try ChangeID(hex: $0) }
        let change = try Change.sign(
            by: key, seq: UInt64(v["seq"] as! String)!,
            timestamp: try HLCTimestamp(milliseconds: UInt64(v["hlc_ms"] as! String)!, counter: UInt16(v["hlc_counter"] as! Int)),
            scope: try ScopeID(v["scope"] as! String), deps: deps, payload: try Hex.decode(v["payload"] as! String)
        )
        #expect(Hex.encode(change.encoded) == v["encoded"] as! String)
        #expect(change.id.hex == v["id"] as! String)
        #expect(change.signature.hex == v["signature"] as! String)
    }

    @Test func everyInvalidVectorFailsWithItsError() throws {
        for v in Self.invalid {
            let bytes = try Hex.decode(v["encoded"] as! String)
            do {
                _ = try Change.decode(bytes)
                Issue.record("\(v["name"]!) decoded but must fail")
            } catch {
                #expect(error.code == v["error"] as! String, "\(v["name"]!)")
            }
        }
    }

    @Test func idMismatchIsReported() throws {
        let v = Self.valid[0]
        let other = try ChangeID(hex: Self.valid[1]["id"] as! String)
        #expect(throws: CoreError.idMismatch) {
            try Change.decode(try Hex.decode(v["encoded"] as! String), expectedID: other)
        }
    }
}
