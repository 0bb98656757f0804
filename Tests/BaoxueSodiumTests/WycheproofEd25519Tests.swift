import BaoxueSodium
import BaoxueTesting
import Foundation
import Testing

/// libsodium's Ed25519 verification against Project Wycheproof's 151 cases:
/// every `valid` signature verifies and every `invalid` one is rejected.
@Suite struct WycheproofEd25519Tests {
    struct Case { let id: Int; let key: [UInt8]; let msg: [UInt8]; let sig: [UInt8]; let result: String }

    static func cases() throws -> [Case] {
        let root = try Fixtures.json(Fixtures.sharedVectors.appendingPathComponent("wycheproof/ed25519_test.json")) as! [String: Any]
        var out: [Case] = []
        for group in root["testGroups"] as! [[String: Any]] {
            let pk = (group["publicKey"] as! [String: Any])["pk"] as! String
            for t in group["tests"] as! [[String: Any]] {
                out.append(Case(
                    id: t["tcId"] as! Int, key: hex(pk), msg: hex(t["msg"] as! String),
                    sig: hex(t["sig"] as! String), result: t["result"] as! String
                ))
            }
        }
        return out
    }

    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    @Test func allCasesMatchExpectedResult() throws {
        let cases = try Self.cases()
        #expect(cases.count == 151)
        var valid = 0, invalid = 0
        for c in cases {
            let ok = Ed25519.verify(signature: c.sig, message: c.msg, publicKey: c.key)
            switch c.result {
            case "valid": #expect(ok, "tcId \(c.id) should verify"); valid += 1
            case "invalid": #expect(!ok, "tcId \(c.id) should be rejected"); invalid += 1
            default: Issue.record("tcId \(c.id): unexpected result \(c.result)")
            }
        }
        #expect(valid > 0 && invalid > 0)
    }

    @Test func signThenVerifyAndTamper() throws {
        let (pk, sk) = try Ed25519.keyPair(seed: [UInt8](repeating: 9, count: 32))
        let msg = Array("送教上门".utf8)
        var sig = try Ed25519.sign(msg, secretKey: sk)
        #expect(Ed25519.verify(signature: sig, message: msg, publicKey: pk))
        sig[0] ^= 1
        #expect(!Ed25519.verify(signature: sig, message: msg, publicKey: pk))
        #expect(throws: SodiumError.wrongLength(what: "seed", expected: 32, actual: 3)) { try Ed25519.keyPair(seed: [1, 2, 3]) }
    }

    @Test func blake2bMatchesKnownAnswer() {
        // BLAKE2b-256("abc"), from RFC 7693's reference implementation.
        #expect(Blake2b.hash(Array("abc".utf8)) == Self.hex("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"))
    }
}
