import BaoxueCore
import Foundation
import GRDB

/// What a relay knows of one device it serves: when it last synced, how
/// much moved, and the log position it had been offered up to (for lag).
/// Kept in `relay_peer`; operational data, not part of the signed log.
public struct PeerActivity: Sendable, Equatable {
    public var key: PublicKey
    /// Wall-clock ms of the last session's end.
    public var lastSeen: UInt64
    public var sessions: Int
    public var failures: Int
    public var changesIn: Int
    public var changesOut: Int
    public var bytesIn: Int
    public var bytesOut: Int
    /// The code name of the last failure, if the last session failed.
    public var lastError: String?
    /// The relay's highest log position when the last successful session reconciled.
    public var position: Int64

    public init(
        key: PublicKey, lastSeen: UInt64, sessions: Int = 0, failures: Int = 0, changesIn: Int = 0, changesOut: Int = 0,
        bytesIn: Int = 0, bytesOut: Int = 0, lastError: String? = nil, position: Int64 = 0
    ) {
        self.key = key
        self.lastSeen = lastSeen
        self.sessions = sessions
        self.failures = failures
        self.changesIn = changesIn
        self.changesOut = changesOut
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.lastError = lastError
        self.position = position
    }

    /// Adds a later record of the same device (counters add, the rest is replaced by the later one).
    public mutating func absorb(_ later: PeerActivity) {
        lastSeen = max(lastSeen, later.lastSeen)
        sessions += later.sessions
        failures += later.failures
        changesIn += later.changesIn
        changesOut += later.changesOut
        bytesIn += later.bytesIn
        bytesOut += later.bytesOut
        lastError = later.failures > 0 ? later.lastError : (later.sessions > 0 ? nil : lastError)
        position = max(position, later.position)
    }
}

/// How far behind a device is: changes in its scopes it has not been offered, and the oldest one's time.
public struct PeerLag: Sendable, Equatable {
    public let changes: Int
    /// HLC ms of the oldest change the device lacks; nil when it lacks none.
    public let oldestMs: UInt64?
}

extension ChangeLog {
    /// Adds each record to what `relay_peer` holds for its device, in one transaction.
    public func recordPeerActivity(_ records: [PeerActivity]) throws(StoreError) {
        guard !records.isEmpty else { return }
        try storeCall {
            try writer.write { db in
                for r in records {
                    var merged = try Self.peerActivity(db, key: r.key) ?? PeerActivity(key: r.key, lastSeen: 0)
                    merged.absorb(r)
                    try db.execute(
                        sql: """
                            INSERT OR REPLACE INTO relay_peer (key, last_seen, sessions, failures, changes_in, changes_out, bytes_in,
                                bytes_out, last_error, position)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            Data(r.key.bytes), Int64(merged.lastSeen), merged.sessions, merged.failures, merged.changesIn,
                            merged.changesOut, merged.bytesIn, merged.bytesOut, merged.lastError, merged.position,
                        ])
                }
            }
        }
    }

    private static func peerActivity(_ db: Database, key: PublicKey? = nil) throws -> PeerActivity? {
        try peerActivities(db, key: key).first
    }

    private static func peerActivities(_ db: Database, key: PublicKey? = nil) throws -> [PeerActivity] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT key, last_seen, sessions, failures, changes_in, changes_out, bytes_in, bytes_out, last_error, position
                FROM relay_peer WHERE ?1 IS NULL OR key = ?1 ORDER BY last_seen DESC, key
                """, arguments: [key.map { Data($0.bytes) }]
        ).map { row in
            PeerActivity(
                key: try PublicKey(bytes: Array(row[0] as Data)), lastSeen: UInt64(row[1] as Int64), sessions: row[2], failures: row[3],
                changesIn: row[4], changesOut: row[5], bytesIn: row[6], bytesOut: row[7], lastError: row[8], position: row[9])
        }
    }

    /// Every device this relay has served, most recently seen first.
    public func peerActivity() throws(StoreError) -> [PeerActivity] {
        try storeCall { try readDB { db in try Self.peerActivities(db) } }
    }

    /// A number that changes whenever a certificate or a revocation is stored: a cached sync policy
    /// built from them is stale once it differs (two index counts; both tables only grow).
    public func trustVersion() throws(StoreError) -> Int64 {
        try storeCall {
            try readDB { db in
                try Int64.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM certificate) * 1000003 + (SELECT COUNT(*) FROM revocation)") ?? 0
            }
        }
    }

    /// The highest local log position (0 when empty).
    public func lastPosition() throws(StoreError) -> Int64 {
        try storeCall { try readDB { db in try Int64.fetchOne(db, sql: "SELECT MAX(position) FROM change") ?? 0 } }
    }

    /// Changes after `position` in `scopes` (each covering its sub-scopes) and the oldest one's time.
    public func lag(after position: Int64, scopes: [ScopeID]) throws(StoreError) -> PeerLag {
        try storeCall {
            try readDB { db in
                var count = 0
                var oldest: Int64?
                for scope in scopes {
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*), MIN(hlc) FROM change WHERE position > ? AND (scope = ? OR substr(scope, 1, ?) = ?)
                            """, arguments: [position, scope.value, scope.value.utf8.count + 1, scope.value + "/"])
                    count += row?[0] ?? 0
                    if let h: Int64 = row?[1] { oldest = min(oldest ?? h, h) }
                }
                return PeerLag(changes: count, oldestMs: oldest.map { UInt64($0) >> 16 })
            }
        }
    }

    /// A consistent copy of the whole database at `path` while others keep writing (SQLite online backup).
    public func backup(to path: String) throws(StoreError) {
        try storeCall {
            let target = try DatabaseQueue(path: path)
            try writer.backup(to: target)
            try target.close()
        }
    }
}
