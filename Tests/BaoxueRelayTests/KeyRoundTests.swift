import BaoxueApp
import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// The school admin's key round (privacy.md §2(c)), with a real relay process and the
/// `baoxue sync` command: a member enrolled later gets the key on the admin's next sync,
/// and a revocation that reaches the admin's device by sync rotates the key at once.
@Suite struct KeyRoundTests {
    func baoxue(_ args: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = Fixtures.productsDirectory.appendingPathComponent("baoxue")
        p.arguments = args
        p.environment = ["LANG": "C.UTF-8"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func newcomersGetTheKeyAndARevocationRotatesItOnTheAdminsNextSync() async throws {
        let town = Township(root: Fixtures.temporaryDirectory("key-round"))
        let school = Township.school(0)
        _ = try town.makeRelay()
        let admin = try town.enroll(town.root + "/admin", name: "校管理员", role: .schoolAdmin, scopes: [school])
        let a = try town.makeDevice(0, schools: 1, keyed: false)
        let relay = try RelayProcess(directory: town.relayDirectory)
        func sync(_ r: Replica) async throws {
            let result = await DeviceSync.run(r, port: relay.port, scopes: [school])
            #expect((try? result.get()) != nil, "sync of \(r.directory): \(result)")
        }
        func adminSync() throws -> String {
            let run = try baoxue(["sync", "127.0.0.1:\(relay.port)", "--scope", school.value, "--dir", admin.directory])
            #expect(run.status == 0, "\(run.out)")
            return run.out
        }
        try await sync(a)
        _ = try adminSync()
        _ = try PrivacyCommands.grant(directory: admin.directory, scope: school.value, rotate: false)
        let quiet = try adminSync()
        #expect(!quiet.contains("密钥"), "nothing to do: \(quiet)")
        try await sync(a)
        #expect(try a.log.keyStatus(now: Replica.nowMilliseconds()).first?.heldEpoch == 1)

        // A teacher enrolled later publishes its certificate; the admin's next sync seals the key to it.
        let late = try town.makeDevice(1, schools: 1, keyed: false)
        try await sync(late)
        let round = try adminSync()
        #expect(round.contains("已把密钥发给 1 名新成员"), "\(round)")
        try await sync(late)
        #expect(try late.log.keyStatus(now: Replica.nowMilliseconds()).first?.heldEpoch == 1)
        _ = try late.write(
            scope: school,
            payload: try RecordPayload(ops: [.set(kind: .child, record: .derived("k"), field: "name", value: .text("孙小雨"), pred: [])])
                .encoded())

        // The bureau's revocation of the late device reaches the admin through teacher A and the relay.
        let revocation = try Revocation.issue(
            by: town.authority, subject: late.key.publicKey, revokedAt: Replica.nowMilliseconds(), reason: "手机丢失")
        _ = try a.write(scope: .admin, payload: AdminPayload.revocation(revocation).encoded)
        try await sync(a)
        let rotated = try adminSync()
        #expect(rotated.contains("已换用新一代密钥"), "\(rotated)")
        let status = try #require(try admin.log.keyStatus(now: Replica.nowMilliseconds()).first { $0.scope == school })
        #expect(status.heldEpoch == 2 && status.revokedRecipients.isEmpty)
        try await sync(a)
        #expect(try a.log.keyStatus(now: Replica.nowMilliseconds()).first { $0.scope == school }?.heldEpoch == 2)
        #expect(!(try adminSync()).contains("密钥"), "the round is done: nothing more to grant")
        #expect(relay.terminate() == 0)
    }
}
