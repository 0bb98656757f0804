import BaoxueSync
import Foundation

/// The user-facing wording of sync failures, in both languages: the cause and what to do.
enum SyncText {
    static func error(_ e: SyncError, _ l: Language) -> String {
        switch e {
        case .unsupportedVersion:
            return l.say(SyncMessages.peerSpeaksAnotherSyncProtocol)
        case .frameTooLarge(let length, let limit):
            return l.say(SyncMessages.peerSentOversizeMessageBytes, length, limit)
        case .malformed(let why):
            return l.say(SyncMessages.peerSentMalformedDataDisconnected, why)
        case .handshakeFailed:
            return l.say(SyncMessages.secureHandshakeFailedPeerCould)
        case .decryptFailed:
            return l.say(SyncMessages.receivedDataThatDoesNot)
        case .peerNotAllowed(let key):
            return l.say(SyncMessages.peerDeviceFingerprintIsNot, key.fingerprint.text)
        case .revoked(let key):
            return l.say(SyncMessages.peerDeviceFingerprintWasRevoked, key.fingerprint.text)
        case .keyMismatch:
            return l.say(SyncMessages.peersClaimedDeviceKeyDoes)
        case .unexpectedMessage(let type):
            return l.say(SyncMessages.peerSentMessageOutOf, type)
        case .unsolicitedChange:
            return l.say(SyncMessages.peerSentChangesThatWere)
        case .invalidChange(let why):
            return l.say(SyncMessages.peerSentInvalidChangeWhole, why)
        case .windowExceeded:
            return l.say(SyncMessages.peerKeptSendingWithoutWaiting)
        case .tooManyRounds:
            return l.say(SyncMessages.reconciliationTookTooManyRounds)
        case .handshakeTimeout:
            return l.say(SyncMessages.handshakeTimedOutPeerDid)
        case .idleTimeout:
            return l.say(SyncMessages.connectionWentSilentDisconnectedAcknowledged)
        case .peerAborted(6, let reason) where reason.contains("revoked"):
            return l.say(SyncMessages.thisDevicesCertificateWasRevoked)
        case .peerAborted(6, _):
            return l.say(SyncMessages.peerHasNotAllowedThis)
        case .overLimit(let which):
            return l.say(SyncMessages.peerWentOverThisSides, which)
        case .deskRefused(let why):
            return desk(why, l)
        case .peerAborted(20, let reason):
            return desk(String(reason.drop { $0 != ":" }.dropFirst()).trimmingCharacters(in: .whitespaces), l)
        case .peerAborted(19, let reason) where reason.contains("enrollment_"):
            return l.say(EnrollmentMessages.desksFull, reason)
        case .peerAborted(19, let reason):
            return l.say(SyncMessages.relaysLimitWasReachedAcknowledged, reason)
        case .peerAborted(let code, let reason):
            return l.say(SyncMessages.peerEndedSync, code, reason)
        case .connectionClosed:
            return l.say(SyncMessages.connectionDroppedAcknowledgedChangesAre)
        case .store(let why):
            return l.say(SyncMessages.localReplicaFailedCheckDisk, why)
        case .cannotListen(let address, true):
            return l.say(SyncMessages.portIsInUseAnother, address)
        case .cannotListen(let address, false):
            return l.say(SyncMessages.cannotListenOnCheckThat, address)
        case .unreachable(let address):
            return l.say(SyncMessages.cannotReachCheckThatPeer, address)
        }
    }

    /// Why the relay's enrollment desk refused (sync.md §3.1), in the user's words.
    static func desk(_ why: String, _ l: Language) -> String {
        switch why {
        case "not_an_admin": l.say(EnrollmentMessages.deskNotAdmin)
        case "no_such_request": l.say(EnrollmentMessages.deskNoSuchRequest)
        case "outside_your_scopes": l.say(EnrollmentMessages.deskOutsideScopes)
        case "request_not_for_this_key": l.say(EnrollmentMessages.deskNotThisKey)
        case _ where why.hasPrefix("certificate_refused"):
            l.say(
                EnrollmentMessages.deskCertificateRefused,
                String(why.dropFirst("certificate_refused".count).drop { $0 == ":" || $0 == " " }))
        default: l.say(EnrollmentMessages.deskRefusedOther, why)
        }
    }
}
