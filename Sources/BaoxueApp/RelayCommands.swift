import BaoxueCore
import BaoxuePostgres
import BaoxueRelay
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import Foundation
import Logging

/// What `baoxue relay serve|status|backup` do, apart from parsing and printing.
public enum RelayCommands {
    /// Everything `relay serve` is told on its command line.
    public struct ServeOptions: Sendable {
        public var directory: String
        public var listen: String
        public var upstream: String?
        public var metrics: String?
        public var limits = RelayLimits()
        public var upstreamIntervalSeconds = 30
        /// Seconds a connection may stay silent (after the handshake) before it is closed.
        public var idleTimeoutSeconds = 60
        /// A quota on the relay's database (SQLite: its files, WAL included; PostgreSQL: `pg_database_size`);
        /// past it new changes are refused, reads go on.
        public var maxDatabaseMiB: Int?
        /// Sockets one address may hold before their handshakes complete.
        public var handshakesPerAddress = 64
        /// Seconds without an upstream sync before `/health` reports `upstream_unreachable`.
        public var upstreamAlarmSeconds = 600
        /// A PostgreSQL the relay shares with others (`postgresql://…`): the log lives there, not in the folder.
        public var store: String?
        public init(directory: String, listen: String) {
            self.directory = directory
            self.listen = listen
        }
    }

    /// Starts a relay and returns it serving (its ports; `shutdown()` lets sessions in flight finish
    /// their batches). Running until a signal is the executable's part, not this library's.
    public static func start(_ o: ServeOptions) async throws(AppError) -> Relay {
        let (host, port) = try SyncCommands.address(o.listen, option: "--listen", listening: true)
        let upstream = try o.upstream.map { u throws(AppError) in try SyncCommands.address(u, option: "--upstream") }
        let metrics = try o.metrics.map { m throws(AppError) in try SyncCommands.address(m, option: "--metrics", listening: true) }
        let replica = try attempt { () throws(StoreError) in
            try Replica.open(
                at: o.directory, witness: true, views: false, maxDatabaseBytes: o.maxDatabaseMiB.map { Int64($0) << 20 }, readerCacheMiB: 8)
        }
        if replica.log.authority != nil {
            let own = try attempt { () throws(StoreError) in try replica.log.holder(of: replica.key.publicKey) }
            guard own?.role == .relay else { throw .notARelay }
        }
        _ = try SyncCommands.policy(for: replica)
        var config = Relay.Configuration()
        config.host = host
        config.port = port
        config.limits = o.limits
        config.upstream = upstream
        config.upstreamIntervalMs = UInt64(max(1, o.upstreamIntervalSeconds)) * 1000
        config.metrics = metrics
        config.idleTimeoutMs = UInt64(max(1, o.idleTimeoutSeconds)) * 1000
        config.handshakesPerAddress = o.handshakesPerAddress
        config.upstreamAlarmMs = UInt64(max(1, o.upstreamAlarmSeconds)) * 1000
        // A shell's soft limit is often 1,024 descriptors: a relay holding thousands of phones needs the hard one.
        config.openFileLimit = OpenFileLimit.raiseToHard()
        let logger = Logger(label: "baoxue.relay")
        let configuration = config
        let (certificates, vouch) = SyncCommands.presentation(for: replica)
        do {
            return try await Relay.start(
                key: replica.key, log: replica.log, policy: { (try? SyncCommands.policy(for: replica)) ?? SyncPolicy() },
                certificates: certificates, vouch: vouch, configuration: configuration, logger: logger)
        } catch { throw .sync(error) }
    }

    /// Starts one process of a relay cluster on the PostgreSQL at `o.store`: its key, certificate and
    /// the authority come from its folder as for any relay; the log from the shared database.
    public static func startCluster(_ o: ServeOptions, store url: String) async throws(AppError) -> ClusterRelay {
        let (host, port) = try SyncCommands.address(o.listen, option: "--listen", listening: true)
        let upstream = try o.upstream.map { u throws(AppError) in try SyncCommands.address(u, option: "--upstream") }
        let metrics = try o.metrics.map { m throws(AppError) in try SyncCommands.address(m, option: "--metrics", listening: true) }
        let address: PostgresAddress
        do { address = try PostgresAddress(url) } catch { throw .invalidArgument(option: "--store", value: url) }
        let replica = try attempt { () throws(StoreError) in try Replica.open(at: o.directory, witness: true, views: false) }
        if replica.log.authority != nil {
            let own = try attempt { () throws(StoreError) in try replica.log.holder(of: replica.key.publicKey) }
            guard own?.role == .relay else { throw .notARelay }
        }
        _ = try SyncCommands.policy(for: replica)
        let client = address.client()
        let running = Task { await client.run() }
        let log = PostgresLog(client: client)
        do {
            try await log.migrate()
            guard try await log.commitsDurably() else {
                throw PostgresLogError.database(sqlState: "-", message: "synchronous_commit is off")
            }
        } catch {
            running.cancel()
            throw .sharedDatabase("\(error)")
        }
        var config = Relay.Configuration()
        config.host = host
        config.port = port
        config.limits = o.limits
        config.idleTimeoutMs = UInt64(max(1, o.idleTimeoutSeconds)) * 1000
        config.handshakesPerAddress = o.handshakesPerAddress
        config.openFileLimit = OpenFileLimit.raiseToHard()
        config.metrics = metrics
        config.upstream = upstream
        config.upstreamIntervalMs = UInt64(max(1, o.upstreamIntervalSeconds)) * 1000
        config.upstreamAlarmMs = UInt64(max(1, o.upstreamAlarmSeconds)) * 1000
        let (certificates, vouch) = SyncCommands.presentation(for: replica)
        // A relay that pins an authority gates what it stores as a SQLite relay does (trust.md §6).
        let store = ClusterStore(
            log: log, witness: PostgresWitness(key: replica.key), trust: replica.log.authority.map(PostgresTrust.init(authority:)),
            quota: o.maxDatabaseMiB.map { DiskQuota(bytes: Int64($0) << 20) })
        do {
            return try await ClusterRelay.start(
                key: replica.key, store: store, policy: { (try? SyncCommands.policy(for: replica)) ?? SyncPolicy() },
                certificates: certificates, vouch: vouch, configuration: config, database: running)
        } catch {
            running.cancel()
            throw .sync(error)
        }
    }

    /// A consistent copy of a relay's (or any replica's) database while it serves; checks the copy.
    public static func backup(directory: String, to file: String) throws(AppError) -> BackupView {
        guard !FileManager.default.fileExists(atPath: file) else { throw .fileExists(path: file) }
        let folder = (file as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw .folderMissing(path: folder)
        }
        let replica = try ReplicaCommands.open(directory)
        try attempt { () throws(StoreError) in try replica.log.backup(to: file) }
        let copy = try attempt { () throws(StoreError) in try ChangeLog(path: file, options: .init(merge: nil)) }
        let integrity = try attempt { () throws(StoreError) in try copy.integrityCheck() }
        let changes = try attempt { () throws(StoreError) in try copy.count(nil) }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0
        return BackupView(file: file, changes: changes, bytes: bytes, integrity: integrity)
    }
}

/// The outcome of `baoxue relay backup`.
public struct BackupView: Encodable, Equatable, Sendable {
    public let file: String
    public let changes: Int
    public let bytes: Int64
    public let integrity: String

    public func text(_ l: Language) -> String {
        l.say(SyncMessages.backedUpToChangesKib, file, changes, bytes / 1024, integrity)
    }
}
