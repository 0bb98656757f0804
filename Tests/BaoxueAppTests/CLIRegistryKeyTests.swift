import BaoxueApp
import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// Record ids a relay cannot reverse (records.md §1.10): the district's registry key reaches each
/// device in its certificate file, sealed to it; two devices of the district importing the same
/// roster agree on every child's id; a relay's file carries no key; a replica outside the district,
/// and anyone hashing ID numbers without the key, gets other ids; locking keeps the key sealed.
@Suite struct CLIRegistryKeyTests {
    let cli = CLITests()
    let env = ["LANG": "C.UTF-8", "BAOXUE_PASSPHRASE": "丰南教育局-长口令"]

    func enroll(_ root: String, _ name: String, role: String, authority: String) throws -> String {
        let dir = root + "/" + name
        #expect(try cli.baoxue(["init", "--dir", dir]).status == 0)
        let request = ["enroll", "request", "--dir", dir, "--name", name, "--role", role, "--scope", "丰南区/东镇/一小"]
        #expect(try cli.baoxue(request, env: env).status == 0)
        let sign = ["authority", "sign", dir + "/enroll-request.txt", "--dir", root + "/auth", "--out", dir + ".cert"]
        let signed = try cli.baoxue(sign, env: env)
        #expect(signed.status == 0, "\(signed.err)")
        let accepted = try cli.baoxue(["enroll", "accept", dir + ".cert", "--dir", dir, "--authority", authority])
        #expect(accepted.status == 0, "\(accepted.err)")
        return dir
    }

    func childIDs(_ dir: String) throws -> [String] {
        let list = try cli.baoxue(["child", "list", "--dir", dir, "--json"])
        return (try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as! [[String: Any]]).map { $0["child"] as! String }.sorted()
    }

    @Test func devicesOfADistrictAgreeOnChildIDsThatNobodyWithoutTheKeyCanDerive() throws {
        let root = Fixtures.temporaryDirectory()
        let auth = try cli.baoxue(["authority", "init", "--dir", root + "/auth", "--json"], env: env)
        let authority = (try JSONSerialization.jsonObject(with: Data(auth.out.utf8)) as! [String: Any])["publicKey"] as! String
        // Two school admins (each can make its scope's key; teachers would wait for a grant).
        let a = try enroll(root, "王校长", role: "school-admin", authority: authority)
        let b = try enroll(root, "李校长", role: "school-admin", authority: authority)
        for dir in [a, b] { #expect(try cli.baoxue(["keys", "grant", "--scope", "丰南区/东镇/一小", "--dir", dir]).status == 0) }
        let relay = try enroll(root, "中继", role: "relay", authority: authority)
        #expect(try String(contentsOfFile: a + ".cert", encoding: .utf8).contains(Armor.registryKey))
        #expect(!(try String(contentsOfFile: relay + ".cert", encoding: .utf8)).contains(Armor.registryKey), "a relay gets no registry key")
        #expect(try Replica.open(at: relay).log.registryKey() == nil)
        // A's sealed key does not open for B.
        let boxA = try Armor.unwrap(Armor.registryKey, try String(contentsOfFile: a + ".cert", encoding: .utf8))
        #expect(throws: PrivacyError.tampered) { try RegistryKey.open(boxA, as: try Replica.open(at: b).key) }

        let ids = (0..<12).map { CLIChildTests.idNumber("201403\(String(format: "%02d", $0 + 1))", $0, male: $0 % 2 == 0) }
        let rows = ids.enumerated().map { i, id in "学生\(i),\(i % 2 == 0 ? "男" : "女"),,\(id),G\(2000 + i),东镇一小,三年级,1班,,," }
        let roster = Fixtures.temporaryDirectory() + "/roster.csv"
        FileManager.default.createFile(atPath: roster, contents: Data(CLIChildTests.xueji(rows).utf8))
        let outsider = root + "/outsider"
        #expect(try cli.baoxue(["init", "--dir", outsider]).status == 0)
        for dir in [a, b, outsider] {
            let run = try cli.baoxue(["child", "import", roster, "--source", "xueji", "--dir", dir, "--scope", "丰南区/东镇/一小"])
            #expect(run.status == 0, "\(dir): \(run.err) \(run.out)")
        }
        let idsA = try childIDs(a), idsB = try childIDs(b), idsOut = try childIDs(outsider)
        #expect(idsA.count == 12 && idsA == idsB, "two devices of the district agree")
        #expect(Set(idsA).isDisjoint(with: idsOut), "a replica outside the district derives other ids")
        let unkeyed = ids.map { RecordID.derived("baoxue.child.id:" + $0).hex }
        #expect(Set(idsA).isDisjoint(with: unkeyed), "no id is the unkeyed hash of its ID number (format 1's rule)")
        let authorityKey = try AuthorityKeyFile.load(at: root + "/auth/authority.key", passphrase: env["BAOXUE_PASSPHRASE"]!)
        let district = RegistryKey.ofAuthority(authorityKey)
        #expect(Set(ids.map { district.child(idNumber: $0).hex }) == Set(idsA), "the ids are the district key's")
        #expect(try Replica.open(at: a).log.registryKey()?.source == .district)
        #expect(try Replica.open(at: outsider).log.registryKey()?.source == .local)

        // Locked, the key is gone from the folder; unlocked, it is back and a re-import changes nothing.
        let secret = ["LANG": "C.UTF-8", "BAOXUE_UNLOCK": "东镇一小-锁屏口令"]
        #expect(try cli.baoxue(["lock", "--dir", a], env: secret).status == 0)
        let sqlite = try Data(contentsOf: URL(fileURLWithPath: a + "/replica.sqlite"))
        #expect(sqlite.range(of: Data(district.bytes)) == nil, "no registry key in the locked database")
        #expect(try cli.baoxue(["unlock", "--dir", a], env: secret).status == 0)
        #expect(try Replica.open(at: a).log.registryKey()?.key == district)
        let again = try cli.baoxue(["child", "import", roster, "--source", "xueji", "--dir", a, "--scope", "丰南区/东镇/一小", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(again.out.utf8)) as! [String: Any])["added"] as? Int == 0)
    }
}
