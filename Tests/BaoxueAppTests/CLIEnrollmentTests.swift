import BaoxueApp
import BaoxueCore
import BaoxueTesting
import Foundation
import Testing

/// `authority init`, `enroll request`, `authority sign`, `enroll accept`, end to end.
@Suite struct CLIEnrollmentTests {
    let cli = CLITests()

    @Test func aDeviceIsEnrolledAndEveryWrongStepIsRefused() throws {
        let root = Fixtures.temporaryDirectory()
        let env = ["LANG": "C.UTF-8", "BAOXUE_PASSPHRASE": "丰南教育局-长口令"]
        let auth = try cli.baoxue(["authority", "init", "--dir", root + "/auth", "--json"], env: env)
        #expect(auth.status == 0, "\(auth.err)")
        let authority = (try JSONSerialization.jsonObject(with: Data(auth.out.utf8)) as! [String: Any])["publicKey"] as! String
        let mode = try FileManager.default.attributesOfItem(atPath: root + "/auth/authority.key")[.posixPermissions] as! Int
        #expect(mode == 0o600)
        #expect(!(try String(contentsOfFile: root + "/auth/authority.key", encoding: .utf8)).contains("丰南"))

        #expect(try cli.baoxue(["init", "--dir", root + "/dev"]).status == 0)
        let req = try cli.baoxue(
            [
                "enroll", "request", "--dir", root + "/dev", "--name", "张老师", "--role", "liaison",
                "--scope", "丰南区/东镇/李村",
            ], env: env)
        #expect(req.status == 0 && req.out.contains("村联络员"), "\(req.err)")

        // Wrong passphrase: nothing signed.
        var wrong = env
        wrong["BAOXUE_PASSPHRASE"] = "guess"
        let refused = try cli.baoxue(
            [
                "authority", "sign", root + "/dev/enroll-request.txt", "--dir", root + "/auth",
                "--out", root + "/cert.txt",
            ], env: wrong)
        #expect(refused.status == 1 && refused.err.contains("口令不对"))
        #expect(!FileManager.default.fileExists(atPath: root + "/cert.txt"))

        // A tampered request (name changed after signing) is refused.
        var text = try String(contentsOfFile: root + "/dev/enroll-request.txt", encoding: .utf8)
        let flip = text.index(text.startIndex, offsetBy: 200)
        text.replaceSubrange(flip...flip, with: text[flip] == "0" ? "1" : "0")
        try text.write(toFile: root + "/tampered.txt", atomically: true, encoding: .utf8)
        let tampered = try cli.baoxue(
            ["authority", "sign", root + "/tampered.txt", "--dir", root + "/auth", "--out", root + "/t.txt"], env: env)
        #expect(tampered.status == 1, "\(tampered.out)")

        let signed = try cli.baoxue(
            [
                "authority", "sign", root + "/dev/enroll-request.txt", "--dir", root + "/auth",
                "--days", "90", "--out", root + "/cert.txt",
            ], env: env)
        #expect(signed.status == 0 && signed.out.contains("已签发"), "\(signed.err)")

        // The device accepts it only against the right authority key.
        let other = String(repeating: "ab", count: 32)
        #expect(try cli.baoxue(["enroll", "accept", root + "/cert.txt", "--dir", root + "/dev", "--authority", other]).status == 1)
        let accepted = try cli.baoxue(["enroll", "accept", root + "/cert.txt", "--dir", root + "/dev", "--authority", authority])
        #expect(accepted.status == 0 && accepted.out.contains("证书有效"), "\(accepted.err)")
        #expect(try String(contentsOfFile: root + "/dev/authority", encoding: .utf8) == authority + "\n")
        // The certificate is now the device's first change, in the admin scope, applied; nothing is quarantined.
        let log = try cli.baoxue(["log", "--dir", root + "/dev"])
        #expect(log.out.contains("[_admin]") && log.out.contains("已应用"), "\(log.out)")
        let quarantine = try cli.baoxue(["quarantine", "--dir", root + "/dev"])
        #expect(quarantine.status == 0 && quarantine.out.contains("共 0 条"))

        // Revocation: the bureau revokes, any replica publishes; one from another authority does not take effect.
        let devKey =
            (try JSONSerialization.jsonObject(with: Data(try cli.baoxue(["whoami", "--dir", root + "/dev", "--json"]).out.utf8))
            as! [String: Any])["publicKey"] as! String
        let revoked = try cli.baoxue(
            ["authority", "revoke", devKey, "--reason", "手机丢失", "--dir", root + "/auth", "--out", root + "/rev.txt"], env: env)
        #expect(revoked.status == 0, "\(revoked.err)")
        #expect(try cli.baoxue(["authority", "init", "--dir", root + "/auth2"], env: env).status == 0)
        #expect(
            try cli.baoxue(
                ["authority", "revoke", devKey, "--reason", "x", "--dir", root + "/auth2", "--out", root + "/rev2.txt"], env: env
            ).status == 0)
        let bogus = try cli.baoxue(["admin", "publish", root + "/rev2.txt", "--dir", root + "/dev"])
        #expect(bogus.status == 0 && bogus.out.contains("未生效"), "\(bogus.out)")
        let published = try cli.baoxue(["admin", "publish", root + "/rev.txt", "--dir", root + "/dev"])
        #expect(published.status == 0 && published.out.contains("已发布并生效"), "\(published.out) \(published.err)")
        let alerts = try cli.baoxue(["alerts", "--dir", root + "/dev", "--json"])
        #expect(
            (try JSONSerialization.jsonObject(with: Data(alerts.out.utf8)) as! [String: Any])["quarantined"] as? Int == 1, "\(alerts.out)")

        let verified = try cli.baoxue(["verify", "--dir", root + "/dev", "--json"])
        let vr = try JSONSerialization.jsonObject(with: Data(verified.out.utf8)) as! [String: Any]
        #expect(verified.status == 0 && vr["certificates"] as? Int == 1 && vr["certificateFailures"] as? Int == 0, "\(verified.out)")

        // Another device cannot take this certificate as its own.
        #expect(try cli.baoxue(["init", "--dir", root + "/dev2"]).status == 0)
        let stolen = try cli.baoxue([
            "enroll", "accept", root + "/cert.txt", "--dir", root + "/dev2", "--authority", authority, "--lang", "en",
        ])
        #expect(
            stolen.status == 1 && stolen.err.contains("issued to another device") && stolen.err.contains("not this one"),
            "\(stolen.err)")
        let stolenZh = try cli.baoxue(["enroll", "accept", root + "/cert.txt", "--dir", root + "/dev2", "--authority", authority])
        #expect(stolenZh.err.contains("这份证书是发给另一台设备的") && !stolenZh.err.contains("格式"), "not a file-format error: \(stolenZh.err)")
        let janitor = try cli.baoxue(["enroll", "request", "--dir", root + "/dev", "--name", "x", "--role", "janitor", "--scope", "a"])
        #expect(janitor.status == 2 && janitor.err.contains("可选：教师、村联络员、学校管理员、中继、区县管理员"), "\(janitor.err)")
    }
}

