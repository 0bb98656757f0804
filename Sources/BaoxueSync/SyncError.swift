import BaoxueCore

/// Why a sync session ended early, each case naming its cause.
///
/// Every case has a stable wire code (`code`), sent in an ABORT message so
/// the peer can tell its user why; `Protocol/sync.md` lists them.
public enum SyncError: Error, Equatable, Sendable {
    /// The peer's preamble names another protocol or version.
    case unsupportedVersion(peerPreamble: [UInt8])
    /// A length prefix over the hard maximum.
    case frameTooLarge(length: Int, limit: Int)
    /// Bytes that do not parse as the grammar says.
    case malformed(String)
    /// The handshake did not authenticate (tampered, replayed or wrong keys).
    case handshakeFailed
    /// A transport frame did not decrypt.
    case decryptFailed
    /// The peer's device key is not allowed to sync with this replica.
    case peerNotAllowed(PublicKey)
    /// The peer's device key was revoked: it is sent its revocation and nothing it sends is stored
    /// (sent as REFUSED `peer_not_allowed: revoked`, never as ABORT).
    case revoked(PublicKey)
    /// The Ed25519 key the peer named does not own its Noise static key.
    case keyMismatch
    /// A message that is not valid in the session's current state.
    case unexpectedMessage(type: UInt8)
    /// A change this side never asked for (or asked for and already got).
    case unsolicitedChange
    /// A change that failed to decode or verify; the batch was not stored.
    case invalidChange(String)
    /// The peer sent more unacknowledged batches than the window allows.
    case windowExceeded
    /// The reconciliation of one scope took more rounds than any honest peer needs.
    case tooManyRounds
    /// No handshake within the handshake timeout.
    case handshakeTimeout
    /// No complete frame from the peer within the idle timeout.
    case idleTimeout
    /// The peer ended the session with this code and reason.
    case peerAborted(code: UInt16, reason: String)
    /// The connection closed before the session finished.
    case connectionClosed
    /// The local store failed.
    case store(String)
    /// The peer could not be reached at all.
    case unreachable(String)
    /// This side could not listen on the address (`inUse`: another program holds the port). Local only.
    case cannotListen(address: String, inUse: Bool)
    /// The peer went over one of this side's limits (named: `connections`,
    /// `bytes_per_minute`, `changes_per_session`, `server_full`, `disk_full`); try again later.
    case overLimit(String)
    /// The enrollment desk refused a question (sync.md §3.1); the reason names why (`not_an_admin`,
    /// `no_such_request`, `outside_your_scopes`, `certificate_refused: …`, `request_not_for_this_key`).
    case deskRefused(String)

    /// The code sent on the wire in ABORT.
    public var code: UInt16 {
        switch self {
        case .unsupportedVersion: 1
        case .frameTooLarge: 2
        case .malformed: 3
        case .handshakeFailed: 4
        case .decryptFailed: 5
        case .peerNotAllowed, .revoked: 6
        case .keyMismatch: 7
        case .unexpectedMessage: 8
        case .unsolicitedChange: 9
        case .invalidChange: 10
        case .windowExceeded: 11
        case .tooManyRounds: 12
        case .handshakeTimeout: 13
        case .idleTimeout: 14
        case .peerAborted: 15
        case .connectionClosed: 16
        case .store: 17
        case .unreachable, .cannotListen: 18
        case .overLimit: 19
        case .deskRefused: 20
        }
    }

    /// A stable snake_case name, as used in `Protocol/sync.md` and logs.
    public var name: String {
        switch self {
        case .unsupportedVersion: "unsupported_version"
        case .frameTooLarge: "frame_too_large"
        case .malformed: "malformed"
        case .handshakeFailed: "handshake_failed"
        case .decryptFailed: "decrypt_failed"
        case .peerNotAllowed, .revoked: "peer_not_allowed"
        case .keyMismatch: "key_mismatch"
        case .unexpectedMessage: "unexpected_message"
        case .unsolicitedChange: "unsolicited_change"
        case .invalidChange: "invalid_change"
        case .windowExceeded: "window_exceeded"
        case .tooManyRounds: "too_many_rounds"
        case .handshakeTimeout: "handshake_timeout"
        case .idleTimeout: "idle_timeout"
        case .peerAborted: "peer_aborted"
        case .connectionClosed: "connection_closed"
        case .store: "store_failed"
        case .unreachable: "unreachable"
        case .cannotListen: "cannot_listen"
        case .overLimit: "over_limit"
        case .deskRefused: "desk_refused"
        }
    }

    /// The reason text sent in ABORT: the name, plus which limit for `over_limit` and what was
    /// wrong for `malformed` (so the peer's user or developer sees the problem, not just its class).
    public var abortReason: String {
        switch self {
        case .overLimit(let which): "\(name): \(which)"
        case .deskRefused(let why): "\(name): \(why)"
        case .malformed(let what): "\(name): \(what)"
        case .revoked: "\(name): revoked"
        default: name
        }
    }

    /// The store is full (disk or quota): the one store failure a session survives (sync.md §5, REFUSED).
    public static let diskFull = SyncError.overLimit("disk_full")

    /// A store's answer that refuses the batch but not the session (sync.md §5): it is over a limit.
    public var refusesBatchOnly: Bool { if case .overLimit = self { true } else { false } }

    static func parse(_ error: CoreError) -> SyncError { .malformed(error.code) }

    /// Runs a parser that throws either error type; everything becomes a `SyncError`.
    static func parsing<T>(_ body: () throws -> T) throws(SyncError) -> T {
        do {
            return try body()
        } catch let e as SyncError {
            throw e
        } catch let e as CoreError {
            throw parse(e)
        } catch {
            throw .malformed("\(error)")
        }
    }
}
