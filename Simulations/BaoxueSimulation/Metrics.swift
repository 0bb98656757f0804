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

        public init() {}

        public var lines: [String] {
            [
                "county: \(devices) devices, \(relays) relays, \(children) children",
                "authored \(authored) changes (\(edits) field edits); \(syncs) syncs, \(cutSyncs) cut, \(refusedSyncs) refused",
                String(format: "conflicts: %d (%.1f per 1,000 edits)", conflicts, conflictsPer1000Edits),
                convergenceHours.map { String(format: "after the partition: half the devices caught up in %.1f h, all in %.1f h", catchUpP50Hours, $0) }
                    ?? "no partition",
                String(format: "bytes per day: device %.0f, township relay %.0f, district relay %.0f",
                       deviceBytesPerDay, townshipRelayBytesPerDay, districtRelayBytesPerDay),
                String(format: "storage per device: mean %.0f KiB, max %lld KiB", storageMeanBytes / 1024, storageMaxBytes / 1024),
                "faults: \(crashes) crashes mid-append, \(relayKills) relay kills, \(badChanges) malicious or stolen changes "
                    + "(\(badCopiesQuarantined) copies stored on honest replicas, \(badCopiesApplied) applied), \(goneWithPhone) gone with the lost phone",
            ]
        }

        public static let csvHeader = "devices,relays,children,authored,edits,conflicts,conflicts_per_1000_edits,catch_up_p50_h,convergence_h,"
            + "device_bytes_per_day,township_relay_bytes_per_day,district_relay_bytes_per_day,storage_mean_bytes,storage_max_bytes,"
            + "syncs,cut,refused,crashes,relay_kills,bad_changes,bad_copies_quarantined,bad_copies_applied"
        public var csv: String {
            String(format: "%d,%d,%d,%d,%d,%d,%.2f,%.1f,", devices, relays, children, authored, edits, conflicts, conflictsPer1000Edits, catchUpP50Hours)
                + (convergenceHours.map { String(format: "%.1f", $0) } ?? "")
                + String(format: ",%.0f,%.0f,%.0f,%.0f,%lld,%d,%d,%d,%d,%d,%d,%d", deviceBytesPerDay, townshipRelayBytesPerDay,
                         districtRelayBytesPerDay, storageMeanBytes, storageMaxBytes, syncs, cutSyncs, refusedSyncs, crashes, relayKills,
                         badChanges, badCopiesQuarantined) + ",\(badCopiesApplied)"
        }
    }
}

extension Simulator.Summary {
    /// Reads back `csv` (what a worker process prints).
    public init?(csv line: String) {
        let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard f.count == 22 else { return nil }
        let ints = f.map { Int($0) }, doubles = f.map { Double($0) }
        self.init()
        devices = ints[0] ?? 0; relays = ints[1] ?? 0; children = ints[2] ?? 0; authored = ints[3] ?? 0; edits = ints[4] ?? 0
        conflicts = ints[5] ?? 0; catchUpP50Hours = doubles[7] ?? 0; convergenceHours = doubles[8]
        deviceBytesPerDay = doubles[9] ?? 0; townshipRelayBytesPerDay = doubles[10] ?? 0; districtRelayBytesPerDay = doubles[11] ?? 0
        storageMeanBytes = doubles[12] ?? 0; storageMaxBytes = Int64(f[13]) ?? 0
        syncs = ints[14] ?? 0; cutSyncs = ints[15] ?? 0; refusedSyncs = ints[16] ?? 0; crashes = ints[17] ?? 0; relayKills = ints[18] ?? 0
        badChanges = ints[19] ?? 0; badCopiesQuarantined = ints[20] ?? 0; badCopiesApplied = ints[21] ?? 0
    }

    /// A sharded county's figures from its townships': counts add up; per-device figures are
    /// weighted by devices; the district relay's bytes add up (every township reaches it);
    /// convergence is the slowest township's, catch-up p50 the median of the townships'.
    public static func combining(_ parts: [Self]) -> Self {
        var t = Self()
        let devices = Double(max(1, parts.reduce(0) { $0 + $1.devices }))
        for p in parts {
            t.devices += p.devices; t.children += p.children; t.authored += p.authored; t.edits += p.edits; t.conflicts += p.conflicts
            t.syncs += p.syncs; t.cutSyncs += p.cutSyncs; t.refusedSyncs += p.refusedSyncs; t.crashes += p.crashes
            t.relayKills += p.relayKills; t.badChanges += p.badChanges; t.badCopiesQuarantined += p.badCopiesQuarantined
            t.badCopiesApplied += p.badCopiesApplied
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
