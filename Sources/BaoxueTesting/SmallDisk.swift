import Foundation

/// A small filesystem of its own (a tmpfs) under a test cluster's folder, holding a PostgreSQL
/// tablespace: a drill fills it to the last byte and frees it again, as a full disk and an
/// operator clearing space would, without touching the machine's disk. The server's WAL stays
/// in its data folder, so a full tablespace fails writes and leaves the server running.
///
/// Mounting needs root (`bash tools/run test` runs as root); without it `make` throws, never skips.
public struct SmallDisk: Sendable {
    /// Where the tmpfs is mounted.
    public let path: String
    /// The tablespace on it (`CREATE DATABASE … TABLESPACE`).
    public let tablespace: String

    private var fillerPath: String { path + "/filler" }

    /// Mounts a tmpfs of `megabytes` under `cluster`'s folder, owned by the server's user, and
    /// makes tablespace `name` on it.
    static func make(_ name: String, megabytes: Int, on cluster: PostgresCluster) throws -> SmallDisk {
        let path = cluster.directory + "/disk-\(name)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard getuid() == 0, let owner = getpwnam("postgres")?.pointee else {
            throw PostgresCluster.Failure.command("mount tmpfs", status: -1, output: "a full-disk drill mounts a tmpfs: run as root")
        }
        let options = "size=\(megabytes)m,mode=0700,uid=\(owner.pw_uid),gid=\(owner.pw_gid)"
        try cluster.command("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", path], asPostgres: false)
        let disk = SmallDisk(path: path, tablespace: name)
        try cluster.command(
            "\(cluster.bin)/psql",
            [
                "-h", cluster.directory, "-U", cluster.user, "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                "-c", "CREATE TABLESPACE \(name) LOCATION '\(path)'",
            ])
        return disk
    }

    /// Bytes still free on the disk.
    public func freeBytes() throws -> Int {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { throw PostgresCluster.Failure.command("statvfs \(path)", status: errno, output: "") }
        return Int(stats.f_bavail) * Int(stats.f_frsize)
    }

    /// Fills every byte left with a file of the drill's own (written as root), as other data
    /// filling a disk would; returns the bytes the filler took.
    @discardableResult
    public func fill() throws -> Int {
        let fd = open(fillerPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw PostgresCluster.Failure.command("open \(fillerPath)", status: errno, output: "") }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0xA5, count: 64 << 10)
        var written = 0
        // Large writes until the disk refuses one, then single pages to the last one.
        for size in [chunk.count, 4_096, 512] {
            while true {
                let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, size) }
                if n <= 0 { break }
                written += n
            }
        }
        return written
    }

    /// Removes the filler: the space an operator frees.
    public func free() throws {
        try FileManager.default.removeItem(atPath: fillerPath)
    }
}
