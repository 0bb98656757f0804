import BaoxueCore
import BaoxueSodium
import Foundation

/// A locked device's attachments (evidence photos, signed statements under `attachments/`): `lock`
/// seals each file in place and `unlock` opens it again, so a lost, locked phone shows no evidence.
///
/// Each file `<hash>` becomes `<hash>.sealed` = 24-byte nonce ‖ XChaCha20-Poly1305 of the bytes,
/// with the file name as associated data, under a key derived from the device seed (BLAKE2b keyed
/// by the seed over "baoxue/attachments-at-rest/v1"): the seed is in the lock's sealed secret, so
/// the passphrase opens the attachments too, and the lock file's format does not change. The clear
/// file is overwritten before it is removed. Invariant: after `seal`, no clear attachment remains;
/// after `open`, every sealed one is back in clear and its content hash checked.
enum LockedAttachments {
    static let folderName = "attachments"
    static let suffix = ".sealed"

    static func key(seed: [UInt8]) -> [UInt8] { Blake2b.hash(Array("baoxue/attachments-at-rest/v1".utf8), length: 32, key: seed) }

    /// Seals every clear attachment of `directory`; returns how many.
    @discardableResult
    static func seal(in directory: String, seed: [UInt8]) throws(StoreError) -> Int {
        let folder = directory + "/" + folderName
        var key = Self.key(seed: seed)
        defer { SecretBytes.zero(&key) }
        var count = 0
        for name in files(folder) where !name.hasSuffix(suffix) && !name.hasSuffix(".partial") {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { throw .io(path: path, errno: EIO) }
            let nonce = Sodium.randomBytes(24)
            guard let box = try? XChaChaPoly.seal(key: key, nonce: nonce, ad: Array(name.utf8), plaintext: Array(data)) else {
                throw .io(path: path, errno: EIO)
            }
            try write(nonce + box, to: path + suffix)
            try DeviceLock.shred(path)
            count += 1
        }
        return count
    }

    /// Opens every sealed attachment of `directory` back into clear; returns how many.
    @discardableResult
    static func open(in directory: String, seed: [UInt8]) throws(StoreError) -> Int {
        let folder = directory + "/" + folderName
        var key = Self.key(seed: seed)
        defer { SecretBytes.zero(&key) }
        var count = 0
        for sealed in files(folder) where sealed.hasSuffix(suffix) {
            let name = String(sealed.dropLast(suffix.count)), path = folder + "/" + sealed
            guard let data = FileManager.default.contents(atPath: path), data.count > 24,
                let clear = XChaChaPoly.open(key: key, nonce: Array(data.prefix(24)), ad: Array(name.utf8), ciphertext: Array(data)[24...]),
                Hex.encode(Blake2b.hash(clear, length: 32)) == name
            else { throw .keyFileMalformed(path: path) }
            try write(clear, to: folder + "/" + name)
            guard unlink(path) == 0 else { throw .io(path: path, errno: errno) }
            count += 1
        }
        return count
    }

    private static func files(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// Writes `bytes` as a new 0600 file, durably, under a temporary name then renamed.
    private static func write(_ bytes: [UInt8], to path: String) throws(StoreError) {
        let partial = path + ".partial"
        let fd = Foundation.open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .io(path: partial, errno: errno) }
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(partial, path) == 0 else { throw .io(path: path, errno: errno) }
    }
}
