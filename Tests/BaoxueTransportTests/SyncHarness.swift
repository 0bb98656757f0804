import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import Foundation

/// Two in-memory replicas with keys, policies that allow each other, and
/// helpers to run a session between them over a simulated link.
struct SyncPair {
    let keyA = Fixtures.key(0xA1)
    let keyB = Fixtures.key(0xB2)
    let a: ChangeLog
    let b: ChangeLog
    var policyA: SyncPolicy
    var policyB: SyncPolicy

    init() throws {
        a = try ChangeLog(inMemory: (), options: .init(merge: nil))
        b = try ChangeLog(inMemory: (), options: .init(merge: nil))
        policyA = SyncPolicy(grants: [keyB.publicKey: .allScopes])
        policyB = SyncPolicy(grants: [keyA.publicKey: .allScopes])
    }

    func endpoints(
        scopes: [String] = ["school-001"], limits: SyncLimits = SyncLimits(), now: UInt64 = 0
    ) throws -> (SyncEndpoint, SyncEndpoint) {
        let i = try SyncEndpoint.make(
            role: .initiator, key: keyA, store: a, policy: policyA,
            scopes: scopes.map { try! ScopeID($0) }, limits: limits, now: now)
        let r = try SyncEndpoint.make(role: .responder, key: keyB, store: b, policy: policyB, limits: limits, now: now)
        return (i, r)
    }

    func run(
        scopes: [String] = ["school-001"], conditions: LinkConditions = .perfect, limits: SyncLimits = SyncLimits()
    ) throws -> SimulatedLink.Report {
        var (i, r) = try endpoints(scopes: scopes, limits: limits)
        return SimulatedLink.run(initiator: &i, responder: &r, conditions: conditions)
    }

    static func ids(_ log: ChangeLog) throws -> Set<ChangeID> {
        Set(try log.entries(after: 0, limit: 1_000_000).map(\.change.id))
    }
}

extension Result {
    var failure: Failure? { if case .failure(let e) = self { e } else { nil } }
    var success: Success? { if case .success(let s) = self { s } else { nil } }
}

/// A lock with a closure API.
final class NSLockish: @unchecked Sendable {
    private let lock = NSLock()
    func run<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
