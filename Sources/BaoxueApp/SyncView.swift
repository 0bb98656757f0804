import BaoxueCore
import BaoxueSync

/// The result of one sync session as people and scripts see it.
public struct SyncView: Encodable, Equatable, Sendable {
    public let peerFingerprint: String
    public private(set) var scopes: [String]
    public private(set) var sent: Int
    public private(set) var received: Int
    public private(set) var bytesSent: Int
    public private(set) var bytesReceived: Int
    public private(set) var roundTrips: Int
    public private(set) var durationMs: UInt64
    /// Key grants this (admin) device wrote after the sync and sent in a second session (privacy.md §2(c)).
    public var keyRound: [KeyRoundAction] = []
    /// Why the peer stored none of this side's changes from some point on (`over_limit: disk_full`), if it did.
    public private(set) var refusedByPeer: String?
    /// This side's changes the peer did not store (they stay here and go another time).
    public private(set) var notSent: Int
    /// This device's own revocation is in its log now: its keys and views were wiped.
    public var thisDeviceRevoked = false

    public init(_ s: SyncSummary) {
        peerFingerprint = s.peer?.fingerprint.text ?? "-"
        scopes = s.scopes.map(\.value)
        sent = s.sentChanges
        received = s.receivedChanges
        bytesSent = s.bytesSent
        bytesReceived = s.bytesReceived
        roundTrips = s.roundTrips
        durationMs = s.durationMs
        refusedByPeer = s.refusedByPeer
        notSent = s.notSent
    }

    /// This sync and the one that followed it at once (for the scopes the first taught): one summary.
    func followed(by next: SyncView) -> SyncView {
        var both = self
        both.scopes = Array(Set(scopes + next.scopes)).sorted()
        both.sent += next.sent
        both.received += next.received
        both.bytesSent += next.bytesSent
        both.bytesReceived += next.bytesReceived
        both.roundTrips += next.roundTrips
        both.durationMs += next.durationMs
        // The later session offered everything again: what it left unsent is what stays here.
        both.refusedByPeer = next.refusedByPeer
        both.notSent = next.notSent
        both.thisDeviceRevoked = next.thisDeviceRevoked
        return both
    }

    /// The summary printed at the end of a sync (and a line per key grant written after it).
    public func text(_ l: Language) -> String {
        ([line(l)] + warnings(l) + keyRound.map { $0.text(l) }).joined(separator: "\n")
    }

    /// What the user must know beyond the counts: changes the peer would not store, a wipe.
    private func warnings(_ l: Language) -> [String] {
        var lines: [String] = []
        if let refusedByPeer {
            let cause =
                refusedByPeer.hasSuffix("disk_full")
                ? l.say(SyncMessages.peersStorageIsFull)
                : refusedByPeer.hasSuffix("revoked") ? l.say(SyncMessages.thisDeviceIsRevoked) : refusedByPeer
            lines.append(
                l.say(SyncMessages.noteChangesOfThisDevice, cause, notSent))
        }
        if thisDeviceRevoked {
            lines.append(
                l.say(SyncMessages.thisDeviceWasRevokedBy))
        }
        return lines
    }

    private func line(_ l: Language) -> String {
        let seconds = String(format: "%.1f", Double(durationMs) / 1000)
        return l.say(
            SyncMessages.syncDonePeerSentReceived, peerFingerprint, sent, received, Self.size(bytesSent), Self.size(bytesReceived),
            roundTrips, seconds)
    }

    static func size(_ bytes: Int) -> String {
        bytes < 10_000 ? "\(bytes) B" : bytes < 10_000_000 ? "\(bytes / 1024) KiB" : "\(bytes >> 20) MiB"
    }

}
