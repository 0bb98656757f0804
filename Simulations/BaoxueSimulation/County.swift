import BaoxueCore
import BaoxueRecords
import BaoxueSodium
import BaoxueStore
import BaoxueTrust
import Foundation

/// The simulated county: an authority (the district education bureau), a
/// district relay, a relay per township, and in every school its teachers,
/// village liaisons and school admins — each a real replica with a real key
/// and a certificate issued by the authority, its own certificate its first
/// change (as `enroll accept` does it).
///
/// Invariant: node indices never change; a node's log is replaced only when
/// the node restarts from its file (a crash, a relay kill).
struct County {
    /// One replica and who holds it.
    struct Node {
        enum Kind: String { case teacher, liaison, admin, townshipAdmin, townshipRelay, districtRelay }
        let kind: Kind
        let key: DeviceKey
        let certificate: Certificate
        var log: ChangeLog
        /// Nil for relays.
        let school: Int?
        /// -1 for the district relay.
        let township: Int
        /// The record scopes it syncs (besides `_admin`).
        let scopes: [ScopeID]
        /// Its SQLite file when it can crash and restart (relays, the crash-prone device); nil in memory.
        let path: String?
        var isRelay: Bool { kind == .townshipRelay || kind == .districtRelay }
    }

    let authority: DeviceKey
    var nodes: [Node] = []
    let schoolScopes: [ScopeID]
    let district: ScopeID
    let start: UInt64
    /// Per school: the children of its roster.
    let children: [[RecordID]]
    /// Node indices.
    var districtRelay = 0
    var townshipRelays: [Int] = []
    var townshipAdmins: [Int] = []
    var crashProne: [Int] = []
    let folder: String
    /// Devices refuse to write a record in clear (the scenario is encrypted).
    var sealRequired = false
    /// Per node: the deterministic stream its scope keys and nonces come from (a run replays from its seed).
    var randomness: [RandomSource] = []
    /// Signature checks already made by some replica of this county: every replica verifies every
    /// change and certificate it receives, but libsodium runs once per distinct signature (see Simulations/README).
    let signatureMemo = SignatureMemo()
    /// Certificates some replica of this county already decoded (every device stores the township's).
    let decodedCertificates = DecodedCertificates()

    /// The name of township `t`; `first` numbers a shard's townships after those of earlier shards.
    static func township(_ t: Int, first: Int = 0) -> String { "模拟县/乡镇\(first + t)" }

