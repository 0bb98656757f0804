import BaoxueCore
import BaoxueLog
import BaoxuePostgres
import BaoxueTesting
import BaoxueTrust
import PostgresNIO
import Testing

/// The trust gate on PostgreSQL: every trust conformance scenario ends as over memory, and two
/// relay processes (two copies of the trust tables) decide as one: what one learns, the other's next
/// append reads, even when both append at the same moment.
@Suite(.serialized) struct PostgresTrustTests {
    @Test func everyScenarioEndsAsInMemory() async throws {
        try await PostgresCluster.with { cluster in
            for (n, scenario) in try TrustConformance.scenarios().enumerated() {
                let reference = try TrustConformance.run(scenario)
                let outcome = try await withLog(on: cluster, database: "trust\(n)") { log in
                    let trust = PostgresTrust(authority: TrustConformance.authority.publicKey)
                    for batch in scenario.batches { _ = try await log.append(batch.changes, trust: trust, now: batch.now) }
                    return try await standings(of: scenario.arrivals, in: log)
                }
                #expect(outcome == reference, "\(scenario.name): \(outcome)")
            }
        }
    }

    /// Process B has never read the trust tables when process A stores a certificate: B's next
    /// append reads it in its own transaction, so the author's visits apply on B too. Then A stores
    /// a revocation, and B refuses the author's later visit as revoked.
    @Test func aSecondProcessDecidesWithWhatTheFirstLearnt() async throws {
        let scenario = try #require(try TrustConformance.scenarios().first { $0.name.hasPrefix("a revocation quarantines") })
        let cert = scenario.arrivals[0]
        let (v1, v2, late) = (scenario.arrivals[1], scenario.arrivals[2], scenario.arrivals[3])
        let revocation = scenario.arrivals[4]
        try await PostgresCluster.with { cluster in
            let outcome = try await withLog(on: cluster, database: "two") { log in
                let a = PostgresTrust(authority: TrustConformance.authority.publicKey)
                let b = PostgresTrust(authority: TrustConformance.authority.publicKey)
                _ = try await log.append([cert], trust: a, now: TrustConformance.now)
                let first = try await log.append([v1, v2], trust: b, now: TrustConformance.now)
                #expect(first == [.stored(.applied), .stored(.applied)])
                #expect(b.current.epoch == a.current.epoch && b.current.epoch > 0)
                _ = try await log.append([revocation], trust: a, now: TrustConformance.now)
                let second = try await log.append([late], trust: b, now: TrustConformance.now)
                #expect(second == [.stored(.quarantined)])
                return try await standings(of: [cert, v1, v2, late, revocation], in: log)
            }
            #expect(outcome[late.id] == TrustConformance.Standing(.quarantined, "revoked"))
            #expect(outcome[v2.id] == .applied)
        }
    }

    /// A certificate through one process and its author's visits through the other, at the same
    /// moment, 12 times: whichever commits first, the visits end applied (SERIALIZABLE reruns the
    /// loser, which then sees the winner's facts), never quarantined for good.
    @Test func aCertificateAndItsAuthorsVisitsAtTwoProcessesAtOnce() async throws {
        let scenario = try #require(try TrustConformance.scenarios().first { $0.name.hasPrefix("visits before their author") })
        let cert = scenario.arrivals.first { $0.scope == .admin }!
        let visits = scenario.arrivals.filter { $0.scope != .admin }
        try await PostgresCluster.with { cluster in
            for round in 0..<12 {
                let outcome = try await withLog(on: cluster, database: "race\(round)") { log in
                    let a = PostgresTrust(authority: TrustConformance.authority.publicKey)
                    let b = PostgresTrust(authority: TrustConformance.authority.publicKey)
                    async let left = log.append([cert], trust: a, now: TrustConformance.now)
                    async let right = log.append(visits, trust: b, now: TrustConformance.now)
                    _ = try await (left, right)
                    return try await standings(of: scenario.arrivals, in: log)
                }
                #expect(outcome == scenario.expected, "round \(round): \(outcome)")
            }
        }
    }
}

extension PostgresTrustTests {
    /// A district's certificates in one batch (an enrollment, a first upstream sync): each one
    /// learnt makes the rules read who waits on its key, read ahead for the whole batch. Found by the
    /// relay bench: one read per certificate ran the rules again each time and gave up after 256.
    @Test func threeHundredCertificatesInOneBatchApply() async throws {
        let authority = TrustConformance.authority
        let carrier = Fixtures.key(0xC1)
        let now = TrustConformance.now
        let changes = try (0..<300).map { i in
            let cert = try Certificate.issue(
                by: authority, subject: DeviceKey.generate().publicKey, role: .teacher, validFrom: now - 86_400_000,
                validUntil: now + 86_400_000, name: "教师\(i)", scopes: [try ScopeID("丰南区/东镇/示例小学")])
            return try Change.sign(
                by: carrier, seq: UInt64(i + 1), timestamp: try HLCTimestamp(milliseconds: now - 1_000 + UInt64(i), counter: 0),
                scope: .admin, deps: [], payload: AdminPayload.certificate(cert).encoded)
        }
        try await PostgresCluster.with { cluster in
            let verdicts = try await withLog(on: cluster, database: "enrollment") { log in
                try await log.append(changes, trust: PostgresTrust(authority: authority.publicKey), now: now)
            }
            #expect(verdicts == Array(repeating: .stored(.applied), count: changes.count))
        }
    }
}

/// Each stored change's state and quarantine reason as PostgreSQL holds them.
private func standings(of changes: [Change], in log: PostgresLog) async throws -> [ChangeID: TrustConformance.Standing] {
    var out: [ChangeID: TrustConformance.Standing] = [:]
    let rows = try await log.client.query(
        """
        SELECT c.id, c.state, q.reason FROM log_change c LEFT JOIN log_quarantine q ON q.position = c.position
        WHERE c.id = ANY(\(changes.map { ByteBuffer(bytes: $0.id.bytes) }))
        """, logger: log.logger)
    for try await (id, state, reason) in rows.decode((ByteBuffer, Int16, String?).self) {
        let state = try #require(ChangeState(rawValue: Int(state)))
        out[try ChangeID(bytes: Array(id.readableBytesView))] = TrustConformance.Standing(state, state == .quarantined ? reason : nil)
    }
    return out
}
