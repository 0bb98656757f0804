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
        var csv: String {
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
        /// Changes the lost phone wrote before it was lost that never left it.
        public var goneWithPhone = 0

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
                    + "(\(badCopiesQuarantined) copies stored on honest replicas, none applied), \(goneWithPhone) gone with the lost phone",
            ]
        }

        static let csvHeader = "devices,relays,children,authored,edits,conflicts,conflicts_per_1000_edits,catch_up_p50_h,convergence_h,"
            + "device_bytes_per_day,township_relay_bytes_per_day,district_relay_bytes_per_day,storage_mean_bytes,storage_max_bytes,"
            + "syncs,cut,refused,crashes,relay_kills,bad_changes,bad_copies_quarantined"
        var csv: String {
            String(format: "%d,%d,%d,%d,%d,%d,%.2f,%.1f,", devices, relays, children, authored, edits, conflicts, conflictsPer1000Edits, catchUpP50Hours)
                + (convergenceHours.map { String(format: "%.1f", $0) } ?? "")
                + String(format: ",%.0f,%.0f,%.0f,%.0f,%lld,%d,%d,%d,%d,%d,%d,%d", deviceBytesPerDay, townshipRelayBytesPerDay,
                         districtRelayBytesPerDay, storageMeanBytes, storageMaxBytes, syncs, cutSyncs, refusedSyncs, crashes, relayKills,
                         badChanges, badCopiesQuarantined)
        }
    }
}

/// Percentile of sorted values (nearest rank).
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}