extension CLIEnrollmentTests {
    /// Enrolled devices sync on the strength of their certificates alone (no peer list);
    /// once one is revoked, the other refuses it.
    @Test func certifiedDevicesSyncAndARevokedOneIsRefused() throws {
        let root = Fixtures.temporaryDirectory()
        // An authority key is sealed only under a passphrase nobody would guess (issue 22 §5).
        for (weak, why) in [("abc", "至少要 8 个"), ("11111111", "太容易被猜到"), ("password1", "太容易被猜到")] {
            let weakEnv = ["LANG": "C.UTF-8", "BAOXUE_PASSPHRASE": weak]
            let refused = try cli.baoxue(["authority", "init", "--dir", root + "/weak"], env: weakEnv)
            #expect(refused.status == 1 && refused.err.contains(why), "\(weak): \(refused.err)")
            #expect(!FileManager.default.fileExists(atPath: root + "/weak"), "nothing created")
        }
        let env = ["LANG": "C.UTF-8", "BAOXUE_PASSPHRASE": "东镇教育办-授权口令"]
        let auth = try cli.baoxue(["authority", "init", "--dir", root + "/auth", "--json"], env: env)
        let authority = (try JSONSerialization.jsonObject(with: Data(auth.out.utf8)) as! [String: Any])["publicKey"] as! String
        for (dev, name) in [("a", "张老师"), ("b", "李校长")] {
            #expect(try cli.baoxue(["init", "--dir", root + "/" + dev]).status == 0)
            #expect(
                try cli.baoxue([
                    "enroll", "request", "--dir", root + "/" + dev, "--name", name, "--role", "school-admin",
                    "--scope", "丰南区/东镇",
                ]).status == 0)
            #expect(
                try cli.baoxue(
                    [
                        "authority", "sign", root + "/\(dev)/enroll-request.txt", "--dir", root + "/auth",
                        "--out", root + "/\(dev).cert",
                    ], env: env
                ).status == 0)
            #expect(
                try cli.baoxue(["enroll", "accept", root + "/\(dev).cert", "--dir", root + "/" + dev, "--authority", authority]).status == 0
            )
        }
        // The township office hands each device the other's certificate.
        #expect(try cli.baoxue(["admin", "publish", root + "/b.cert", "--dir", root + "/a"]).out.contains("已发布并生效"))
        #expect(try cli.baoxue(["admin", "publish", root + "/a.cert", "--dir", root + "/b"]).out.contains("已发布并生效"))
        let (server, _, port) = try CLISyncTests().serve(root + "/b")
        let synced = try cli.baoxue(["sync", "127.0.0.1:\(port)", "--dir", root + "/a"])
        server.waitUntilExit()
        #expect(synced.status == 0, "\(synced.err)")
        #expect(synced.out.contains("同步完成"), "\(synced.out)")

        // b is revoked; a learns it and from then on offers b its revocation only (so b wipes), storing nothing of b's.
        let bKey =
            (try JSONSerialization.jsonObject(with: Data(try cli.baoxue(["whoami", "--dir", root + "/b", "--json"]).out.utf8))
            as! [String: Any])["publicKey"] as! String
        #expect(
            try cli.baoxue(
                ["authority", "revoke", bKey, "--reason", "手机被盗", "--dir", root + "/auth", "--out", root + "/rev.txt"], env: env
            ).status == 0)
        #expect(try cli.baoxue(["admin", "publish", root + "/rev.txt", "--dir", root + "/a"]).status == 0)
        let (server2, _, port2) = try CLISyncTests().serve(root + "/a")
        let before = try cli.baoxue(["whoami", "--dir", root + "/a", "--json"]).out
        let refused = try cli.baoxue(["sync", "127.0.0.1:\(port2)", "--dir", root + "/b", "--lang", "en"])
        server2.waitUntilExit()
        #expect(refused.status == 0, "\(refused.err)")
        #expect(refused.out.contains("received 1 change"), "\(refused.out)")
        #expect(refused.out.contains("this device was revoked by the bureau"), "\(refused.out)")
        #expect(try cli.baoxue(["whoami", "--dir", root + "/a", "--json"]).out == before, "a stored something of the revoked b")
    }
}

