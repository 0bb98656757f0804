import Foundation

/// A throwaway PostgreSQL server for tests and drills: its own data folder in a temporary
/// directory, listening only on a Unix socket in that directory, trusting local connections.
/// `stop()` shuts it down and removes the folder. PostgreSQL refuses to run as root, so under root
/// its programs run as the `postgres` user the Debian package creates.
///
/// Missing PostgreSQL is an error, never a skip: `bash tools/run test` installs it.
public struct PostgresCluster: Sendable {
    public let directory: String
    public let user = "baoxue"
    let bin: String

    public var dataDirectory: String { directory + "/data" }
    /// The socket's path, for `PostgresClient.Configuration(unixSocketPath:…)`.
    public var socketPath: String { directory + "/.s.PGSQL.5432" }

    /// Why a cluster could not be made, started or stopped.
    public enum Failure: Error, CustomStringConvertible {
        case notInstalled
        case command(String, status: Int32, output: String)
        public var description: String {
            switch self {
            case .notInstalled: "PostgreSQL is not installed: apt-get install -y postgresql-15 (bash tools/run test does)"
            case .command(let command, let status, let output): "\(command) exited \(status): \(output.suffix(2_000))"
            }
        }
    }

    /// The newest PostgreSQL's programs under /usr/lib/postgresql (or `BAOXUE_PG_BIN`).
    static func binaries() throws -> String {
        if let bin = ProcessInfo.processInfo.environment["BAOXUE_PG_BIN"] { return bin }
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        guard
            let newest = versions.compactMap(Int.init).sorted().last,
            FileManager.default.isExecutableFile(atPath: "\(root)/\(newest)/bin/initdb")
        else { throw Failure.notInstalled }
        return "\(root)/\(newest)/bin"
    }

    /// Makes a cluster in a new temporary folder and starts it.
    public static func start() throws -> PostgresCluster {
        let bin = try binaries()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baoxue-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let cluster = PostgresCluster(directory: directory, bin: bin)
        if getuid() == 0 { try cluster.command("/bin/chown", ["postgres:postgres", directory], asPostgres: false) }
        try cluster.command("\(bin)/initdb", ["-D", cluster.dataDirectory, "-U", cluster.user, "--auth=trust", "-E", "UTF8", "--no-sync"])
        try cluster.startServer()
        return cluster
    }

    func startServer() throws {
        try command(
            "\(bin)/pg_ctl",
            [
                "-D", dataDirectory, "-l", directory + "/server.log", "-w", "-t", "60", "-o",
                "-k \(directory) -c listen_addresses='' -c max_connections=300", "start",
            ])
    }

    /// Makes an empty database (one per test, so tests on one cluster never see each other), in
    /// `tablespace` when given (a `SmallDisk`'s).
    public func createDatabase(_ name: String, tablespace: String? = nil) throws {
        try command("\(bin)/createdb", ["-h", directory, "-U", user] + (tablespace.map { ["-D", $0] } ?? []) + [name])
    }

    /// A tablespace on a tmpfs of `megabytes` of its own, for full-disk drills; unmounted by `stop()`.
    public func smallDisk(_ name: String, megabytes: Int) throws -> SmallDisk {
        try SmallDisk.make(name, megabytes: megabytes, on: self)
    }

    /// The small disks mounted under this cluster's folder.
    private func mountedDisks() -> [String] {
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        return mounts.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count > 1 && fields[1].hasPrefix(directory + "/disk-") ? String(fields[1]) : nil
        }
    }

    /// Stops the server at once, as a crash would (`-m immediate`), and starts it again.
    public func crashAndRestart() throws {
        try command("\(bin)/pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"])
        try startServer()
    }

    /// Stops the server and removes its folder.
    public func stop() throws {
        defer {
            for path in mountedDisks() { _ = try? command("/bin/umount", ["-l", path], asPostgres: false) }
            try? FileManager.default.removeItem(atPath: directory)
        }
        try command("\(bin)/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"])
    }

    /// Runs `body` with a fresh cluster, stopped afterwards whatever `body` does.
    public static func with<T>(_ body: (PostgresCluster) async throws -> T) async throws -> T {
        let cluster = try start()
        do {
            let result = try await body(cluster)
            try cluster.stop()
            return result
        } catch {
            try? cluster.stop()
            throw error
        }
    }

    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does
    /// not import because it is declared only under `_GNU_SOURCE`; nil on an older C library.
    private static let addCloseFrom: AddCloseFrom? = dlsym(
        UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"
    )
    .map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// Runs a PostgreSQL program to its end (as `postgres` under root). posix_spawn and waitpid, not
    /// Foundation's `Process`, whose wait can miss the exit when called from async tests.
    @discardableResult
    func command(_ path: String, _ arguments: [String], asPostgres: Bool = true) throws -> String {
        let argv = asPostgres && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", path] + arguments : [path] + arguments
        // A file, not a pipe: the server pg_ctl starts keeps its inherited descriptors, and a pipe
        // would never reach its end while the server runs.
        let outputPath = directory + "/command-\(UUID().uuidString.prefix(8)).out"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else is inherited. SwiftNIO's sockets are not close-on-exec, and the server pg_ctl starts
        // would otherwise hold a test's listening and client sockets open after the test closed them.
        guard let addCloseFrom = Self.addCloseFrom, addCloseFrom(&actions, 3) == 0 else {
            throw Failure.command(argv.joined(separator: " "), status: -1, output: "needs glibc 2.34 to close inherited descriptors")
        }
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else { throw Failure.command(argv.joined(separator: " "), status: spawned, output: "could not start") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // Exited normally with 0 (WIFEXITED and WEXITSTATUS, which Swift does not import as macros).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw Failure.command(argv.joined(separator: " "), status: status, output: text)
        }
        return text
    }
}
