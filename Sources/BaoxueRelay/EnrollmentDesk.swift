import BaoxueCore
import BaoxueSync
import BaoxueTrust

/// Where a desk keeps its requests: outside the change log, never reconciled or served to devices.
public protocol EnrollmentDeskStorage: Sendable {
    func hold(_ entry: HeldEnrollment) throws(SyncError)
    func release(_ subject: PublicKey) throws(SyncError)
    /// Every held request, in no particular order.
    func all() throws(SyncError) -> [HeldEnrollment]
    /// Every device this relay has served that holds a certificate valid at `now`, with its scopes.
    func servedDevices(at now: UInt64) throws(SyncError) -> [ServedDevice]
}

/// A device as the relay saw it: its certificate's scopes and how far behind its last session left it.
public struct ServedDevice: Sendable, Equatable {
    public let scopes: [ScopeID]
    public let seen: DeskMessage.DeviceSeen
    public init(scopes: [ScopeID], seen: DeskMessage.DeviceSeen) {
        self.scopes = scopes
        self.seen = seen
    }
}

/// The admin asking the desk: a device whose certificate is valid now.
public struct DeskSeat: Sendable, Equatable {
    public let key: PublicKey
    public let role: Role
    public let scopes: [ScopeID]
    public init(key: PublicKey, role: Role, scopes: [ScopeID]) {
        self.key = key
        self.role = role
        self.scopes = scopes
    }

    var decides: Bool { role == .schoolAdmin || role == .districtAdmin }
    func covers(_ request: EnrollmentRequest) -> Bool { request.scopes.allSatisfy { s in scopes.contains { $0.covers(s) } } }
}

/// The rules of a relay's enrollment desk (sync.md §3.1, trust.md §5.1) as pure functions over
/// `EnrollmentDeskStorage`: a device leaves its signed request; an admin whose certificate covers
/// every scope asked sees it and approves with a certificate it signed under its delegation (which
/// must chain to the pinned authority) or rejects it; the device fetches the decision.
///
/// Invariants: at most `maxHeld` requests are held and at most `perMinute` new ones are taken a
/// minute (a stranger cannot fill the relay); a request is held only from the key it names; a
/// certificate is kept only if it certifies that key, was signed by the deciding admin and chains.
public struct EnrollmentDesk: Sendable {
    public var maxHeld = 500
    public var perMinute = 30
    /// Requests and decisions are dropped this long after they arrived.
    public var keepMs: UInt64 = 30 * 86_400_000
    /// The district authority every certificate must chain to.
    public let authority: PublicKey

    public init(authority: PublicKey) { self.authority = authority }

    /// The reply to one desk question; `seat` is the asking device's certificate, nil for a stranger.
    public func answer(
        _ question: DeskMessage, from peer: PublicKey, seat: DeskSeat?, at now: UInt64, in storage: some EnrollmentDeskStorage
    ) throws(SyncError) -> DeskMessage {
        switch question {
        case .enroll(let bytes):
            return .enrollment(try enroll(bytes, from: peer, at: now, in: storage))
        case .pending:
            guard let seat else { throw .deskRefused("not_an_admin") }
            return .requests(try pending(for: seat, at: now, in: storage))
        case .decide(let subject, let answer):
            guard let seat else { throw .deskRefused("not_an_admin") }
            return .requests(try decide(subject, answer, by: seat, at: now, in: storage))
        case .status:
            guard let seat else { throw .deskRefused("not_an_admin") }
            return .seen(try seen(by: seat, at: now, in: storage))
        case .enrollment, .requests, .seen:
            throw .unexpectedMessage(type: question.kind.rawValue)
        }
    }

    /// A device's ENROLL: holds its request, or tells it the decision.
    public func enroll(
        _ bytes: [UInt8], from peer: PublicKey, at now: UInt64, in storage: some EnrollmentDeskStorage
    ) throws(SyncError) -> DeskMessage.EnrollmentAnswer {
        let request: EnrollmentRequest
        do { request = try EnrollmentRequest.decode(bytes) } catch { throw .malformed("enrollment request: \(error)") }
        guard request.subject == peer else { throw .deskRefused("request_not_for_this_key") }
        let all = try expire(at: now, in: storage)
        if var held = all.first(where: { $0.request.subject == peer }) {
            switch held.answer {
            case .certified:
                return held.answer
            case .rejected:
                // Told once; the device may then ask again.
                try storage.release(peer)
                return held.answer
            case .waiting:
                if held.request != request {
                    held = HeldEnrollment(request: request, receivedAt: held.receivedAt)
                    try storage.hold(held)
                }
                return .waiting
            }
        }
        guard all.count < maxHeld else { throw .overLimit("enrollment_desk_full") }
        guard all.filter({ now &- $0.receivedAt < 60_000 }).count < perMinute else { throw .overLimit("enrollment_rate") }
        try storage.hold(HeldEnrollment(request: request, receivedAt: now))
        return .waiting
    }

