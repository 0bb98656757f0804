import BaoxueCore
import BaoxuePrivacy
import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The secrets that open this device's records — its scope keys, the content keys transfers gave
/// it, the registry key — kept in one 0600 file beside the database (`secret.keys`), never in
/// SQLite (privacy.md §5): no database page, WAL frame or freed block of the database holds them.
/// `lock` seals them into `device.locked` and shreds the file; `wipe` overwrites it with the rest.
///
/// Format: the line `baoxue-keys-v1`, then one line per key, fields separated by one space:
/// `scope <epoch> <key id hex> <key hex> <scope>`, `content <key id hex> <key hex> <scope>`,
/// `registry <district|local> <key hex>`. Every id is checked against its key on load.
///
/// Invariant: what is in memory is what is in the file, or newer and about to be written. Each
/// change is written at once (temporary file, fsync, rename), merged with what another handle of
/// the same folder wrote meanwhile, and another handle's writes are read back when the file changes.
final class SecretKeys: @unchecked Sendable {
    static let fileName = "secret.keys"
    static let header = "baoxue-keys-v1"

    struct Held: Equatable {
        var scopes: [Data: (scope: String, key: [UInt8], epoch: Int64)] = [:]
        var contents: [Data: (scope: String, key: [UInt8])] = [:]
        var registry: (key: [UInt8], source: RegistryKeySource)?

        static func == (a: Held, b: Held) -> Bool {
            a.scopes.mapValues { "\($0.scope) \($0.epoch) \($0.key)" } == b.scopes.mapValues { "\($0.scope) \($0.epoch) \($0.key)" }
                && a.contents.mapValues { "\($0.scope) \($0.key)" } == b.contents.mapValues { "\($0.scope) \($0.key)" }
                && a.registry?.key == b.registry?.key && a.registry?.source == b.registry?.source
        }
    }

    /// The file, nil for a log in memory.
    let path: String?
    private let lock = NSLock()
    private var held = Held()
    private var stamp: [Int] = []

    init(path: String?) throws(StoreError) {
        self.path = path
        try refresh()
    }

