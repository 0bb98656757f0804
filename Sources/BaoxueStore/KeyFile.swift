import BaoxueCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A device key on disk: one small text file, mode 0600, owned by the user.
///
/// Format: the line `baoxue-device-key-v1`, then the 32-byte Ed25519 seed
/// as 64 hex digits, each followed by a newline. Loading refuses a file that
/// group or others could read or write, or that another user owns, since
/// the seed is the device's whole identity.
public enum KeyFile {
    static let header = "baoxue-device-key-v1"

    /// Writes `key` to a new file at `path`; never overwrites.
    public static func create(at path: String, key: DeviceKey) throws(StoreError) {
        try writeNew(Array("\(header)\n\(Hex.encode(key.seed))\n".utf8), at: path)
    }

    /// Reads the key at `path`, refusing files others can read.
    public static func load(at path: String) throws(StoreError) -> DeviceKey {
        let lines = try readPrivate(at: path).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 3, lines[0] == header, lines[2].isEmpty,
              let seed = try? Hex.decode(String(lines[1])),
              let key = try? DeviceKey(seed: seed)
        else { throw .keyFileMalformed(path: path) }
        return key
    }

    /// Creates `path` with mode 0600 (never overwriting), writes `bytes`, fsyncs.
    static func writeNew(_ bytes: [UInt8], at path: String) throws(StoreError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw .keyFileExists(path: path) }
            throw .io(path: path, errno: errno)
        }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw .io(path: path, errno: errno) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            let e = errno
            unlink(path)
            throw .io(path: path, errno: e)
        }
    }

    /// Reads a small secret file, refusing one that group or others may access or another user owns.
    static func readPrivate(at path: String, limit: Int = 1024) throws(StoreError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ENOENT { throw .keyFileMissing(path: path) }
            throw .io(path: path, errno: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(path: path, errno: errno) }
        guard info.st_mode & 0o077 == 0 else {
            throw .keyFileTooOpen(path: path, mode: String(info.st_mode & 0o777, radix: 8))
        }
        guard info.st_uid == getuid() else { throw .keyFileNotOwned(path: path) }
        var buffer = [UInt8](repeating: 0, count: limit)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n >= 0 else { throw .io(path: path, errno: errno) }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }
}