    /// The requests waiting within the admin's scopes, oldest first.
    public func pending(
        for seat: DeskSeat, at now: UInt64, in storage: some EnrollmentDeskStorage
    ) throws(SyncError) -> [DeskMessage.HeldRequest] {
        guard seat.decides else { throw .deskRefused("not_an_admin") }
        return try expire(at: now, in: storage)
            .filter { $0.answer == .waiting && seat.covers($0.request) }
            .sorted { ($0.receivedAt, $0.request.subject.hex) < ($1.receivedAt, $1.request.subject.hex) }
            .prefix(DeskMessage.maxRequests)
            .map { DeskMessage.HeldRequest(receivedAt: $0.receivedAt, request: $0.request.encoded) }
    }

    /// The devices within the admin's scopes (every scope of their certificates covered), ascending by key.
    public func seen(
        by seat: DeskSeat, at now: UInt64, in storage: some EnrollmentDeskStorage
    ) throws(SyncError) -> [DeskMessage.DeviceSeen] {
        guard seat.decides else { throw .deskRefused("not_an_admin") }
        return try storage.servedDevices(at: now)
            .filter { d in
                let own = d.scopes.filter { $0 != .admin }
                return !own.isEmpty && own.allSatisfy { s in seat.scopes.contains { $0.covers(s) } }
            }
            .map(\.seen)
            .sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }
            .prefix(DeskMessage.maxDevices)
            .map { $0 }
    }

    /// An admin's decision on one waiting request; returns what still waits for it.
    public func decide(
        _ subject: PublicKey, _ answer: DeskMessage.EnrollmentAnswer, by seat: DeskSeat, at now: UInt64,
        in storage: some EnrollmentDeskStorage
    ) throws(SyncError) -> [DeskMessage.HeldRequest] {
        guard seat.decides else { throw .deskRefused("not_an_admin") }
        guard var held = try expire(at: now, in: storage).first(where: { $0.request.subject == subject }), held.answer == .waiting else {
            throw .deskRefused("no_such_request")
        }
        guard seat.covers(held.request) else { throw .deskRefused("outside_your_scopes") }
        if case .certified(let certificates, let sealed) = answer {
            try check(certificates, sealed: sealed, for: subject, by: seat, at: now)
        }
        held.answer = answer
        held.decidedAt = now
        try storage.hold(held)
        return try pending(for: seat, at: now, in: storage)
    }

    /// The certificate certifies the request's key, was signed by the deciding admin, and chains to the
    /// authority through the delegation sent with it; a device that gets records gets the registry key.
    private func check(
        _ certificates: [[UInt8]], sealed: [UInt8], for subject: PublicKey, by seat: DeskSeat, at now: UInt64
    ) throws(SyncError) {
        let decoded: [Certificate]
        var chain = CertificateChain(authority: authority)
        do throws(TrustError) {
            decoded = try certificates.map { bytes throws(TrustError) in try Certificate.decode(bytes) }
        } catch { throw .deskRefused("certificate_refused: \(error.code)") }
        for d in decoded.dropFirst() { chain.learn(delegation: d) }
        let cert = decoded[0]
        guard cert.subject == subject else { throw .deskRefused("certificate_refused: for another device") }
        guard cert.issuer == seat.key else { throw .deskRefused("certificate_refused: not signed by you") }
        do throws(TrustError) { try chain.validate(cert, at: now) } catch { throw .deskRefused("certificate_refused: \(error.code)") }
        guard cert.role == .relay || sealed.count == DeskMessage.sealedRegistryKeyBytes else {
            throw .deskRefused("certificate_refused: no registry key")
        }
    }

    /// Drops what is older than `keepMs`; returns the rest.
    private func expire(at now: UInt64, in storage: some EnrollmentDeskStorage) throws(SyncError) -> [HeldEnrollment] {
        var kept: [HeldEnrollment] = []
        for entry in try storage.all() {
            if now &- entry.receivedAt > keepMs { try storage.release(entry.request.subject) } else { kept.append(entry) }
        }
        return kept
    }
}
