import BaoxueApp
import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueSynthetic
import BaoxueTesting
import BaoxueTrust
import Foundation
import Testing

/// Issue 9 with real processes: a synthetic school syncs through a `baoxue relay serve`
/// process behind a capturing proxy; neither the relay's files nor the traffic hold any
/// child's name, ID number or phone. Then a device is revoked, the admin's device rotates
/// the key, new records are written, and the revoked device — given a copy of the relay's
/// whole database — cannot read them (and, applying its own revocation, forgets
/// what it could read before). Last, a locked device's folder holds none of it.
@Suite struct EncryptedTownshipTests {
    static func files(under directory: String) -> [UInt8] {
        let names = (try? FileManager.default.subpathsOfDirectory(atPath: directory)) ?? []
        return names.flatMap { Array(FileManager.default.contents(atPath: directory + "/" + $0) ?? Data()) }
    }

    static func hits(_ secrets: [String], in bytes: [UInt8]) -> [String] {
        let haystack = Data(bytes)
        return secrets.filter { haystack.range(of: Data($0.utf8)) != nil }
    }

    @Test func theRelayAndItsTrafficHoldNoChildDataAndARevokedDeviceReadsNothingNew() async throws {
        let town = Township(root: Fixtures.temporaryDirectory("e2e-town"))
        let school = Township.school(0)
        _ = try town.makeRelay()
        let admin = try town.enroll(town.root + "/admin", name: "校管理员", role: .schoolAdmin, scopes: [school])
        let a = try town.makeDevice(0, schools: 1, keyed: false)
        let b = try town.makeDevice(1, schools: 1, keyed: false)
        let lost = try town.makeDevice(2, schools: 1, keyed: false)
        // The admin learns every member's certificate (each device's first change, carried by any sync).
        for d in [a, b, lost] { _ = try admin.log.append(encoded: try d.log.entries(after: 0, limit: 10).map(\.change.encoded)) }
        let granted = try PrivacyCommands.grant(directory: admin.directory, scope: school.value, rotate: false)
        #expect(granted.heldEpoch == 1 && granted.lacking.isEmpty)

        let relay = try RelayProcess(directory: town.relayDirectory)
        let proxy = CapturingProxy(to: relay.port)
        func sync(_ r: Replica) async throws {
            let result = await DeviceSync.run(r, port: proxy.port, scopes: [school])
            #expect((try? result.get()) != nil, "sync of \(r.directory): \(result)")
        }
        try await sync(admin)
        try await sync(a)

        // Teacher A writes the school's roster: 120 children, one change each.
        let district = SyntheticDistrict(seed: 2026, children: 120, schools: 1)
        let today = try SimpleDate(unixMilliseconds: Replica.nowMilliseconds())
        var secrets: [String] = []
        for i in 0..<120 {
            let ops = district.childOps(i, today: today)
            for case .set(_, _, let field, .text(let t), _) in ops
            where ["name", "idNumber", "guardianPhone", "guardianName"].contains(field) {
                secrets.append(t)
            }
            _ = try a.write(scope: school, payload: try RecordPayload(ops: ops).encoded())
        }
        #expect(secrets.count >= 360)
        try await sync(a)
        try await sync(b)
        try await sync(lost)
        #expect(try b.log.children().count == 120)
        #expect(try lost.log.children().count == 120)

        // Revocation: the bureau revokes the lost phone; the admin's device publishes it and rotates.
        let revocation = try Revocation.issue(
            by: town.authority, subject: lost.key.publicKey, revokedAt: Replica.nowMilliseconds(), reason: "手机丢失")
        _ = try admin.write(scope: .admin, payload: AdminPayload.revocation(revocation).encoded)
        #expect(try PrivacyCommands.rotateAfterRevocations(directory: admin.directory) == [school.value])
        try await sync(admin)
        try await sync(a)
        var later: [String] = []
        let newcomers = SyntheticDistrict(seed: 77, children: 20, schools: 1)
        for i in 0..<20 {
            let ops = newcomers.childOps(i, today: today)
            for case .set(_, _, "name", .text(let t), _) in ops { later.append(t) }
            _ = try a.write(scope: school, payload: try RecordPayload(ops: ops).encoded())
        }
        try await sync(a)
        try await sync(b)
        #expect(try b.log.children().count == 140)
        #expect(relay.terminate() == 0)
        proxy.stop()

        let relayFiles = Self.files(under: town.relayDirectory)
        #expect(relayFiles.count > 100_000)
        #expect(Self.hits(secrets + later, in: relayFiles).isEmpty, "on the relay's disk")
        #expect(proxy.bytes.count > 50_000)
        #expect(Self.hits(secrets + later, in: proxy.bytes).isEmpty, "in the traffic")

        // The lost phone gets a copy of the relay's whole database and still reads nothing written after the rotation.
        let copy = try ChangeLog(path: town.relayDirectory + "/" + Replica.databaseFileName, options: .init(merge: nil))
        _ = try lost.log.append(encoded: try copy.entries(after: 0, limit: 100_000).map(\.change.encoded))
        // Its own revocation is in the copy: a remote wipe drops the keys and the views it had.
        #expect(try lost.log.children().isEmpty)
        #expect(try lost.log.keyStatus(now: Replica.nowMilliseconds()).first { $0.scope == school }?.unreadable == 140)
        #expect(Self.hits(later, in: Self.files(under: lost.directory)).isEmpty)

        // At rest: teacher B locks; a copy of its folder holds no name, ID number or phone; unlocking restores the views.
        let bDirectory = b.directory
        #expect(Self.hits(secrets, in: Self.files(under: bDirectory)).count > 0)  // unlocked, the views are plain
        #expect(try PrivacyCommands.lock(directory: bDirectory, passphrase: "长城永不倒-2026").clearChanges == 0)
        #expect(Self.hits(secrets + later, in: Self.files(under: bDirectory)).isEmpty, "in the locked folder")
        #expect(throws: AppError.store(.locked(path: bDirectory))) { try ReplicaCommands.whoami(directory: bDirectory) }
        #expect(throws: AppError.store(.wrongUnlockPassphrase(path: bDirectory + "/device.locked"))) {
            _ = try PrivacyCommands.unlock(directory: bDirectory, passphrase: "wrong-passphrase", progress: { _, _ in })
        }
        let unlocked = try PrivacyCommands.unlock(directory: bDirectory, passphrase: "长城永不倒-2026", progress: { _, _ in })
        #expect(unlocked.publicKey == b.key.publicKey.hex)
        #expect(try Replica.open(at: bDirectory).log.children().count == 140)
    }
}
