import Foundation

/// A county to simulate: its townships, schools and people, how often they
/// write and reach each other, and which faults strike. Loaded from JSON
/// (`Simulations/scenarios/*.json`; a missing key keeps the default below)
/// or one of the built-in scenarios.
///
/// Invariant: every count is at least 1 where the county needs one (a
/// township, a school, a teacher); rates are chances in 0…1.
public struct Scenario: Sendable, Codable, Equatable {
    public var name = "custom"
    public var townships = 1
    public var schoolsPerTownship = 2
    public var teachersPerSchool = 3
    /// Village liaisons per school: they visit and persuade, but record no absences.
    public var liaisonsPerSchool = 1
    /// The school admin imports the roster and closes out ledgers (销号).
    public var adminsPerSchool = 1
    public var childrenPerSchool = 8
    /// School days simulated (Monday to Friday, no holidays).
    public var days = 10
    /// Chance that a person records something in a given school hour (8:00–17:00).
    public var writesPerHour = 0.15
    /// Chance that two colleagues sync at lunch on school Wi-Fi, per school and day.
    public var lunchSync = 0.6
    /// Chance that a device reaches the township relay in the evening (over a 2G link).
    public var relayEvening = 0.3
    /// Chance that such a relay sync is cut part-way.
    public var cutChance = 0.3
    /// Chance that a township relay reaches the district relay at night.
    public var districtNightly = 0.8
    /// Transfers (转学) between two schools of a township per school day, written by the township's
    /// admin (a 中心校 with a district-admin certificate for the township); fractions are a chance.
    public var transfersPerDay = 0.5
    /// Record payloads sealed under school keys (privacy.md): each school admin grants its
    /// school's key at enrolment and to newcomers each morning, and rotates it after a revocation.
    public var encrypted = true
    public var faults = Faults()
    /// Run each township as its own simulation (its own share of the district relay), one after
    /// another or in parallel processes: for counties too big for one process's memory. Sound
    /// because nothing crosses townships here — each school's scope lives in one township, and
    /// the district relay only gathers (it has every certificate from the start).
    public var shardByTownship = false
    /// In a shard: the number of its township in the whole county (names and seeds follow it).
    public var firstTownship = 0
    /// The ledger rules of issue 21 under test: each township publishes its own policy (trust.md §9)
    /// and the first changes it mid-run; each school records a child found without papers and merges
    /// it later (records.md §3.3); at the end every device's monthly reports are compared with each
    /// other and with an oracle computed from the signed ops (`ReportOracle`).
    public var countyRules = false

    /// What goes wrong, all drawn from the run's seed.
    public struct Faults: Sendable, Codable, Equatable {
        /// Devices whose clock is off, and by how much at most (either way).
        public var skewedDevices = 1
        public var maxSkewHours = 48.0
        /// Chance, per write on the crash-prone device of each township, that it crashes
        /// mid-append (the transaction rolls back) and restarts from its file.
        public var crashChance = 0.1
        /// Chance, per evening, that a township relay is killed mid-sync and restarts next morning from its file.
        public var relayKillChance = 0.1
        /// A teacher's phone is lost on this day (0 = none); the district revokes it the next
        /// morning, and whoever has it keeps writing and trying to sync.
        public var lostDeviceDay = 3
        /// A certified teacher's device turns malicious on this day (0 = never): it forges,
        /// equivocates, writes what its role forbids and floods other schools' scopes.
        public var maliciousDay = 4
        /// Days (first, last) on which township relay 0 withholds a share of changes and serves
        /// batches out of order (0 = never); it is repaired afterwards.
        public var faultyRelayFrom = 2
        public var faultyRelayTo = 4
        /// Days (first, last) on which no device reaches any relay (0 = never): the partition
        /// whose healing is timed.
        public var partitionFrom = 6
        public var partitionTo = 7
        /// Testing the checks themselves (off in every real scenario): from day 1 the first
        /// teacher of school 0 silently stops syncing, as a broken replica would. The checks
        /// must fail, and the minimizer must keep the failure with every fault turned off.
        public var sabotage = false

        public init() {}

