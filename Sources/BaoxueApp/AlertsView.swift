import BaoxueCore
import BaoxueStore

/// What needs a person's attention on this replica: equivocating devices,
/// holes in authors' sequences, quarantined changes.
public struct AlertsView: Encodable, Equatable, Sendable {
    public struct Equivocating: Encodable, Equatable, Sendable {
        public let device: String
        public let seq: UInt64
        public let first: String
        public let second: String
    }
    public struct Gap: Encodable, Equatable, Sendable {
        public let device: String
        public let scope: String
        public let missingFrom: UInt64
        public let waiting: Int
    }

    public let equivocations: [Equivocating]
    public struct Unwitnessed: Encodable, Equatable, Sendable {
        public let device: String
        public let revokedAt: UInt64
        public let changes: Int
    }

    public let gaps: [Gap]
    public let quarantined: Int
    /// Revoked devices with changes dated before the revocation that no relay witnessed in time.
    public let unwitnessed: [Unwitnessed]

    public func lines(_ l: Language) -> [String] {
        var out: [String] = []
        for e in equivocations {
            out.append(
                l.say(TrustMessages.deviceSignedTwoDifferentChanges, e.device, e.seq, e.first, e.second))
        }
        for g in gaps {
            out.append(
                l.say(TrustMessages.missingFromDeviceInSince, g.device, g.scope, g.missingFrom, g.waiting))
        }
        for u in unwitnessed {
            out.append(
                l.say(TrustMessages.revokedDeviceChangesDatedBefore, u.device, u.changes))
        }
        if quarantined > 0 {
            out.append(
                l.say(TrustMessages.changesQuarantinedRunBaoxueQuarantine, quarantined))
        }
        if out.isEmpty { out.append(l.say(TrustMessages.noAlerts)) }
        return out
    }
}

extension ReplicaCommands {
    public static func alerts(directory: String) throws(AppError) -> AlertsView { try alerts(try open(directory)) }

    static func alerts(_ replica: Replica) throws(AppError) -> AlertsView {
        let log = replica.log
        let equivocations = try attempt { () throws(StoreError) in try log.equivocations() }
        let gaps = try attempt { () throws(StoreError) in try log.sequenceGaps() }
        let quarantined = try attempt { () throws(StoreError) in try log.count(.quarantined) }
        let unwitnessed = try attempt { () throws(StoreError) in try log.unwitnessed() }
        return AlertsView(
            equivocations: equivocations.map {
                .init(device: $0.author.fingerprint.text, seq: $0.seq, first: $0.first.hex, second: $0.second.hex)
            },
            gaps: gaps.map {
                .init(device: $0.author.fingerprint.text, scope: $0.scope.value, missingFrom: $0.missingFrom, waiting: $0.waiting)
            },
            quarantined: quarantined,
            unwitnessed: unwitnessed.map { .init(device: $0.author.fingerprint.text, revokedAt: $0.revokedAt, changes: $0.changes.count) }
        )
    }
}
