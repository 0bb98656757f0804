import BaoxueCore

/// The relay desk's messages (`Protocol/sync.md` §3.1): a session that carries one of ENROLL,
/// PENDING, DECIDE or STATUS instead of HELLO gets one reply (ENROLLMENT, REQUESTS or SEEN) and ends.
///
/// Why in the sync protocol: a new device reaches the relay the way it will later sync (Noise,
/// the same port), and the requests never enter the log, so no device is ever served them.
/// The request and certificate bytes are trust.md's formats; this layer only frames them.
public enum DeskMessage: Equatable, Sendable {
    /// A device asks to be enrolled (or asks again how its request stands): an enrollment request, trust.md §5.
    case enroll(request: [UInt8])
    /// The desk's answer to ENROLL.
    case enrollment(EnrollmentAnswer)
    /// An admin asks for the requests waiting within its scopes.
    case pending
    /// The requests waiting within the asking admin's scopes, oldest first.
    case requests([HeldRequest])
    /// An admin decides one waiting request; the desk answers with the requests still waiting.
    case decide(subject: PublicKey, answer: EnrollmentAnswer)
    /// An admin asks when the devices within its scopes last synced here and how far behind they are.
    case status
    /// The devices within the asking admin's scopes this relay has served, by key.
    case seen([DeviceSeen])

    public static let maxRequestBytes = 4_096
    public static let maxRequests = 256
    public static let maxDevices = 4_096
    public static let maxCertificates = 8
    public static let sealedRegistryKeyBytes = 80

    /// Where a request stands, or the decision on it.
    public enum EnrollmentAnswer: Equatable, Sendable {
        case waiting
        /// The device's certificate, then the delegation that issued it (if not the authority), and
        /// the district's registry key sealed to the device (empty for a relay).
        case certified(certificates: [[UInt8]], sealedRegistryKey: [UInt8])
        case rejected(reason: String)
    }

    /// A request in the desk's holding area, as an admin is shown it.
    public struct HeldRequest: Equatable, Sendable {
        /// When the desk first received it (ms since the epoch).
        public let receivedAt: UInt64
        public let request: [UInt8]
        public init(receivedAt: UInt64, request: [UInt8]) {
            self.receivedAt = receivedAt
            self.request = request
        }
    }

    /// One device as the relay last saw it.
    public struct DeviceSeen: Equatable, Sendable {
        public let key: PublicKey
        /// When its last session here ended (ms since the epoch).
        public let lastSeen: UInt64
        /// Changes of its scopes stored here after its last complete session, and the HLC ms of the oldest (0: none).
        public let behind: UInt64
        public let oldestUnseen: UInt64
        public init(key: PublicKey, lastSeen: UInt64, behind: UInt64, oldestUnseen: UInt64) {
            self.key = key
            self.lastSeen = lastSeen
            self.behind = behind
            self.oldestUnseen = oldestUnseen
        }
    }

    public var kind: SyncMessage.Kind {
        switch self {
        case .enroll: .enroll
        case .enrollment: .enrollment
        case .pending: .pending
        case .requests: .requests
        case .decide: .decide
        case .status: .status
        case .seen: .seen
        }
    }

    /// True for the messages that open a desk session (the initiator's), false for the replies.
    public var isQuestion: Bool {
        switch self {
        case .enroll, .pending, .decide, .status: true
        case .enrollment, .requests, .seen: false
        }
    }

    func encodeFields(into w: inout ByteWriter) {
        switch self {
        case .enroll(let request):
            w.u16(UInt16(request.count))
            w.raw(request)
        case .enrollment(let answer):
            Self.encode(answer, into: &w)
        case .pending:
            break
        case .requests(let held):
            w.varint(UInt64(held.count))
            for h in held {
                w.u64(h.receivedAt)
                w.u16(UInt16(h.request.count))
                w.raw(h.request)
            }
        case .decide(let subject, let answer):
            w.raw(subject.bytes)
            Self.encode(answer, into: &w)
        case .status:
            break
        case .seen(let devices):
            w.varint(UInt64(devices.count))
            for d in devices {
                w.raw(d.key.bytes)
                w.u64(d.lastSeen)
                w.varint(d.behind)
                w.u64(d.oldestUnseen)
            }
        }
    }

