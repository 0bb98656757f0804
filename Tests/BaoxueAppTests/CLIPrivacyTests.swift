import BaoxueApp
import BaoxueTesting
import Foundation
import Testing

/// `baoxue keys`, `lock`, `unlock`, `wipe` as a user types them, on the township demo's replicas.
@Suite struct CLIPrivacyTests {
    let cli = CLITests()

    @Test func keysLockUnlockAndWipeFromTheCommandLine() throws {
        let demo = Fixtures.temporaryDirectory() + "/demo"
        #expect(try cli.baoxue(["demo", "--township", "--children", "20", "--dir", demo]).status == 0)
        let teacher = demo + "/teacher-a"
        let keys = try cli.baoxue(["keys", "--dir", teacher])
        #expect(keys.status == 0 && keys.out.contains("已加密，本机持有第 1 代密钥"), "\(keys.out) \(keys.err)")
        // `baoxue log` marks sealed changes and still names what they do on a member's device.
        let log = try cli.baoxue(["log", "--dir", teacher])
        #expect(log.status == 0 && log.out.contains("[加密] default child.name"), "\(log.out.suffix(400))")
        // A teacher may not hand out keys: refused before anything is written.
        let grant = try cli.baoxue(["keys", "grant", "--scope", "丰南区/东镇/示例第1中学", "--dir", teacher])
        #expect(grant.status == 1 && grant.err.contains("教师"), "\(grant.err)")
        // Teacher B leaves the school: the school admin records it by fingerprint and the key rotates at once;
        // a teacher may not do it, and an unknown device is refused naming what was typed.
        let whoami = try cli.baoxue(["whoami", "--dir", demo + "/teacher-b", "--json"])
        let fingerprint = try #require(
            (try JSONSerialization.jsonObject(with: Data(whoami.out.utf8)) as? [String: Any])?["fingerprint"] as? String)
        let scope = "丰南区/东镇/示例第1中学"
        let byTeacher = try cli.baoxue(["keys", "leave", fingerprint, "--scope", scope, "--dir", teacher])
        #expect(byTeacher.status == 1 && byTeacher.err.contains("教师"), "\(byTeacher.err)")
        let unknown = try cli.baoxue(["keys", "leave", "ZZZZ-0000", "--scope", scope, "--dir", demo + "/school-admin"])
        #expect(unknown.status != 0 && unknown.err.contains("ZZZZ-0000"), "\(unknown.err)")
        let leave = try cli.baoxue(["keys", "leave", fingerprint, "--scope", scope, "--dir", demo + "/school-admin"])
        #expect(leave.status == 0 && leave.out.contains("本机持有第 2 代密钥"), "\(leave.out) \(leave.err)")

