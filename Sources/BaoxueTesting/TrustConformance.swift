import BaoxueCore
import BaoxueLog
import BaoxueRecords
import BaoxueStore
import BaoxueTrust
import Synchronization

/// The conformance suite of the trust gate's storages: scenarios under a pinned authority (a change
/// before its author's certificate, a certificate before its issuer's delegation, a revocation
/// arriving before and after what it sweeps, a clock from the future released by time or by a
/// ruling), each run through `LogRules.append(_:to:gate:now:)` over any `LogStorage` and
/// `TrustStorage`. Memory is the reference; a replica on SQLite and a cluster on PostgreSQL must
/// end every scenario in the same states and reasons.
public enum TrustConformance {
    /// One scenario: batches appended in order, each at its local time (ms), and the final state
    /// and quarantine reason code each change must reach.
    public struct Scenario: Sendable, CustomStringConvertible {
        public let name: String
        public let batches: [(changes: [Change], now: UInt64)]
        public let expected: [ChangeID: Standing]
        public var description: String { name }
        /// Every change the scenario appends, in order (a change may come twice).
        public var arrivals: [Change] { batches.flatMap(\.changes) }
    }

    /// A change's state, with its quarantine reason's code when quarantined.
    public struct Standing: Sendable, Hashable, CustomStringConvertible {
        public let state: ChangeState
        public let reason: String?
        public init(_ state: ChangeState, _ reason: String? = nil) {
            self.state = state
            self.reason = reason
        }
        public var description: String { reason.map { "\(state)(\($0))" } ?? "\(state)" }
        public static let applied = Standing(.applied)
    }

    /// The pinned authority of every scenario.
    public static let authority = Fixtures.key(0xA1)
    static let t0: UInt64 = 1_764_000_000_000
    static let day: UInt64 = 86_400_000
    /// Local time of most batches: a day after the certificates start.
    public static let now = t0 + 2 * day

    /// Runs `scenario` over memory directly: the reference outcome.
    public static func run(_ scenario: Scenario) throws -> [ChangeID: Standing] {
        var log = LogMemory()
        var gate = try TrustGate(authority: authority.publicKey, storage: TrustBook())
        for batch in scenario.batches { _ = try LogRules.append(batch.changes, to: &log, gate: &gate, now: batch.now) }
        var out: [ChangeID: Standing] = [:]
        for change in scenario.arrivals {
            guard let standing = try log.standing(of: change.id) else { continue }
            out[change.id] = Standing(standing.state, standing.reason?.code)
        }
        return out
    }

    /// Runs `scenario` through a replica's own append on SQLite (`ChangeLog`, authority pinned, its
    /// clock set to each batch's time): the host that adds views, keys and heads to the same rules.
    public static func runOnSQLite(_ scenario: Scenario) throws -> [ChangeID: Standing] {
        let clock = Mutex(now)
        let log = try ChangeLog(
            inMemory: (), options: .init(merge: nil, authority: authority.publicKey, clock: { clock.withLock { $0 } }))
        for batch in scenario.batches {
            clock.withLock { $0 = batch.now }
            _ = try log.append(batch.changes)
        }
        let reasons = Dictionary(try log.quarantined().map { ($0.id, $0.reason) }, uniquingKeysWith: { a, _ in a })
        var out: [ChangeID: Standing] = [:]
        for change in scenario.arrivals {
            guard let state = try log.state(of: change.id) else { continue }
            out[change.id] = Standing(state, state == .quarantined ? reasons[change.id] : nil)
        }
        return out
    }

