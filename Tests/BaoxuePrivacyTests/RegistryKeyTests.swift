import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueTesting
import Foundation
import Testing

/// Record ids under the registry key (records.md §1.10): the spec's vectors, and a key sealed
/// to one device opens for that device only.
@Suite struct RegistryKeyTests {
    @Test func idsAreTheSpecsKeyedHashes() throws {
        let json = try Fixtures.json(Fixtures.packageRoot.appendingPathComponent("Protocol/vectors/records.json"))
        let doc = try #require(json as? [String: Any])
        let vectors = try #require(doc["registry_ids"] as? [[String: String]])
        #expect(vectors.count == 3)
        for v in vectors {
            let key = try RegistryKey(bytes: try Hex.decode(try #require(v["key"])))
            let id = if let number = v["id_number"] { key.child(idNumber: number) } else {
                key.child(studentNumber: try #require(v["student_number"]))
            }
            #expect(id.hex == v["id"])
        }
        #expect(vectors[0]["id"] == vectors[1]["id"], "the check character's case does not matter")
    }

    @Test func aSealedKeyOpensOnlyForItsDevice() throws {
        let authority = try DeviceKey(seed: [UInt8](repeating: 7, count: 32))
        let key = RegistryKey.ofAuthority(authority)
        #expect(key != RegistryKey.ofAuthority(try DeviceKey(seed: [UInt8](repeating: 8, count: 32))))
        let me = DeviceKey.generate(), other = DeviceKey.generate()
        let box = try key.sealed(to: me.publicKey)
        #expect(try RegistryKey.open(box, as: me) == key)
        #expect(throws: PrivacyError.tampered) { try RegistryKey.open(box, as: other) }
        var flipped = box
        flipped[40] ^= 1
        #expect(throws: PrivacyError.tampered) { try RegistryKey.open(flipped, as: me) }
    }
}
