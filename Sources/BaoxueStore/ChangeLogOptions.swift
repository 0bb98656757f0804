import BaoxueCore
import BaoxueRecords
import BaoxueSodium

extension ChangeLog {
    /// How a change log is opened: one value instead of a long initializer, so adding a setting
    /// changes no caller. Every field has the default a device's replica uses.
    public struct Options: Sendable {
        /// How many cores `append(encoded:)` verifies signatures on.
        public var verifyThreads = 1
        /// The merge engine that keeps the record views; nil keeps the bare log only (a relay).
        public var merge: RecordMerge? = RecordMerge()
        /// `false` commits with `synchronous = NORMAL`: the last commits may roll back on power loss,
        /// so such a log must never acknowledge changes to a peer. Bulk imports and measurements only.
        public var durable = true
        /// The pinned district authority: when set, a change applies only if a certificate chained to it permits it.
        public var authority: PublicKey?
        /// Local wall-clock milliseconds; injectable so the future-clock rule can be tested.
        public var clock: @Sendable () -> UInt64 = ChangeLog.systemClock
        /// A relay's key: every change stored here first (outside `_admin`) is witnessed with it.
        public var witness: DeviceKey?
        /// A relay's disk budget for its files (`DiskQuota`); nil: none.
        public var maxDatabaseBytes: Int64?
        /// Page cache of each reader connection, in MiB.
        public var readerCacheMiB = 64
        /// This device's key, to open the scope keys sealed to it and seal what it writes.
        public var reader: DeviceKey?
        /// Every record this device writes must be sealed (an enrolled device).
        public var sealRequired = false

        public init(
            verifyThreads: Int = 1, merge: RecordMerge? = RecordMerge(), durable: Bool = true, authority: PublicKey? = nil,
            clock: @escaping @Sendable () -> UInt64 = ChangeLog.systemClock, witness: DeviceKey? = nil, maxDatabaseBytes: Int64? = nil,
            readerCacheMiB: Int = 64, reader: DeviceKey? = nil, sealRequired: Bool = false
        ) {
            self.verifyThreads = verifyThreads
            self.merge = merge
            self.durable = durable
            self.authority = authority
            self.clock = clock
            self.witness = witness
            self.maxDatabaseBytes = maxDatabaseBytes
            self.readerCacheMiB = readerCacheMiB
            self.reader = reader
            self.sealRequired = sealRequired
        }
    }

    /// What only the county simulator sets, outside the public API: injected randomness (a seeded
    /// county replays byte for byte), and signature checks and decoded certificates shared by the
    /// replicas of one process.
    package struct SimulationHooks: Sendable {
        package var random: RandomSource = .system
        package var signatureMemo: SignatureMemo?
        package var decodedCertificates: DecodedCertificates?

        package init(random: RandomSource = .system, signatureMemo: SignatureMemo? = nil, decodedCertificates: DecodedCertificates? = nil) {
            self.random = random
            self.signatureMemo = signatureMemo
            self.decodedCertificates = decodedCertificates
        }
    }
}