    private static func encode(_ answer: EnrollmentAnswer, into w: inout ByteWriter) {
        switch answer {
        case .waiting:
            w.u8(0)
        case .certified(let certificates, let sealed):
            w.u8(1)
            w.u8(UInt8(certificates.count))
            for c in certificates {
                w.u16(UInt16(c.count))
                w.raw(c)
            }
            w.u8(UInt8(sealed.count))
            w.raw(sealed)
        case .rejected(let reason):
            w.u8(2)
            SyncMessage.reason(reason, into: &w)
        }
    }

    static func decodeFields(_ kind: SyncMessage.Kind, _ r: inout ByteReader) throws -> DeskMessage {
        switch kind {
        case .enroll: return .enroll(request: try request(&r))
        case .enrollment: return .enrollment(try answer(&r))
        case .pending: return .pending
        case .requests:
            let n = try r.varint("request count")
            guard n <= UInt64(maxRequests) else { throw SyncError.malformed("request count \(n)") }
            var held: [HeldRequest] = []
            for _ in 0..<n { held.append(HeldRequest(receivedAt: try r.u64("received at"), request: try request(&r))) }
            return .requests(held)
        case .decide:
            let subject = try PublicKey(bytes: Array(try r.take(32, "subject")))
            let answer = try answer(&r)
            guard answer != .waiting else { throw SyncError.malformed("a decision that decides nothing") }
            return .decide(subject: subject, answer: answer)
        case .status: return .status
        case .seen:
            let n = try r.varint("device count")
            guard n <= UInt64(maxDevices) else { throw SyncError.malformed("device count \(n)") }
            var devices: [DeviceSeen] = []
            for _ in 0..<n {
                let key = try PublicKey(bytes: Array(try r.take(32, "device")))
                guard devices.last.map({ $0.key.bytes.lexicographicallyPrecedes(key.bytes) }) ?? true else {
                    throw SyncError.malformed("devices not in ascending key order")
                }
                devices.append(
                    DeviceSeen(
                        key: key, lastSeen: try r.u64("last seen"), behind: try r.varint("behind"), oldestUnseen: try r.u64("oldest")))
            }
            return .seen(devices)
        default:
            throw SyncError.malformed("not a desk message")
        }
    }

    private static func request(_ r: inout ByteReader) throws -> [UInt8] {
        let len = Int(try r.u16("request length"))
        guard len >= 1, len <= maxRequestBytes else { throw SyncError.malformed("request length \(len)") }
        return Array(try r.take(len, "request"))
    }

    private static func answer(_ r: inout ByteReader) throws -> EnrollmentAnswer {
        switch try r.u8("answer") {
        case 0: return .waiting
        case 1:
            let n = Int(try r.u8("certificate count"))
            guard n >= 1, n <= maxCertificates else { throw SyncError.malformed("certificate count \(n)") }
            var certificates: [[UInt8]] = []
            for _ in 0..<n {
                let len = Int(try r.u16("certificate length"))
                guard len >= 1 else { throw SyncError.malformed("empty certificate") }
                certificates.append(Array(try r.take(len, "certificate")))
            }
            let sealed = Int(try r.u8("registry key length"))
            guard sealed == 0 || sealed == sealedRegistryKeyBytes else { throw SyncError.malformed("registry key length \(sealed)") }
            return .certified(certificates: certificates, sealedRegistryKey: Array(try r.take(sealed, "registry key")))
        case 2: return .rejected(reason: try SyncMessage.reason(&r))
        case let other: throw SyncError.malformed("answer \(other)")
        }
    }
}
