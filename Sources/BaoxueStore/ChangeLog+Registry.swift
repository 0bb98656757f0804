import BaoxuePrivacy
import Foundation
import GRDB

/// Where this replica's registry key came from (records.md §1.10).
public enum RegistryKeySource: String, Sendable, Equatable {
    /// The district's, from this device's certificate file: ids agree with every device of the district.
    case district
    /// Made here, for a replica not enrolled in a district: ids agree only within this replica.
    case local
}

extension ChangeLog {
    static func registerRegistryKey(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v14-registry-key") { db in
            try db.execute(
                sql: """
                    CREATE TABLE registry_key (one INTEGER PRIMARY KEY CHECK (one = 1), key BLOB NOT NULL, source TEXT NOT NULL)
                    """)
        }
    }

    /// The registry key this replica holds, if any.
    public func registryKey() throws(StoreError) -> (key: RegistryKey, source: RegistryKeySource)? {
        try secrets.refresh()
        guard let held = secrets.registry else { return nil }
        return try storeCall { (try RegistryKey(bytes: held.key), held.source) }
    }

    /// The key to derive ids with: the one held, or a fresh local one kept from now on.
    public func registryKeyForImport() throws(StoreError) -> RegistryKey {
        if let held = try registryKey() { return held.key }
        let fresh = RegistryKey.generate(random: random)
        try keepRegistryKey(fresh, source: .local)
        return try registryKey()?.key ?? fresh
    }

    /// Keeps `key`. A district key replaces a local one; a local key never replaces anything.
    public func keepRegistryKey(_ key: RegistryKey, source: RegistryKeySource) throws(StoreError) {
        try secrets.keepRegistry(key, source: source)
    }
}
