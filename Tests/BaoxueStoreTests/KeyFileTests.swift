import BaoxueCore
import BaoxueStore
import BaoxueTesting
import Foundation
import Testing

@Suite struct KeyFileTests {
    @Test func createsMode0600AndLoadsTheSameKey() throws {
        let path = Fixtures.temporaryDirectory() + "/device.key"
        let key = Fixtures.key(7)
        try KeyFile.create(at: path, key: key)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
        #expect(mode == 0o600)
        #expect(try KeyFile.load(at: path).publicKey == key.publicKey)
        #expect(throws: StoreError.keyFileExists(path: path)) { try KeyFile.create(at: path, key: key) }
    }

    @Test func refusesAKeyOthersCanRead() throws {
        let path = Fixtures.temporaryDirectory() + "/device.key"
        try KeyFile.create(at: path, key: Fixtures.key(7))
        chmod(path, 0o644)
        #expect(throws: StoreError.keyFileTooOpen(path: path, mode: "644")) { try KeyFile.load(at: path) }
        chmod(path, 0o660)
        #expect(throws: StoreError.keyFileTooOpen(path: path, mode: "660")) { try KeyFile.load(at: path) }
    }

    @Test func refusesMalformedAndMissingFiles() throws {
        let dir = Fixtures.temporaryDirectory()
        #expect(throws: StoreError.keyFileMissing(path: dir + "/none")) { try KeyFile.load(at: dir + "/none") }
        let path = dir + "/bad.key"
        FileManager.default.createFile(
            atPath: path, contents: Data("baoxue-device-key-v1\nzz\n".utf8), attributes: [.posixPermissions: 0o600])
        #expect(throws: StoreError.keyFileMalformed(path: path)) { try KeyFile.load(at: path) }
    }

    @Test func replicaCreateOpenAndRefuseTwice() throws {
        let dir = Fixtures.temporaryDirectory() + "/replica"
        let r = try Replica.create(at: dir)
        let c = try r.write(scope: try ScopeID("school-001"), payload: Array("家访".utf8))
        let reopened = try Replica.open(at: dir)
        #expect(reopened.key.publicKey == r.key.publicKey)
        #expect(try reopened.log.heads() == [c.id])
        #expect(throws: StoreError.replicaExists(path: dir)) { try Replica.create(at: dir) }
        #expect(throws: StoreError.replicaMissing(path: dir + "-none")) { try Replica.open(at: dir + "-none") }
    }
}