    /// Reads under the lock, from the file as it is now (one `stat` when it has not changed).
    private func reading<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        try? reloadIfChanged()
        return body()
    }

    private func locked<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Reads the file again if it changed since it was last read (another handle or process wrote it).
    func refresh() throws(StoreError) {
        try locked { () throws(StoreError) in try reloadIfChanged() }
    }

    private func reloadIfChanged() throws(StoreError) {
        guard let path else { return }
        var info = stat()
        guard stat(path, &info) == 0 else {
            held = Held()
            stamp = []
            return
        }
        let now = [Int(info.st_ino), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_size)]
        guard now != stamp else { return }
        held = try Self.parse(try KeyFile.readPrivate(at: path, limit: 8 << 20), path: path)
        stamp = now
    }

    // MARK: Reading

    func scopeKey(id: [UInt8], scope: ScopeID) -> ScopeKey? {
        reading { held.scopes[Data(id)].flatMap { $0.scope == scope.value ? try? ScopeKey(scope: scope, bytes: $0.key) : nil } }
    }

    func holdsScopeKey(id: [UInt8]) -> Bool { reading { held.scopes[Data(id)] != nil } }

    func epoch(of id: [UInt8]) -> Int64? { reading { held.scopes[Data(id)]?.epoch } }

    /// The keys of `scope` by epoch, then id (the order of the newest: the last).
    func scopeKeys(of scope: ScopeID) -> [ScopeKey] {
        reading {
            held.scopes.filter { $0.value.scope == scope.value }
                .sorted { a, b in
                    a.value.epoch != b.value.epoch ? a.value.epoch < b.value.epoch : Array(a.key).lexicographicallyPrecedes(Array(b.key))
                }
                .compactMap { try? ScopeKey(scope: scope, bytes: $0.value.key) }
        }
    }

    /// The key a new change in `scope` is sealed under: the newest epoch held, ties by key id.
    func current(_ scope: ScopeID) -> ScopeKey? { scopeKeys(of: scope).last }

    func contentKey(id: [UInt8]) -> ContentKey? { reading { held.contents[Data(id)].map { ContentKey(bytes: $0.key) } } }

    func contentKeyCount(scope: ScopeID) -> Int { reading { held.contents.values.filter { $0.scope == scope.value }.count } }

    var registry: (key: [UInt8], source: RegistryKeySource)? { reading { held.registry } }

    /// Everything, for `lock`.
    var sealable: [SealedScopeKey] {
        reading {
            held.scopes.values.sorted { ($0.scope, $0.epoch) < ($1.scope, $1.epoch) }
                .map { SealedScopeKey(scope: $0.scope, key: $0.key, epoch: UInt32(clamping: $0.epoch)) }
                + held.contents.values.sorted { $0.scope < $1.scope }.map {
                    SealedScopeKey(scope: $0.scope, key: $0.key, epoch: 0, content: true)
                }
        }
    }

    // MARK: Writing

    /// Takes over the keys a database of before v21 kept in its tables (the migration then drops them).
    func adoptTables(of writer: any DatabaseWriter) throws(StoreError) {
        let rows = try storeCall { () -> (scopes: [Row], contents: [Row], registry: [Row]) in
            try writer.read { db in
                guard try db.tableExists("scope_key") else { return ([], [], []) }
                return (
                    try Row.fetchAll(db, sql: "SELECT scope, key, epoch FROM scope_key"),
                    try Row.fetchAll(db, sql: "SELECT scope, key FROM content_key"),
                    try db.tableExists("registry_key") ? try Row.fetchAll(db, sql: "SELECT key, source FROM registry_key") : []
                )
            }
        }
        for row in rows.scopes {
            guard let scope = try? ScopeID(row[0] as String), let key = try? ScopeKey(scope: scope, bytes: Array(row[1] as Data)) else {
                continue
            }
            try add(key, epoch: row[2])
        }
        for row in rows.contents {
            guard let scope = try? ScopeID(row[0] as String) else { continue }
            try add(ContentKey(bytes: Array(row[1] as Data)), scope: scope)
        }
        for row in rows.registry {
            guard let key = try? RegistryKey(bytes: Array(row[0] as Data)) else { continue }
            try keepRegistry(key, source: RegistryKeySource(rawValue: row[1]) ?? .local)
        }
    }

    func add(_ key: ScopeKey, epoch: Int64) throws(StoreError) {
        try update { $0.scopes[Data(key.id)] == nil ? ($0.scopes[Data(key.id)] = (key.scope.value, key.bytes, epoch)) : () }
    }

    func add(_ key: ContentKey, scope: ScopeID) throws(StoreError) {
        try update { $0.contents[Data(key.id)] == nil ? ($0.contents[Data(key.id)] = (scope.value, key.bytes)) : () }
    }

    /// Keeps the registry key: a district key replaces a local one; a local key never replaces anything.
    func keepRegistry(_ key: RegistryKey, source: RegistryKeySource) throws(StoreError) {
        try update { held in
            if source == .local, held.registry != nil { return }
            held.registry = (key.bytes, source)
        }
    }

    /// Forgets every key and shreds the file (`lock`, and a device applying its own revocation).
    func dropAll() throws(StoreError) {
        try exclusively { () throws(StoreError) in
            held = Held()
            stamp = []
            if let path { try DeviceLock.shred(path) }
        }
    }

    private func update(_ change: (inout Held) -> Void) throws(StoreError) {
        try exclusively { () throws(StoreError) in
            try reloadIfChanged()
            var next = held
            change(&next)
            guard next != held else { return }
            held = next
            try write()
        }
    }

    /// Runs a write under this handle's lock and an exclusive `flock` on `<path>.lock`, so two
    /// processes on one folder (two imports at once, an import and a `lock`) change the file one
    /// after the other: neither loses the other's key, and none writes keys back after a shred.
    /// The lock is held only for one read and one small write.
    private func exclusively(_ body: () throws(StoreError) -> Void) throws(StoreError) {
        try locked { () throws(StoreError) in
            guard let path else { return try body() }
            let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw .io(path: path + ".lock", errno: errno) }
            defer { close(fd) }
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else { throw .io(path: path + ".lock", errno: errno) }
            }
            try body()
        }
    }

    private func write() throws(StoreError) {
        guard let path else { return }
        var lines = [Self.header]
        for (id, k) in held.scopes.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            lines.append("scope \(k.epoch) \(Hex.encode(Array(id))) \(Hex.encode(k.key)) \(k.scope)")
        }
        for (id, k) in held.contents.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            lines.append("content \(Hex.encode(Array(id))) \(Hex.encode(k.key)) \(k.scope)")
        }
        if let r = held.registry { lines.append("registry \(r.source.rawValue) \(Hex.encode(r.key))") }
        // A name of this process's own: another process's writer never removes it under this one.
        let temporary = path + ".new-\(getpid())"
        unlink(temporary)
        try KeyFile.writeNew(Array((lines.joined(separator: "\n") + "\n").utf8), at: temporary)
        guard rename(temporary, path) == 0 else { throw .io(path: path, errno: errno) }
        var info = stat()
        if stat(path, &info) == 0 {
            stamp = [Int(info.st_ino), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_size)]
        }
    }

    static func parse(_ text: String, path: String) throws(StoreError) -> Held {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(header), lines.last == "" else { throw .keyFileMalformed(path: path) }
        lines = Array(lines.dropFirst().dropLast())
        var held = Held()
        for line in lines {
            let kind = line.prefix { $0 != " " }
            let fields = kind == "scope" ? 5 : kind == "content" ? 4 : 3
            let f = line.split(separator: " ", maxSplits: fields - 1, omittingEmptySubsequences: false).map(String.init)
            guard f.count == fields else { throw .keyFileMalformed(path: path) }
            switch kind {
            case "scope":
                guard let epoch = Int64(f[1]), let id = try? Hex.decode(f[2]), let bytes = try? Hex.decode(f[3]),
                    let scope = try? ScopeID(f[4]), let key = try? ScopeKey(scope: scope, bytes: bytes), key.id == id
                else { throw .keyFileMalformed(path: path) }
                held.scopes[Data(id)] = (f[4], bytes, epoch)
            case "content":
                guard let id = try? Hex.decode(f[1]), let bytes = try? Hex.decode(f[2]), bytes.count == 32,
                    ContentKey(bytes: bytes).id == id,
                    (try? ScopeID(f[3])) != nil
                else { throw .keyFileMalformed(path: path) }
                held.contents[Data(id)] = (f[3], bytes)
            case "registry":
                guard let source = RegistryKeySource(rawValue: f[1]), let bytes = try? Hex.decode(f[2]),
                    (try? RegistryKey(bytes: bytes)) != nil
                else { throw .keyFileMalformed(path: path) }
                held.registry = (bytes, source)
            default:
                throw .keyFileMalformed(path: path)
            }
        }
        return held
    }
}
