import Foundation

extension Simulator {
    /// One simulated day's metrics, taken in the evening after the relay syncs.
    public struct Day: Sendable, Equatable {
        public let day: Int
        public let authored: Int
        public let syncs: Int
        public let bytes: Int
        /// Schools whose honest devices all show the same views; -1 when not measured (large runs measure it at the end only).
        public let agreeing: Int
        /// Staleness across devices (hours): the age of the newest change of its school a device lacks.
        public let staleP50: Double
        public let staleP99: Double
        /// Whether any device could reach a relay that day.
        public let partitioned: Bool

        static let header = "day,authored,syncs,bytes,schools_agreeing,staleness_p50_h,staleness_p99_h,partitioned"
        public var csv: String {
            String(format: "%d,%d,%d,%d,%d,%.1f,%.1f,%d", day, authored, syncs, bytes, agreeing, staleP50, staleP99, partitioned ? 1 : 0)
        }
    }

    /// The run's figures as the issue names them.
    public struct Summary: Sendable, Equatable {
        public var devices = 0
        public var relays = 0
        public var children = 0
        /// Changes written by honest devices (the roster included).
        public var authored = 0
        /// Child-field writes among them, and the conflicts they left.
        public var edits = 0
        public var conflicts = 0
        public var conflictsPer1000Edits: Double { edits == 0 ? 0 : Double(conflicts) * 1_000 / Double(edits) }
        /// Hours from the end of the partition until every honest device held every honest
        /// change of its school written before then; nil with no partition.
        public var convergenceHours: Double?
        /// Hours until half the honest devices had caught up after the partition.
        public var catchUpP50Hours = 0.0
        /// Sync traffic per school day (enrolment and the reunion left out).
        public var deviceBytesPerDay = 0.0
        public var townshipRelayBytesPerDay = 0.0
        public var districtRelayBytesPerDay = 0.0
        /// SQLite pages of an honest device at the end.
        public var storageMeanBytes = 0.0
        public var storageMaxBytes: Int64 = 0
        public var syncs = 0
        public var cutSyncs = 0
        public var refusedSyncs = 0
        public var crashes = 0
        public var relayKills = 0
        /// Malicious and stolen changes, and how many honest replicas stored one (never applied).
        public var badChanges = 0
        public var badCopiesQuarantined = 0
        /// Copies of those applied on an honest replica (a failed check when not 0).
        public var badCopiesApplied = 0
        /// Changes the lost phone wrote before it was lost that never left it.
        public var goneWithPhone = 0
        /// Member grants and rotations the school admins wrote; record writes refused because the
        /// writer held no key for its school yet (nothing is written in clear).
        public var keyGrants = 0
        public var writesWithoutKey = 0
        /// Transfers between schools (转学) written by township admins.
        public var transfers = 0

        public init() {}

        public var lines: [String] {
            [
                "county: \(devices) devices, \(relays) relays, \(children) children",
                "authored \(authored) changes (\(edits) field edits); \(syncs) syncs, \(cutSyncs) cut, \(refusedSyncs) refused",
                String(format: "conflicts: %d (%.1f per 1,000 edits)", conflicts, conflictsPer1000Edits),
                convergenceHours.map {
                    String(format: "after the partition: half the devices caught up in %.1f h, all in %.1f h", catchUpP50Hours, $0)
                }
                    ?? "no partition",
                String(
                    format: "bytes per day: device %.0f, township relay %.0f, district relay %.0f",
                    deviceBytesPerDay, townshipRelayBytesPerDay, districtRelayBytesPerDay),
                String(format: "storage per device: mean %.0f KiB, max %lld KiB", storageMeanBytes / 1024, storageMaxBytes / 1024),
                "faults: \(crashes) crashes mid-append, \(relayKills) relay kills, \(badChanges) malicious or stolen changes "
                    + "(\(badCopiesQuarantined) copies stored on honest replicas, \(badCopiesApplied) applied), "
                    + "\(goneWithPhone) gone with the lost phone",
                "keys: \(keyGrants) grants and rotations, \(writesWithoutKey) writes refused for want of a key",
            ]
        }

        /// One CSV column: its name, how it is written, how it is read back. The one list both directions
        /// use, so the writer and the reader cannot drift apart.
        struct Column {
            let name: String
            let write: (Summary) -> String
            let read: (inout Summary, String) -> Void

