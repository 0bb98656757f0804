import BaoxueCore
import BaoxueRecords
import BaoxueTrust
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A replica folder on a device: its key file and its change log.
///
/// Layout: `DIR/device.key` (mode 0600) and `DIR/replica.sqlite` (+ WAL
/// files). The folder is created mode 0700, since it holds data about minors.
public struct Replica: Sendable {
    public static let keyFileName = "device.key"
    public static let databaseFileName = "replica.sqlite"

    public let directory: String
    public let key: DeviceKey
    public let log: ChangeLog

    /// Creates a new replica with a fresh key in `directory` (created if absent).
    public static func create(at directory: String, key: DeviceKey = .generate()) throws(StoreError) -> Replica {
        // Not NSString.deletingLastPathComponent: Foundation on Linux traps on a one-letter path ("a").
        let parent = directory.lastIndex(of: "/").map { String(directory[..<$0]) } ?? ""
        if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            if (try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)) == nil {
                throw .io(path: parent, errno: EACCES)
            }
        }
        if mkdir(directory, 0o700) != 0 && errno != EEXIST { throw .io(path: directory, errno: errno) }
        // An existing folder (made by hand, mode 0755) is closed to other users too.
        guard chmod(directory, 0o700) == 0 else { throw .io(path: directory, errno: errno) }
        let keyPath = path(directory, keyFileName)
        if FileManager.default.fileExists(atPath: keyPath) || FileManager.default.fileExists(atPath: path(directory, databaseFileName)) {
            throw .replicaExists(path: directory)
        }
        try KeyFile.create(at: keyPath, key: key)
        let log = try ChangeLog(path: path(directory, databaseFileName), options: .init(reader: key))
        return Replica(directory: directory, key: key, log: log)
    }

    /// Creates a replica already enrolled, as `enroll accept` leaves one: `authority` pinned and
    /// `certificate` (for `key`) published as its first `_admin` change. For demos, tests and
    /// set-up scripts where the bureau's key is at hand.
    public static func createEnrolled(
        at directory: String, key: DeviceKey, authority: PublicKey, certificate: Certificate
    ) throws(StoreError) -> Replica {
        _ = try create(at: directory, key: key)
        let pin = path(directory, authorityFileName)
        guard FileManager.default.createFile(atPath: pin, contents: Data((authority.hex + "\n").utf8)) else {
            throw .io(path: pin, errno: errno)
        }
        let replica = try open(at: directory)
        _ = try replica.write(scope: .admin, payload: AdminPayload.certificate(certificate).encoded)
        return replica
    }

    /// Opens an existing replica; refuses a key file others can read.
    /// `witness`: open as a relay, countersigning what it stores first (trust.md §6).
    /// `maxDatabaseBytes`: a quota on the database files, WAL included (a relay's disk budget, `DiskQuota`).
    /// `views`: keep the record views (false for a relay, which never queries records); nil keeps
    /// what the replica last did. A replica whose views lag is opened without them until
    /// `rebuildViews` (`baoxue rebuild`) re-derives them.
    public static func open(
        at directory: String, witness: Bool = false, views: Bool? = nil, maxDatabaseBytes: Int64? = nil,
        readerCacheMiB: Int = 64
    ) throws(StoreError) -> Replica {
        let keyPath = path(directory, keyFileName)
        guard !DeviceLock.isLocked(directory) else { throw .locked(path: directory) }
        guard FileManager.default.fileExists(atPath: keyPath) else { throw .replicaMissing(path: directory) }
        let key = try KeyFile.load(at: keyPath)
        let dbPath = path(directory, databaseFileName)
        guard FileManager.default.fileExists(atPath: dbPath) else { throw .replicaMissing(path: directory) }
        let authority = try pinnedAuthority(directory)
        // An enrolled device writes no record in clear, even before it has heard of its school's key
        // (privacy.md §2): it is told to ask its school admin instead. A bare replica (no authority)
        // is a sandbox and writes in clear until a grant reaches it.
        return Replica(
            directory: directory, key: key,
            log: try ChangeLog(
                path: dbPath,
                options: .init(
                    merge: views ?? !ChangeLog.viewsLag(path: dbPath) ? RecordMerge() : nil, authority: authority,
                    witness: witness ? key : nil, maxDatabaseBytes: maxDatabaseBytes, readerCacheMiB: readerCacheMiB, reader: key,
                    sealRequired: authority != nil && !witness)))
    }

    /// The authority key pinned by `baoxue enroll accept` (`<replica>/authority`), if any.
    public static let authorityFileName = "authority"

    static func pinnedAuthority(_ directory: String) throws(StoreError) -> PublicKey? {
        let p = path(directory, authorityFileName)
        guard let data = FileManager.default.contents(atPath: p) else { return nil }
        guard let key = try? PublicKey(hex: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw .keyFileMalformed(path: p)
        }
        return key
    }

    /// Signs and appends this device's next change.
    public func write(scope: ScopeID, payload: [UInt8], now: UInt64 = Replica.nowMilliseconds()) throws(StoreError) -> Change {
        try log.appendAuthored(by: key, scope: scope, payload: payload, now: now)
    }

    /// Wall-clock time in ms since the Unix epoch: the physical part of the HLC.
    public static func nowMilliseconds() -> UInt64 {
        UInt64(max(0, Date().timeIntervalSince1970 * 1000))
    }

    private static func path(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }
}