    /// Every scenario, built from fixed keys (the same changes on every run).
    public static func scenarios() throws -> [Scenario] {
        let school = try ScopeID("丰南区/东镇/示例小学")
        let teacher = Fixtures.key(0xB1)
        let delegate = Fixtures.key(0xB2)
        let districtAdmin = Fixtures.key(0xB3)
        let carrier = Fixtures.key(0xB4)
        let colleague = Fixtures.key(0xB5)
        func certificate(_ subject: DeviceKey, _ role: Role, by issuer: DeviceKey = authority, mayIssue: Bool = false) throws -> Certificate
        {
            try Certificate.issue(
                by: issuer, subject: subject.publicKey, role: role, mayIssue: mayIssue, validFrom: t0, validUntil: t0 + 365 * day,
                name: "张老师", scopes: [role == .districtAdmin ? try ScopeID("丰南区") : school])
        }
        func adminChange(_ payload: AdminPayload, by key: DeviceKey, seq: UInt64, at ms: UInt64) throws -> Change {
            try Change.sign(
                by: key, seq: seq, timestamp: try HLCTimestamp(milliseconds: ms, counter: 0), scope: .admin, deps: [],
                payload: payload.encoded)
        }
        func visit(by key: DeviceKey, seq: UInt64, at ms: UInt64, deps: [ChangeID] = [], tag: String = "") throws -> Change {
            let payload = try RecordPayload(ops: [
                .event(
                    Event(
                        child: RecordID.derived("c\(seq)\(tag)"), date: try SimpleDate(year: 2025, month: 11, day: 24),
                        body: .visit(Visit(participants: ["张老师"], householdFound: true, childSeen: true, spokeTo: "母亲", agreed: "返校"))))
            ]).encoded()
            return try Change.sign(
                by: key, seq: seq, timestamp: try HLCTimestamp(milliseconds: ms, counter: 0), scope: school, deps: deps, payload: payload)
        }
        let teacherCert = try adminChange(.certificate(try certificate(teacher, .teacher)), by: carrier, seq: 1, at: t0 + day)
        let v1 = try visit(by: teacher, seq: 1, at: t0 + day + 1_000)
        let v2 = try visit(by: teacher, seq: 2, at: t0 + day + 2_000, deps: [v1.id])
        let delegation = try adminChange(
            .certificate(try certificate(delegate, .schoolAdmin, mayIssue: true)), by: carrier, seq: 2, at: t0 + day + 10)
        let delegated = try adminChange(
            .certificate(try certificate(teacher, .teacher, by: delegate)), by: carrier, seq: 3, at: t0 + day + 20)
        let revokedAt = t0 + day + 5_000
        let revocation = try adminChange(
            .revocation(try Revocation.issue(by: authority, subject: teacher.publicKey, revokedAt: revokedAt, reason: "手机丢失")),
            by: carrier, seq: 4, at: t0 + day + 6_000)
        let late = try visit(by: teacher, seq: 3, at: revokedAt + 1_000, deps: [v2.id])
        let ahead = try visit(by: teacher, seq: 4, at: now + 3 * day, deps: [v2.id])
        let adminCert = try adminChange(
            .certificate(try certificate(districtAdmin, .districtAdmin)), by: carrier, seq: 5, at: t0 + day + 30)
        let ruling = try adminChange(.ruling(Ruling(kind: .acceptClock, target: ahead.id)), by: districtAdmin, seq: 1, at: t0 + day + 40)
        let forged = try adminChange(
            .revocation(try Revocation.issue(by: districtAdmin, subject: teacher.publicKey, revokedAt: t0, reason: "冒充")),
            by: carrier, seq: 6, at: t0 + day + 50)
        let fork = try visit(by: teacher, seq: 2, at: t0 + day + 2_500, deps: [v1.id], tag: "另一份")
        let v3 = try visit(by: teacher, seq: 3, at: t0 + day + 3_000, deps: [v2.id])
        let uphold = try adminChange(.ruling(Ruling(kind: .uphold, target: v2.id)), by: districtAdmin, seq: 2, at: t0 + day + 60)
        // A colleague's visit built on v2, the half an equivocation puts in doubt and a ruling upholds.
        let colleagueCert = try adminChange(.certificate(try certificate(colleague, .teacher)), by: carrier, seq: 7, at: t0 + day + 70)
        let built = try visit(by: colleague, seq: 1, at: t0 + day + 2_200, deps: [v2.id], tag: "同事")
        let noCert = Standing(.quarantined, "no_certificate")
        return [
            Scenario(
                name: "visits before their author's certificate wait for it", batches: [([v2, v1], now), ([teacherCert], now)],
                expected: [v1.id: .applied, v2.id: .applied, teacherCert.id: .applied]),
            Scenario(
                name: "without a certificate, visits stay quarantined", batches: [([v1, v2], now)],
                expected: [v1.id: noCert, v2.id: noCert]),
            Scenario(
                name: "a certificate waits for its issuer's delegation", batches: [([delegated, v1], now), ([delegation], now)],
                expected: [delegated.id: .applied, v1.id: .applied, delegation.id: .applied]),
            Scenario(
                name: "a revocation quarantines what is dated after it, also retroactively",
                batches: [([teacherCert, v1, v2, late], now), ([revocation], now)],
                expected: [
                    teacherCert.id: .applied, v1.id: .applied, v2.id: .applied, revocation.id: .applied,
                    late.id: Standing(.quarantined, "revoked"),
                ]),
            Scenario(
                name: "after a revocation, a later change is refused as revoked",
                batches: [([teacherCert, revocation, v1], now), ([late, v2], now)],
                expected: [
                    teacherCert.id: .applied, revocation.id: .applied, v1.id: .applied, v2.id: .applied,
                    late.id: Standing(.quarantined, "revoked"),
                ]),
            Scenario(
                name: "a revocation not issued by the authority is refused", batches: [([teacherCert, forged, v1], now)],
                expected: [teacherCert.id: .applied, forged.id: Standing(.quarantined, "unknown_issuer"), v1.id: .applied]),
            Scenario(
                name: "a clock from the future waits until local time catches up",
                batches: [([teacherCert, v1, v2, ahead], now), ([], now + 2 * day + 1)],
                expected: [teacherCert.id: .applied, v1.id: .applied, v2.id: .applied, ahead.id: .applied]),
            Scenario(
                name: "a clock from the future still waits a day later", batches: [([teacherCert, v1, v2, ahead], now), ([], now + day)],
                expected: [
                    teacherCert.id: .applied, v1.id: .applied, v2.id: .applied, ahead.id: Standing(.quarantined, "future_clock"),
                ]),
            Scenario(
                name: "a district admin's ruling accepts a clock from the future",
                batches: [([teacherCert, v1, v2, ahead], now), ([adminCert, ruling], now)],
                expected: [
                    teacherCert.id: .applied, v1.id: .applied, v2.id: .applied, ahead.id: .applied, adminCert.id: .applied,
                    ruling.id: .applied,
                ]),
            Scenario(
                name: "an equivocation holds its author", batches: [([teacherCert, v1, v2, fork, v3], now)],
                expected: [
                    teacherCert.id: .applied, v1.id: .applied, v2.id: Standing(.held), fork.id: Standing(.held), v3.id: Standing(.held),
                ]),
            Scenario(
                name: "a district admin upholds one half: the author goes on, the other half stays held",
                batches: [([teacherCert, v1, v2, fork, v3], now), ([adminCert, uphold], now)],
                expected: [
                    teacherCert.id: .applied, v1.id: .applied, v2.id: .applied, fork.id: Standing(.held), v3.id: .applied,
                    adminCert.id: .applied, uphold.id: .applied,
                ]),
            Scenario(
                name: "an equivocation takes back a colleague's visit built on it",
                batches: [([teacherCert, colleagueCert, v1, v2, built], now), ([fork], now)],
                expected: [
                    teacherCert.id: .applied, colleagueCert.id: .applied, v1.id: .applied, v2.id: Standing(.held),
                    built.id: Standing(.pending), fork.id: Standing(.held),
                ]),
            Scenario(
                name: "upholding the half a colleague built on applies the colleague's visit again",
                batches: [([teacherCert, colleagueCert, v1, v2, built], now), ([fork], now), ([adminCert, uphold], now)],
                expected: [
                    teacherCert.id: .applied, colleagueCert.id: .applied, v1.id: .applied, v2.id: .applied, built.id: .applied,
                    fork.id: Standing(.held), adminCert.id: .applied, uphold.id: .applied,
                ]),
            Scenario(
                name: "a ruling before its author's certificate waits, then releases",
                batches: [([teacherCert, v1, v2, ahead, ruling], now), ([adminCert], now)],
                expected: [
                    teacherCert.id: .applied, v1.id: .applied, v2.id: .applied, ahead.id: .applied, adminCert.id: .applied,
                    ruling.id: .applied,
                ]),
        ]
    }
}