        // The school's key is in the 0600 keys file beside the database, and nowhere in the database or its WAL.
        let keysFile = teacher + "/replica.keys"
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: keysFile)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let keyLine = try #require(
            try String(contentsOfFile: keysFile, encoding: .utf8).split(separator: "\n").first { $0.hasPrefix("scope ") })
        let keyHex = String(keyLine.split(separator: " ")[3])
        let keyBytes = Data(
            stride(from: 0, to: keyHex.count, by: 2).map {
                UInt8(keyHex[keyHex.index(keyHex.startIndex, offsetBy: $0)...].prefix(2), radix: 16)!
            })
        #expect(keyBytes.count == 32)
        for file in ["replica.sqlite", "replica.sqlite-wal"] {
            let bytes = FileManager.default.contents(atPath: teacher + "/" + file) ?? Data()
            #expect(bytes.range(of: keyBytes) == nil, "\(file) holds the school key")
        }
        let short = try cli.baoxue(["lock", "--dir", teacher], env: ["LANG": "C.UTF-8", "BAOXUE_UNLOCK": "1234567"])
        #expect(short.status == 1 && short.err.contains("只有 7 个字符，至少要 8 个"), "not 'empty': \(short.err)")
        let trivial = try cli.baoxue(["lock", "--dir", teacher], env: ["LANG": "C.UTF-8", "BAOXUE_UNLOCK": "11111111"])
        #expect(trivial.status == 1 && trivial.err.contains("太容易被猜到"), "\(trivial.err)")
        #expect(try cli.baoxue(["whoami", "--dir", teacher]).status == 0, "a refused lock changes nothing")
        let secret = "长城永不倒-2026"
        let lock = try cli.baoxue(["lock", "--dir", teacher], env: ["LANG": "C.UTF-8", "BAOXUE_UNLOCK": secret])
        #expect(lock.status == 0 && lock.out.contains("已锁定"), "\(lock.err)")
        #expect(!FileManager.default.fileExists(atPath: keysFile), "lock shreds the keys file")
        let locked = try cli.baoxue(["child", "list", "--dir", teacher])
        #expect(locked.status == 1 && locked.err.contains("baoxue unlock"), "\(locked.err)")
        let wrong = try cli.baoxue(["unlock", "--dir", teacher], env: ["LANG": "C.UTF-8", "BAOXUE_UNLOCK": "not-the-passphrase"])
        #expect(wrong.status == 1 && wrong.err.contains("无法解锁本设备") && !wrong.err.contains("授权"), "\(wrong.err)")
        let unlock = try cli.baoxue(["unlock", "--dir", teacher], env: ["LANG": "C.UTF-8", "BAOXUE_UNLOCK": secret])
        #expect(unlock.status == 0 && unlock.out.contains("已解锁"), "\(unlock.err)")
        let list = try cli.baoxue(["child", "list", "--dir", teacher, "--json"])
        #expect(list.status == 0 && list.out.contains("\"name\""), "\(list.err)")
        #expect(FileManager.default.fileExists(atPath: keysFile), "unlock writes it back")

        #expect(try cli.baoxue(["wipe", "--dir", teacher]).status == 2, "wipe without --confirm is a usage error")
        #expect(FileManager.default.fileExists(atPath: teacher + "/replica.sqlite"))
        #expect(try cli.baoxue(["wipe", "--dir", teacher, "--confirm", teacher]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: teacher))
    }

    /// In an encrypted school a visit's photo travels sealed in the log (privacy.md §3.6): no clear copy is
    /// kept, `child show` lists it as here, and `attachment export` writes the same bytes, 0600, never over a file.
    @Test func anAttachmentTravelsSealedAndExportsAsTheSameFile() throws {
        let demo = Fixtures.temporaryDirectory() + "/demo"
        #expect(try cli.baoxue(["demo", "--township", "--children", "20", "--dir", demo]).status == 0)
        let teacher = demo + "/teacher-a"
        let list = try cli.baoxue(["child", "list", "--dir", teacher, "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]])
        let child = try #require(rows.first?["child"] as? String)
        let photo = Fixtures.temporaryDirectory() + "/家访照片.jpg"
        let content = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) })
        FileManager.default.createFile(atPath: photo, contents: content)
        let visit = try cli.baoxue([
            "record", "visit", child, "--with", "王老师", "--spoke-to", "母亲", "--attach", photo, "--json", "--dir", teacher,
        ])
        #expect(visit.status == 0, "\(visit.err)")
        let hash = try #require(
            (try JSONSerialization.jsonObject(with: Data(visit.out.utf8)) as? [String: Any])?["attachments"] as? [String]
        ).first!
        #expect(!FileManager.default.fileExists(atPath: teacher + "/attachments"), "no clear copy on the device")
        let show = try cli.baoxue(["child", "show", child, "--dir", teacher])
        #expect(show.out.contains("\(hash.prefix(16))… 已在本机（2 段）"), "\(show.out)")
        let out = Fixtures.temporaryDirectory() + "/exported.jpg"
        let export = try cli.baoxue(["attachment", "export", String(hash.prefix(12)), "--out", out, "--dir", teacher])
        #expect(export.status == 0 && export.out.contains("已导出附件"), "\(export.err)")
        #expect(FileManager.default.contents(atPath: out) == content)
        #expect(try CLIRecordTests.mode(out) == 0o600)
        let again = try cli.baoxue(["attachment", "export", String(hash.prefix(12)), "--out", out, "--dir", teacher])
        #expect(again.status == 1, "never over an existing file")
        let unknown = try cli.baoxue(["attachment", "export", "0123456789", "--dir", teacher])
        #expect(unknown.status != 0 && unknown.err.contains("0123456789"), "\(unknown.err)")
    }

    /// `baoxue child transfer` (转学): refused to a teacher and for a malformed id; on the township demo's
    /// second school, the teacher reads the one transferred child, and once locked its folder holds
    /// neither that child's name nor the key to it.
    @Test func aTransferredChildIsReadAtTheNewSchoolAndLockedAway() throws {
        let demo = Fixtures.temporaryDirectory() + "/demo"
        #expect(try cli.baoxue(["demo", "--township", "--children", "20", "--dir", demo]).status == 0)
        let teacherC = demo + "/teacher-c"
        let second = "丰南区/东镇/东镇第二小学"
        let list = try cli.baoxue(["child", "list", "--dir", teacherC, "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]], "\(list.out) \(list.err)")
        #expect(rows.count == 1 && rows.first?["status"] as? String == "transferredIn")
        let name = try #require(rows.first?["name"] as? String)
        let child = try #require(rows.first?["child"] as? String)
        let keys = try cli.baoxue(["keys", "--dir", teacherC])
        #expect(keys.out.contains("本机持有 1 把儿童密钥"), "\(keys.out)")

        let byTeacher = try cli.baoxue(["child", "transfer", child, "--to", second, "--reason", "随父母迁居", "--dir", demo + "/teacher-a"])
        #expect(byTeacher.status == 1 && byTeacher.err.contains("教师"), "\(byTeacher.err)")
        let badID = try cli.baoxue(["child", "transfer", "12ab", "--to", second, "--reason", "随父母迁居", "--dir", demo + "/district-admin"])
        #expect(badID.status == 1 && badID.err.contains("找不到“12ab”"), "\(badID.err)")

        let secret = "长城永不倒-2026"
        #expect(try cli.baoxue(["lock", "--dir", teacherC], env: ["LANG": "C.UTF-8", "BAOXUE_UNLOCK": secret]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: teacherC).flatMap {
            Array(FileManager.default.contents(atPath: teacherC + "/" + $0) ?? Data())
        }
        #expect(Data(files).range(of: Data(name.utf8)) == nil, "the locked folder holds the transferred child's name")
        #expect(try cli.baoxue(["unlock", "--dir", teacherC], env: ["LANG": "C.UTF-8", "BAOXUE_UNLOCK": secret]).status == 0)
        let again = try cli.baoxue(["child", "list", "--dir", teacherC])
        #expect(again.status == 0 && again.out.contains(name), "\(again.out) \(again.err)")
    }
}