        /// No faults at all.
        public static let none: Faults = {
            var f = Faults()
            f.skewedDevices = 0; f.crashChance = 0; f.relayKillChance = 0; f.lostDeviceDay = 0
            f.maliciousDay = 0; f.faultyRelayFrom = 0; f.faultyRelayTo = 0; f.partitionFrom = 0; f.partitionTo = 0
            return f
        }()

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Faults()
            skewedDevices = try c.decodeIfPresent(Int.self, forKey: .skewedDevices) ?? d.skewedDevices
            maxSkewHours = try c.decodeIfPresent(Double.self, forKey: .maxSkewHours) ?? d.maxSkewHours
            crashChance = try c.decodeIfPresent(Double.self, forKey: .crashChance) ?? d.crashChance
            relayKillChance = try c.decodeIfPresent(Double.self, forKey: .relayKillChance) ?? d.relayKillChance
            lostDeviceDay = try c.decodeIfPresent(Int.self, forKey: .lostDeviceDay) ?? d.lostDeviceDay
            maliciousDay = try c.decodeIfPresent(Int.self, forKey: .maliciousDay) ?? d.maliciousDay
            faultyRelayFrom = try c.decodeIfPresent(Int.self, forKey: .faultyRelayFrom) ?? d.faultyRelayFrom
            faultyRelayTo = try c.decodeIfPresent(Int.self, forKey: .faultyRelayTo) ?? d.faultyRelayTo
            partitionFrom = try c.decodeIfPresent(Int.self, forKey: .partitionFrom) ?? d.partitionFrom
            partitionTo = try c.decodeIfPresent(Int.self, forKey: .partitionTo) ?? d.partitionTo
            sabotage = try c.decodeIfPresent(Bool.self, forKey: .sabotage) ?? d.sabotage
        }
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Scenario()
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? d.name
        townships = try c.decodeIfPresent(Int.self, forKey: .townships) ?? d.townships
        schoolsPerTownship = try c.decodeIfPresent(Int.self, forKey: .schoolsPerTownship) ?? d.schoolsPerTownship
        teachersPerSchool = try c.decodeIfPresent(Int.self, forKey: .teachersPerSchool) ?? d.teachersPerSchool
        liaisonsPerSchool = try c.decodeIfPresent(Int.self, forKey: .liaisonsPerSchool) ?? d.liaisonsPerSchool
        adminsPerSchool = try c.decodeIfPresent(Int.self, forKey: .adminsPerSchool) ?? d.adminsPerSchool
        childrenPerSchool = try c.decodeIfPresent(Int.self, forKey: .childrenPerSchool) ?? d.childrenPerSchool
        days = try c.decodeIfPresent(Int.self, forKey: .days) ?? d.days
        writesPerHour = try c.decodeIfPresent(Double.self, forKey: .writesPerHour) ?? d.writesPerHour
        lunchSync = try c.decodeIfPresent(Double.self, forKey: .lunchSync) ?? d.lunchSync
        relayEvening = try c.decodeIfPresent(Double.self, forKey: .relayEvening) ?? d.relayEvening
        cutChance = try c.decodeIfPresent(Double.self, forKey: .cutChance) ?? d.cutChance
        districtNightly = try c.decodeIfPresent(Double.self, forKey: .districtNightly) ?? d.districtNightly
        transfersPerDay = try c.decodeIfPresent(Double.self, forKey: .transfersPerDay) ?? d.transfersPerDay
        encrypted = try c.decodeIfPresent(Bool.self, forKey: .encrypted) ?? d.encrypted
        faults = try c.decodeIfPresent(Faults.self, forKey: .faults) ?? d.faults
        shardByTownship = try c.decodeIfPresent(Bool.self, forKey: .shardByTownship) ?? d.shardByTownship
        firstTownship = try c.decodeIfPresent(Int.self, forKey: .firstTownship) ?? d.firstTownship
        countyRules = try c.decodeIfPresent(Bool.self, forKey: .countyRules) ?? d.countyRules
    }

    /// Why this scenario cannot run, or nil.
    public var problem: String? {
        if townships < 1 || schoolsPerTownship < 1 { return "a county needs at least one township with one school" }
        if teachersPerSchool < 2 { return "each school needs at least two teachers (colleagues sync with each other)" }
        if adminsPerSchool < 1 { return "each school needs a school admin (the roster is imported by one)" }
        if liaisonsPerSchool < 0 || childrenPerSchool < 1 || days < 1 || transfersPerDay < 0 { return "counts must be positive" }
        if countyRules && (days < 38 || transfersPerDay > 0) {
            return "countyRules needs 38 days (all of December) and no transfers (its report oracle reads each school's own changes)"
        }
        for (label, p) in [("writesPerHour", writesPerHour), ("lunchSync", lunchSync), ("relayEvening", relayEvening),
                           ("cutChance", cutChance), ("districtNightly", districtNightly),
                           ("crashChance", faults.crashChance), ("relayKillChance", faults.relayKillChance)]
        where !(0...1).contains(p) { return "\(label) must be a chance between 0 and 1" }
        if faults.lostDeviceDay >= days || faults.maliciousDay > days || faults.faultyRelayTo > days || faults.partitionTo >= days {
            return "fault days must fall within the run (a lost phone is revoked the next day, a partition heals before the last day)"
        }
        if faults.faultyRelayFrom > faults.faultyRelayTo || faults.partitionFrom > faults.partitionTo {
            return "a fault's first day must come before its last"
        }
        if faults.lostDeviceDay > 0 && faults.lostDeviceDay == faults.maliciousDay && teachersPerSchool < 3 {
            return "a lost and a malicious device on the same day need three teachers"
        }
        return nil
    }

    public var schools: Int { townships * schoolsPerTownship }

    /// Township `t` of a sharded county as a scenario of its own.
    public func shard(_ t: Int) -> Scenario {
        var s = self
        s.name = "\(name) township \(t)"
        s.townships = 1
        s.firstTownship = t
        s.shardByTownship = false
        return s
    }

    /// The same county over `n` school days, its fault days moved in proportion.
    public func lasting(_ n: Int) -> Scenario {
        var s = self
        s.days = n
        func scale(_ d: Int) -> Int { d == 0 ? 0 : max(1, Int((Double(d) * Double(n) / Double(days)).rounded())) }
        s.faults.lostDeviceDay = min(scale(faults.lostDeviceDay), n - 1)
        s.faults.maliciousDay = min(scale(faults.maliciousDay), n)
        s.faults.faultyRelayFrom = min(scale(faults.faultyRelayFrom), n)
        s.faults.faultyRelayTo = min(max(scale(faults.faultyRelayTo), s.faults.faultyRelayFrom), n)
        s.faults.partitionFrom = min(scale(faults.partitionFrom), n - 1)
        s.faults.partitionTo = min(max(scale(faults.partitionTo), s.faults.partitionFrom), n - 1)
        return s
    }

    /// The seed township `t` of a sharded run uses.
    public static func shardSeed(_ seed: UInt64, township t: Int) -> UInt64 { seed &* 1_000 &+ UInt64(t) }

    /// Two townships of two schools for twelve school days, every fault switched on: what CI sweeps over many seeds.
    public static let small: Scenario = {
        var s = Scenario()
        s.name = "small"
        s.townships = 2
        s.schoolsPerTownship = 2
        s.days = 12
        return s
    }()

    /// The district of the issue: 12 townships × 8 schools, ~62 devices per school (5,952),
    /// 1,250 children per school (120,000), one semester of 90 school days.
    public static let district: Scenario = {
        var s = Scenario()
        s.name = "district"
        s.townships = 12
        s.schoolsPerTownship = 8
        s.teachersPerSchool = 56
        s.liaisonsPerSchool = 4
        s.adminsPerSchool = 2
        s.childrenPerSchool = 1_250
        s.days = 90
        s.writesPerHour = 0.03
        s.lunchSync = 0.2
        s.relayEvening = 0.3
        // Tong'an: 3,319 transfers in over nine months, about 1.5 per township and school day.
        s.transfersPerDay = 1.5
        s.faults.lostDeviceDay = 20
        s.faults.maliciousDay = 30
        s.faults.faultyRelayFrom = 10
        s.faults.faultyRelayTo = 14
        s.faults.partitionFrom = 40
        s.faults.partitionTo = 44
        s.faults.skewedDevices = 2
        s.shardByTownship = true
        return s
    }()

    /// Issue 21's county month: two townships as two districts with their own policies, one changed
    /// mid-month, voids, a provisional child per school merged on day 20, and the November and
    /// December reports of every device compared with an oracle. Faults as in `small`.
    public static let county: Scenario = {
        var s = Scenario.small.lasting(38)
        s.name = "county"
        s.transfersPerDay = 0
        s.countyRules = true
        return s
    }()

    public static func named(_ name: String) -> Scenario? {
        switch name {
        case "small": .small
        case "county": .county
        case "district": .district
        default: nil
        }
    }
}