    init(_ scenario: Scenario, seed: UInt64, clock: SimClock) throws {
        func key(_ label: String) throws -> DeviceKey {
            try DeviceKey(seed: Blake2b.hash(Array("sim-\(seed)-\(label)".utf8), length: 32))
        }
        var rng = SeededGenerator(seed: seed ^ 0x5EED_C0DE)
        start = clock.ms
        authority = try key("authority")
        district = try ScopeID("模拟县")
        schoolScopes = try (0..<scenario.schools).map { s in
            try ScopeID(
                "\(Self.township(s / scenario.schoolsPerTownship, first: scenario.firstTownship))/学校\(s % scenario.schoolsPerTownship)")
        }
        children = (0..<scenario.schools).map { s in
            (0..<scenario.childrenPerSchool).map { RecordID.derived("sim-\(seed)-school\(s)-child\($0)") }
        }
        folder =
            NSTemporaryDirectory() + "baoxue-sim-\(ProcessInfo.processInfo.processIdentifier)-\(seed)-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

        let authority = self.authority
        let start = self.start
        let memo = signatureMemo
        let decoded = decodedCertificates
        sealRequired = scenario.encrypted
        func add(
            _ kind: Node.Kind, _ label: String, name: String, role: Role, certScopes: [ScopeID], syncs: [ScopeID],
            school: Int?, township: Int, onFile: Bool = false
        ) throws -> Int {
            let k = try key(label)
            let cert = try Certificate.issue(
                by: authority, subject: k.publicKey, role: role, validFrom: start - 86_400_000,
                validUntil: start + 400 * 86_400_000, name: name, scopes: certScopes)
            let path = onFile ? folder + "/\(label).sqlite" : nil
            let isRelay = kind == .townshipRelay || kind == .districtRelay
            randomness.append(SeededBytes.source(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(nodes.count)))
            let log = try Self.open(
                path: path, relay: isRelay ? k : nil, reader: isRelay ? nil : k, sealRequired: scenario.encrypted && !isRelay,
                random: randomness[nodes.count],
                authority: authority.publicKey, clock: clock, node: nodes.count, memo: memo, decoded: decoded)
            _ = try log.appendAuthored(by: k, scope: .admin, payload: AdminPayload.certificate(cert).encoded, now: clock.ms)
            nodes.append(
                Node(kind: kind, key: k, certificate: cert, log: log, school: school, township: township, scopes: syncs, path: path))
            return nodes.count - 1
        }

        districtRelay = try add(
            .districtRelay, "district-relay", name: "县中继", role: .relay, certScopes: [district],
            syncs: schoolScopes, school: nil, township: -1, onFile: true)
        for t in 0..<scenario.townships {
            let own = (0..<scenario.schoolsPerTownship).map { schoolScopes[t * scenario.schoolsPerTownship + $0] }
            townshipRelays.append(
                try add(
                    .townshipRelay, "relay-t\(t)", name: "乡镇\(t)中继", role: .relay,
                    certScopes: [try ScopeID(Self.township(t, first: scenario.firstTownship))], syncs: own, school: nil, township: t,
                    onFile: true))
        }
        for s in 0..<scenario.schools {
            let t = s / scenario.schoolsPerTownship
            let scope = schoolScopes[s]
            for a in 0..<scenario.adminsPerSchool {
                _ = try add(
                    .admin, "s\(s)a\(a)", name: "管理员\(s)-\(a)", role: .schoolAdmin, certScopes: [scope], syncs: [scope], school: s,
                    township: t)
            }
            for i in 0..<scenario.teachersPerSchool {
                // The first teacher of each township's first school is the one whose phone crashes (kept on file).
                let crashy = s % scenario.schoolsPerTownship == 0 && i == 0
                let index = try add(
                    .teacher, "s\(s)t\(i)", name: "教师\(s)-\(i)", role: .teacher, certScopes: [scope], syncs: [scope],
                    school: s, township: t, onFile: crashy)
                if crashy { crashProne.append(index) }
            }
            for l in 0..<scenario.liaisonsPerSchool {
                // A liaison's certificate covers the township; it syncs the school whose villages it serves.
                _ = try add(
                    .liaison, "s\(s)l\(l)", name: "联络员\(s)-\(l)", role: .liaison,
                    certScopes: [try ScopeID(Self.township(t, first: scenario.firstTownship))],
                    syncs: [scope], school: s, township: t)
            }
        }
        // Each township's central school (中心校) admin: a district-admin certificate for the township,
        // syncing all its schools; it writes the township's transfers.
        for t in 0..<scenario.townships {
            let own = (0..<scenario.schoolsPerTownship).map { schoolScopes[t * scenario.schoolsPerTownship + $0] }
            townshipAdmins.append(
                try add(
                    .townshipAdmin, "t\(t)admin", name: "中心校\(t)", role: .districtAdmin,
                    certScopes: [try ScopeID(Self.township(t, first: scenario.firstTownship))], syncs: own, school: nil, township: t))
        }
        // Skewed clocks, drawn among the teachers that are not crash-prone.
        let candidates = nodes.indices.filter { nodes[$0].kind == .teacher && !crashProne.contains($0) }
        for i in candidates.shuffled(using: &rng).prefix(scenario.faults.skewedDevices) {
            let hours = Double.random(in: -scenario.faults.maxSkewHours...scenario.faults.maxSkewHours, using: &rng)
            clock.skews[i] = Int64(hours * 3_600_000)
        }
        // The district bureau issued every certificate: its relay knows them all from the start, so the
        // district link carries school scopes only (`_admin` stays within each township).
        for n in nodes where n.kind != .districtRelay {
            _ = try nodes[districtRelay].log.appendAuthored(
                by: nodes[districtRelay].key, scope: .admin,
                payload: AdminPayload.certificate(n.certificate).encoded, now: clock.ms)
        }
    }

