import BaoxueCore

/// The messages of a session after the handshake (`Protocol/sync.md`,
/// "Messages"). Every message carries the message-format version.
public enum SyncMessage: Equatable, Sendable {
    /// Wire type codes.
    public enum Kind: UInt8, Sendable {
        case hello = 1, accept = 2, reconcile = 3, changes = 4, ack = 5, done = 6, abort = 7, refused = 8
        case enroll = 9, enrollment = 10, pending = 11, requests = 12, decide = 13, status = 14, seen = 15
    }

    /// Initiator: the scopes it asks to reconcile, in order (later messages name them by index).
    case hello(scopes: [ScopeID])
    /// Responder: one flag per HELLO scope, true when accepted.
    case accept([Bool])
    /// Ranges of one scope; an empty list ends that scope's reconciliation.
    case reconcile(scope: Int, ranges: [ReconcileRange])
    /// A batch of encoded changes, numbered from 0 per sender.
    case changes(batch: UInt64, encoded: [[UInt8]])
    /// The batch is durably stored (synchronous=FULL commit).
    case ack(batch: UInt64)
    /// The sender has sent everything it will send, and all of it was acknowledged.
    case done
    /// The sender ends the session; `code` is a `SyncError.code`.
    case abort(code: UInt16, reason: String)
    /// The batch was not stored, nor will anything later from the peer be stored in this session
    /// (`code` and `reason` as in ABORT: a full disk, a revoked device); the session goes on.
    case refused(batch: UInt64, code: UInt16, reason: String)
    /// The relay desk's messages (types 9–15), sent instead of HELLO and its reply.
    case desk(DeskMessage)

    public static let version: UInt8 = 1
    public static let maxScopes = 256
    public static let maxChangesPerBatch = 4096

    public var kind: Kind {
        switch self {
        case .hello: .hello
        case .accept: .accept
        case .reconcile: .reconcile
        case .changes: .changes
        case .ack: .ack
        case .done: .done
        case .abort: .abort
        case .refused: .refused
        case .desk(let m): m.kind
        }
    }

    /// The message body: version, type, fields (without the length prefix).
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.u8(Self.version)
        w.u8(kind.rawValue)
        switch self {
        case .hello(let scopes):
            w.varint(UInt64(scopes.count))
            for s in scopes {
                w.u8(UInt8(s.utf8.count))
                w.raw(s.utf8)
            }
        case .accept(let flags):
            w.varint(UInt64(flags.count))
            for f in flags { w.u8(f ? 1 : 0) }
        case .reconcile(let scope, let ranges):
            w.varint(UInt64(scope))
            RangeCodec.encode(ranges, into: &w)
        case .changes(let batch, let encoded):
            w.varint(batch)
            w.varint(UInt64(encoded.count))
            for c in encoded {
                w.varint(UInt64(c.count))
                w.raw(c)
            }
        case .ack(let batch):
            w.varint(batch)
        case .done:
            break
        case .abort(let code, let reason):
            w.u16(code)
            Self.reason(reason, into: &w)
        case .refused(let batch, let code, let reason):
            w.varint(batch)
            w.u16(code)
            Self.reason(reason, into: &w)
        case .desk(let m):
            m.encodeFields(into: &w)
        }
        return w.bytes
    }

    /// A reason text, cut at a character boundary to 512 bytes so it stays valid UTF-8.
    static func reason(_ reason: String, into w: inout ByteWriter) {
        var text: [UInt8] = []
        for ch in reason where text.count + ch.utf8.count <= 512 { text += Array(ch.utf8) }
        w.varint(UInt64(text.count))
        w.raw(text)
    }

    static func reason(_ r: inout ByteReader) throws -> String {
        let len = try r.varint("reason length")
        guard len <= 512 else { throw SyncError.malformed("reason too long") }
        guard let text = String(validating: try r.take(Int(len), "reason"), as: UTF8.self) else {
            throw SyncError.malformed("reason not UTF-8")
        }
        return text
    }

    public static func decode(_ bytes: [UInt8]) throws(SyncError) -> SyncMessage {
        var r = ByteReader(bytes)
        return try SyncError.parsing {
            let version = try r.u8("version")
            guard version == Self.version else { throw SyncError.malformed("message version \(version)") }
            let type = try r.u8("type")
            guard let kind = Kind(rawValue: type) else { throw SyncError.malformed("unknown message type \(type)") }
            let message: SyncMessage
            switch kind {
            case .hello:
                let n = try r.varint("scope count")
                guard n >= 1, n <= UInt64(maxScopes) else { throw SyncError.malformed("scope count \(n)") }
                var scopes: [ScopeID] = []
                for _ in 0..<n {
                    let len = Int(try r.u8("scope length"))
                    guard let text = String(validating: try r.take(len, "scope"), as: UTF8.self) else {
                        throw SyncError.malformed("scope not UTF-8")
                    }
                    let scope = try ScopeID(text)
                    guard scope.utf8.count == len else { throw SyncError.malformed("HELLO scope not in NFC: \(scope.value)") }
                    guard !scopes.contains(scope) else { throw SyncError.malformed("HELLO names scope \(scope.value) twice") }
                    scopes.append(scope)
                }
                message = .hello(scopes: scopes)
            case .accept:
                let n = try r.varint("flag count")
                guard n >= 1, n <= UInt64(maxScopes) else { throw SyncError.malformed("flag count \(n)") }
                var flags: [Bool] = []
                for _ in 0..<n {
                    switch try r.u8("flag") {
                    case 0: flags.append(false)
                    case 1: flags.append(true)
                    default: throw SyncError.malformed("flag not 0 or 1")
                    }
                }
                message = .accept(flags)
            case .reconcile:
                let scope = try r.varint("scope index")
                guard scope < UInt64(maxScopes) else { throw SyncError.malformed("scope index \(scope)") }
                message = .reconcile(scope: Int(scope), ranges: try RangeCodec.decode(&r))
            case .changes:
                let batch = try r.varint("batch")
                let n = try r.varint("change count")
                guard n >= 1, n <= UInt64(maxChangesPerBatch) else { throw SyncError.malformed("change count \(n)") }
                var encoded: [[UInt8]] = []
                for _ in 0..<n {
                    let len = try r.varint("change length")
                    guard len <= UInt64(ChangeFormat.maxEncodedBytes) else { throw SyncError.malformed("change length \(len)") }
                    encoded.append(Array(try r.take(Int(len), "change")))
                }
                message = .changes(batch: batch, encoded: encoded)
            case .ack:
                message = .ack(batch: try r.varint("batch"))
            case .done:
                message = .done
            case .abort:
                let code = try r.u16("code")
                message = .abort(code: code, reason: try reason(&r))
            case .refused:
                let batch = try r.varint("batch")
                let code = try r.u16("code")
                message = .refused(batch: batch, code: code, reason: try reason(&r))
            case .enroll, .enrollment, .pending, .requests, .decide, .status, .seen:
                message = .desk(try DeskMessage.decodeFields(kind, &r))
            }
            try r.expectEnd()
            return message
        }
    }
}