            static func int(_ name: String, _ k: WritableKeyPath<Summary, Int>) -> Column {
                Column(name: name, write: { "\($0[keyPath: k])" }, read: { $0[keyPath: k] = Int($1) ?? 0 })
            }
            static func real(_ name: String, _ k: WritableKeyPath<Summary, Double>, _ format: String = "%.0f") -> Column {
                Column(name: name, write: { String(format: format, $0[keyPath: k]) }, read: { $0[keyPath: k] = Double($1) ?? 0 })
            }
        }

        static var columns: [Column] {
            [
                .int("devices", \.devices), .int("relays", \.relays), .int("children", \.children), .int("authored", \.authored),
                .int("edits", \.edits), .int("conflicts", \.conflicts),
                Column(name: "conflicts_per_1000_edits", write: { String(format: "%.2f", $0.conflictsPer1000Edits) }, read: { _, _ in }),
                .real("catch_up_p50_h", \.catchUpP50Hours, "%.1f"),
                Column(
                    name: "convergence_h", write: { $0.convergenceHours.map { String(format: "%.1f", $0) } ?? "" },
                    read: { $0.convergenceHours = Double($1) }),
                .real("device_bytes_per_day", \.deviceBytesPerDay), .real("township_relay_bytes_per_day", \.townshipRelayBytesPerDay),
                .real("district_relay_bytes_per_day", \.districtRelayBytesPerDay), .real("storage_mean_bytes", \.storageMeanBytes),
                Column(name: "storage_max_bytes", write: { "\($0.storageMaxBytes)" }, read: { $0.storageMaxBytes = Int64($1) ?? 0 }),
                .int("syncs", \.syncs), .int("cut", \.cutSyncs), .int("refused", \.refusedSyncs), .int("crashes", \.crashes),
                .int("relay_kills", \.relayKills), .int("bad_changes", \.badChanges),
                .int("bad_copies_quarantined", \.badCopiesQuarantined),
                .int("bad_copies_applied", \.badCopiesApplied), .int("key_grants", \.keyGrants),
                .int("writes_without_key", \.writesWithoutKey),
                .int("transfers", \.transfers),
            ]
        }

        public static var csvHeader: String { columns.map(\.name).joined(separator: ",") }
        public var csv: String { Self.columns.map { $0.write(self) }.joined(separator: ",") }
    }
}

extension Simulator.Summary {
    /// Reads back `csv` (what a worker process prints).
    public init?(csv line: String) {
        let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard f.count == Self.columns.count else { return nil }
        self.init()
        for (column, text) in zip(Self.columns, f) { column.read(&self, text) }
    }

    /// A sharded county's figures from its townships': counts add up; per-device figures are
    /// weighted by devices; the district relay's bytes add up (every township reaches it);
    /// convergence is the slowest township's, catch-up p50 the median of the townships'.
    public static func combining(_ parts: [Self]) -> Self {
        var t = Self()
        let devices = Double(max(1, parts.reduce(0) { $0 + $1.devices }))
        for p in parts {
            t.devices += p.devices
            t.children += p.children
            t.authored += p.authored
            t.edits += p.edits
            t.conflicts += p.conflicts
            t.syncs += p.syncs
            t.cutSyncs += p.cutSyncs
            t.refusedSyncs += p.refusedSyncs
            t.crashes += p.crashes
            t.relayKills += p.relayKills
            t.badChanges += p.badChanges
            t.badCopiesQuarantined += p.badCopiesQuarantined
            t.badCopiesApplied += p.badCopiesApplied
            t.keyGrants += p.keyGrants
            t.writesWithoutKey += p.writesWithoutKey
            t.transfers += p.transfers
            t.deviceBytesPerDay += p.deviceBytesPerDay * Double(p.devices) / devices
            t.storageMeanBytes += p.storageMeanBytes * Double(p.devices) / devices
            t.townshipRelayBytesPerDay += p.townshipRelayBytesPerDay / Double(parts.count)
            t.districtRelayBytesPerDay += p.districtRelayBytesPerDay
            t.storageMaxBytes = max(t.storageMaxBytes, p.storageMaxBytes)
            if let c = p.convergenceHours { t.convergenceHours = max(t.convergenceHours ?? 0, c) }
        }
        t.relays = parts.count + 1
        t.catchUpP50Hours = percentile(parts.map(\.catchUpP50Hours).sorted(), 0.5)
        return t
    }
}

/// Percentile of sorted values (nearest rank).
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}
