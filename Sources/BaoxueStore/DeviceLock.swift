import BaoxueCore
import BaoxuePrivacy
import BaoxueSodium
import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// A replica at rest without its user (privacy.md §4): `lock` seals the device
/// key and the scope keys under the user's passphrase (Argon2id, `PasswordBox`)
/// and drops the record views; `unlock` opens them and re-derives the views
/// from the log. `wipe` destroys the keys and the folder.
///
/// Invariant: a locked folder holds `device.locked` and no `device.key`; its
/// database holds no scope key and no view row, so the only record data left
/// is the change log's sealed payloads. Why drop the views rather than encrypt
/// their columns: they are derived and rebuilt in seconds for a school, and
/// every query and index stays plain SQL while the device is in use.
public enum DeviceLock {
    public static let lockedFileName = "device.locked"
    static let header = "baoxue-locked-v1"
    /// Shorter passphrases fall to offline guessing in days even at 256 MiB per guess (privacy.md §4).
    public static let minimumPassphraseLength = PassphraseRule.minimumLength

    public static func isLocked(_ directory: String) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/" + lockedFileName)
            && !FileManager.default.fileExists(atPath: directory + "/" + Replica.keyFileName)
    }

    /// Seals the keys, drops the views and the scope keys from the database (zeroing freed pages), removes the key file.
    /// Returns how many record changes in the log are in clear (written before their scope was encrypted).
    @discardableResult
    public static func lock(_ directory: String, passphrase: String, cost: PasswordBox.Cost = .moderate) throws(StoreError) -> Int {
        try PassphraseRule.check(passphrase)
        let replica = try Replica.open(at: directory, views: false)
        let (keys, clear) = try replica.log.sealScopeKeys()
        var secret: [UInt8]
        let scopeKeys = keys.filter { !$0.content }
        let contentKeys = keys.filter(\.content)
        secret = replica.key.seed + [UInt8(scopeKeys.count >> 8), UInt8(scopeKeys.count & 0xff)]
        for k in scopeKeys {
            let scope = Array(k.scope.utf8)
            secret +=
                [UInt8(scope.count)] + scope + k.key + [
                    UInt8(k.epoch >> 24), UInt8((k.epoch >> 16) & 0xff), UInt8((k.epoch >> 8) & 0xff), UInt8(k.epoch & 0xff),
                ]
        }
        // Then the content keys transfers gave this device (absent from files of before transfers),
        // then the registry key (records.md §1.10): 01 district or 02 local, and its 32 bytes.
        let registry = try replica.log.registryKey()
        if !contentKeys.isEmpty || registry != nil {
            secret += [UInt8(contentKeys.count >> 8), UInt8(contentKeys.count & 0xff)]
            for k in contentKeys {
                let scope = Array(k.scope.utf8)
                secret += [UInt8(scope.count)] + scope + k.key
            }
        }
        if let registry { secret += [registry.source == .district ? 1 : 2] + registry.key.bytes }
        let text: String
        do { text = try PassphraseSealedFile.seal(secret, passphrase: passphrase, header: header, cost: cost) } catch {
            throw .io(path: directory, errno: ENOMEM)
        }
        SecretBytes.zero(&secret)
        let lockedPath = directory + "/" + lockedFileName
        try? FileManager.default.removeItem(atPath: lockedPath)
        try KeyFile.writeNew(Array(text.utf8), at: lockedPath)
        // Only once the sealed copy is durable do the clear copies go: the evidence files, then the keys.
        try LockedAttachments.seal(in: directory, seed: replica.key.seed)
        try replica.log.dropSecrets()
        try shred(directory + "/" + Replica.keyFileName)
        return clear
    }

    /// Opens the sealed keys with `passphrase`, restores the key file and the scope keys, re-derives the views.
    public static func unlock(
        _ directory: String, passphrase: String, progress: @escaping (Int, Int) -> Void = { _, _ in }
    ) throws(StoreError) -> Replica {
        let lockedPath = directory + "/" + lockedFileName
        guard let parsed = PassphraseSealedFile.parse(try KeyFile.readPrivate(at: lockedPath, limit: 1 << 20), header: header) else {
            throw .keyFileMalformed(path: lockedPath)
        }
        guard let secret = PassphraseSealedFile.open(parsed, passphrase: passphrase) else { throw .wrongUnlockPassphrase(path: lockedPath) }
        guard let (seed, keys, registry) = parse(secret), let device = try? DeviceKey(seed: seed) else {
            throw .keyFileMalformed(path: lockedPath)
        }
        let keyPath = directory + "/" + Replica.keyFileName
        if !FileManager.default.fileExists(atPath: keyPath) { try KeyFile.create(at: keyPath, key: device) }
        let replica = try Replica.open(at: directory, views: true)
        try replica.log.restoreScopeKeys(keys)
        if let registry { try replica.log.keepRegistryKey(registry.key, source: registry.source) }
        try LockedAttachments.open(in: directory, seed: seed)
        try replica.log.rebuildViews(progress: progress)
        try shred(lockedPath)
        return replica
    }

    /// Overwrites the key files, then every other file of the folder (the database, its WAL and
    /// shared memory, the attachments, sealed or not) with random bytes, then deletes the folder.
    /// What the file system keeps of earlier blocks is beyond this: a phone needs the operating
    /// system's file-based encryption for that (privacy.md §5).
    public static func wipe(_ directory: String) throws(StoreError) {
        for name in [Replica.keyFileName, lockedFileName] { try shred(directory + "/" + name) }
        if let walk = FileManager.default.enumerator(atPath: directory) {
            var files: [String] = []
            while let relative = walk.nextObject() as? String {
                var isFolder: ObjCBool = false
                let path = directory + "/" + relative
                if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue { files.append(path) }
            }
            for path in files { try shred(path) }
        }
        do { try FileManager.default.removeItem(atPath: directory) } catch { throw .io(path: directory, errno: EIO) }
    }

    /// Overwrites a file with random bytes, fsyncs, unlinks; nothing when absent.
    static func shred(_ path: String) throws(StoreError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return }
            throw .io(path: path, errno: errno)
        }
        var info = stat()
        fstat(fd, &info)
        let noise = Sodium.randomBytes(max(1, Int(info.st_size)))
        _ = noise.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        guard unlink(path) == 0 else { throw .io(path: path, errno: errno) }
    }

    private static func parse(_ secret: [UInt8]) -> ([UInt8], [SealedScopeKey], (key: RegistryKey, source: RegistryKeySource)?)? {
        guard secret.count >= 34 else { return nil }
        let seed = Array(secret[0..<32])
        let count = Int(secret[32]) << 8 | Int(secret[33])
        var at = 34
        var keys: [SealedScopeKey] = []
        for _ in 0..<count {
            guard at < secret.count else { return nil }
            let n = Int(secret[at])
            at += 1
            guard at + n + 36 <= secret.count, let scope = String(validating: secret[at..<(at + n)], as: UTF8.self) else { return nil }
            at += n
            let key = Array(secret[at..<(at + 32)])
            at += 32
            let epoch = secret[at..<(at + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            at += 4
            keys.append(SealedScopeKey(scope: scope, key: key, epoch: epoch))
        }
        if at + 2 <= secret.count {
            let contents = Int(secret[at]) << 8 | Int(secret[at + 1])
            at += 2
            for _ in 0..<contents {
                guard at < secret.count else { return nil }
                let n = Int(secret[at])
                at += 1
                guard at + n + 32 <= secret.count, let scope = String(validating: secret[at..<(at + n)], as: UTF8.self) else { return nil }
                at += n
                keys.append(SealedScopeKey(scope: scope, key: Array(secret[at..<(at + 32)]), epoch: 0, content: true))
                at += 32
            }
        }
        var registry: (key: RegistryKey, source: RegistryKeySource)?
        if at + 33 == secret.count, [1, 2].contains(secret[at]), let key = try? RegistryKey(bytes: Array(secret[(at + 1)...])) {
            registry = (key, secret[at] == 1 ? .district : .local)
            at += 33
        }
        return at == secret.count ? (seed, keys, registry) : nil
    }
}

/// A scope key as the lock file carries it.
struct SealedScopeKey: Equatable {
    let scope: String
    let key: [UInt8]
    let epoch: UInt32
    /// A transferred child's content key (from a child grant) rather than a scope key.
    var content = false
}

extension ChangeLog {
    /// The scope keys held, and how many record changes are stored in clear.
    func sealScopeKeys() throws(StoreError) -> ([SealedScopeKey], Int) {
        try storeCall {
            try readDB { db in
                try secrets.refresh()
                let keys = secrets.sealable
                var clear = 0
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT scope, bytes FROM change WHERE scope <> ?", arguments: [ScopeID.admin.value])
                while let row = try rows.next() {
                    guard let change = try? Change.decodeVerified(Array(row[1] as Data)) else { continue }
                    if !change.isWitnessReceipt, !SealedPayload.isSealed(change.payload), !MemberGrant.isGrant(change.payload) {
                        clear += 1
                    }
                }
                return (keys, clear)
            }
        }
    }

    /// Shreds the keys file, deletes every view row with freed pages zeroed, then compacts the
    /// database and empties the WAL, so no copy of the folder holds them.
    func dropSecrets() throws(StoreError) {
        try secrets.dropAll()
        try storeCall {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA secure_delete = ON")
                try db.inTransaction {
                    try db.execute(sql: "DELETE FROM carried_change")
                    try db.execute(sql: "DELETE FROM attachment_part")
                    try db.execute(sql: "DELETE FROM sealed_wait")
                    for table in RecordViewSchema.tables { try db.execute(sql: "DELETE FROM \(table.name)") }
                    try db.execute(sql: "UPDATE view_state SET lagging = 1")
                    return .commit
                }
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
    }

    func restoreScopeKeys(_ keys: [SealedScopeKey]) throws(StoreError) {
        for k in keys {
            guard let scope = try? ScopeID(k.scope) else { continue }
            if k.content {
                try secrets.add(ContentKey(bytes: k.key), scope: scope)
            } else if let key = try? ScopeKey(scope: scope, bytes: k.key) {
                try secrets.add(key, epoch: Int64(k.epoch))
            }
        }
    }
}