    /// A replica's log: in memory or on file, with record views unless it is a relay (which witnesses instead).
    /// `reader`: the device key grants are sealed to (devices; relays read nothing).
    static func open(
        path: String?, relay: DeviceKey?, reader: DeviceKey?, sealRequired: Bool, random: RandomSource,
        authority: PublicKey, clock: SimClock, node: Int, memo: SignatureMemo, decoded: DecodedCertificates
    ) throws -> ChangeLog {
        let now: @Sendable () -> UInt64 = { clock.now(node: node) }
        let merge: RecordMerge? = relay == nil ? RecordMerge() : nil
        if let path {
            return try ChangeLog(
                path: path,
                options: .init(merge: merge, authority: authority, clock: now, witness: relay, reader: reader, sealRequired: sealRequired),
                hooks: .init(random: random, signatureMemo: memo, decodedCertificates: decoded))
        }
        return try ChangeLog(
            inMemory: (),
            options: .init(merge: merge, authority: authority, clock: now, witness: relay, reader: reader, sealRequired: sealRequired),
            hooks: .init(random: random, signatureMemo: memo, decodedCertificates: decoded))
    }

    /// Restarts node `i` from its file: the old connection is dropped as a killed process's would be.
    mutating func restart(_ i: Int, clock: SimClock) throws {
        guard let path = nodes[i].path else { return }
        nodes[i].log = try Self.open(
            path: path, relay: nodes[i].isRelay ? nodes[i].key : nil, reader: nodes[i].isRelay ? nil : nodes[i].key,
            sealRequired: sealRequired && !nodes[i].isRelay, random: randomness[i],
            authority: authority.publicKey,
            clock: clock, node: i, memo: signatureMemo, decoded: decodedCertificates)
    }

    /// Indices of the devices (not relays) of school `s`.
    func devices(of s: Int) -> [Int] { nodes.indices.filter { nodes[$0].school == s } }

    func removeFiles() { try? FileManager.default.removeItem(atPath: folder) }
}

/// Simulated wall-clock time (ms since the epoch), shared by every replica of a run,
/// and how far each node's own clock is off.
final class SimClock: @unchecked Sendable {
    var ms: UInt64 = 1_764_000_000_000
    /// Per node index, ms either way; absent is right.
    var skews: [Int: Int64] = [:]
    /// The time on node `node`'s clock.
    func now(node: Int) -> UInt64 { UInt64(Int64(ms) + (skews[node] ?? 0)) }
}

/// A deterministic byte stream for one node's keys and nonces: BLAKE2b of a seed and a counter.
/// Never for real keys — only so that a simulated run replays byte for byte.
final class SeededBytes: @unchecked Sendable {
    private let seed: [UInt8]
    private var counter: UInt64 = 0
    private let lock = NSLock()

    private init(seed: UInt64) { self.seed = withUnsafeBytes(of: seed.bigEndian) { Array($0) } }

    static func source(seed: UInt64) -> RandomSource {
        let stream = SeededBytes(seed: seed)
        return RandomSource { stream.next($0) }
    }

    func next(_ n: Int) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        var out: [UInt8] = []
        while out.count < n {
            counter += 1
            out += Blake2b.hash(seed + withUnsafeBytes(of: counter.bigEndian) { Array($0) }, length: 64)
        }
        return Array(out.prefix(n))
    }
}