extension CLIEnrollmentTests {
    /// Rulings: only a district admin's device signs one; a bad id is a usage error; nothing is written otherwise.
    @Test func onlyADistrictAdminRulesAndBadInputChangesNothing() throws {
        let town = Township(root: Fixtures.temporaryDirectory())
        let teacher = try town.makeDevice(0, schools: 1)
        let visit = try Township.writeVisits(teacher, scope: Township.school(0), count: 1, tag: "x")[0]
        let admin = try town.enroll(town.root + "/admin", name: "区管理员", role: .districtAdmin, scopes: [try ScopeID("丰南区")])
        _ = try admin.log.append(encoded: try teacher.log.encodedChanges([visit]))
        let before = try teacher.log.count(nil)
        let refused = try cli.baoxue(["admin", "uphold", visit.hex, "--dir", town.deviceDirectory(0), "--lang", "en"])
        #expect(refused.status == 1 && refused.err.contains("may not"), "\(refused.err)")
        #expect(try cli.baoxue(["admin", "accept", "xyz", "--dir", town.root + "/admin"]).status == 2)
        let missing = String(repeating: "ab", count: 32)
        #expect(try cli.baoxue(["admin", "accept", missing, "--dir", town.root + "/admin"]).status == 1)
        #expect(try teacher.log.count(nil) == before)
        // The district admin's ruling is signed and applies (here on a change that needed none: harmless).
        let ruled = try cli.baoxue(["admin", "accept", visit.hex, "--dir", town.root + "/admin", "--lang", "en"])
        #expect(ruled.status == 0 && ruled.out.contains("in effect"), "\(ruled.err)")
    }
}
