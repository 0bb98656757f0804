import BaoxueCore
import Logging
import PostgresNIO

/// The `relay_session` table: one row per sync session a relay process served, written when it
/// ends — metadata only (who, from where, how long, how many changes, how it ended), what the
/// `baoxue_sessions` and `baoxue_devices` views show an operator.
public struct PostgresSessionJournal: Sendable {
    public let log: PostgresLog

    public init(log: PostgresLog) { self.log = log }

    /// One ended session; `outcome` is `ok` or the session's error name (`over_limit: disk_full`).
    public struct Entry: Sendable, Equatable {
        public var device: PublicKey?
        public var address: String
        public var durationMs: UInt64
        public var received: Int
        public var sent: Int
        public var outcome: String
        /// The xmin of the last catch-up the serving process had read when the session ended
        /// (`PostgresScopeSets.finishedBelow`): what committed from there on, the device may lack.
        public var seenBelow: UInt64?
        public init(
            device: PublicKey?, address: String, durationMs: UInt64, received: Int, sent: Int, outcome: String, seenBelow: UInt64? = nil
        ) {
            self.device = device
            self.address = address
            self.durationMs = durationMs
            self.received = received
            self.sent = sent
            self.outcome = outcome
            self.seenBelow = seenBelow
        }
    }

    public func record(_ entry: Entry, relay: PublicKey) async throws {
        let device = entry.device.map { ByteBuffer(bytes: $0.bytes) }
        do {
            try await log.client.query(
                """
                INSERT INTO relay_session (relay, device, address, duration_ms, received, sent, outcome, seen_below)
                VALUES (\(ByteBuffer(bytes: relay.bytes)), \(device), \(entry.address), \(Int64(entry.durationMs)),
                        \(Int32(clamping: entry.received)), \(Int32(clamping: entry.sent)), \(entry.outcome),
                        \(entry.seenBelow.map { String($0) })::xid8)
                """, logger: log.logger)
        } catch let error as PSQLError { throw PostgresLog.classify(error) }
    }
}
