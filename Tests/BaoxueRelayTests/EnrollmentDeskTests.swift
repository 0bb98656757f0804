import BaoxueCore
import BaoxueRelay
import BaoxueSync
import BaoxueTrust
import Synchronization
import Testing

/// The desk's rules (sync.md §3.1) in memory: who may leave, see and decide requests, and which
/// certificates the desk keeps for a device.
struct EnrollmentDeskTests {
    /// The holding area as a dictionary.
    final class MemoryDesk: EnrollmentDeskStorage {
        let rows = Mutex<[PublicKey: HeldEnrollment]>([:])
        func hold(_ entry: HeldEnrollment) { rows.withLock { $0[entry.request.subject] = entry } }
        func release(_ subject: PublicKey) { rows.withLock { $0[subject] = nil } }
        func all() -> [HeldEnrollment] { rows.withLock { Array($0.values) } }
        let served = Mutex<[ServedDevice]>([])
        func servedDevices(at now: UInt64) -> [ServedDevice] { served.withLock { $0 } }
    }

    static let t0: UInt64 = 1_800_000_000_000
    static let town = try! ScopeID("丰南区/东镇")
    static let school = try! ScopeID("丰南区/东镇/示例小学")
    static let otherSchool = try! ScopeID("丰南区/西镇/另一小学")
    let authority = DeviceKey.generate()
    let officeKey = DeviceKey.generate()

    /// The township office's delegation (it may issue within the township).
    func delegation() throws -> Certificate {
        try Certificate.issue(
            by: authority, subject: officeKey.publicKey, role: .schoolAdmin, mayIssue: true, validFrom: Self.t0 - 1,
            validUntil: Self.t0 + 400 * 86_400_000, name: "东镇教办", scopes: [Self.town])
    }

    var office: DeskSeat { DeskSeat(key: officeKey.publicKey, role: .schoolAdmin, scopes: [Self.town]) }

    func request(_ key: DeviceKey, scopes: [ScopeID] = [school]) throws -> EnrollmentRequest {
        try EnrollmentRequest.make(key: key, role: .teacher, name: "钱老师", scopes: scopes, createdAt: Self.t0)
    }

    func certificate(for subject: PublicKey, by issuer: DeviceKey, scopes: [ScopeID] = [school]) throws -> [UInt8] {
        try Certificate.issue(
            by: issuer, subject: subject, role: .teacher, validFrom: Self.t0, validUntil: Self.t0 + 365 * 86_400_000,
            name: "钱老师", scopes: scopes
        ).encoded
    }

    @Test func aRequestWaitsIsSeenByTheOfficeApprovedAndCollected() throws {
        let desk = EnrollmentDesk(authority: authority.publicKey)
        let storage = MemoryDesk()
        let phone = DeviceKey.generate()
        let asked = try request(phone)
        #expect(try desk.enroll(asked.encoded, from: phone.publicKey, at: Self.t0, in: storage) == .waiting)
        // Asking again changes nothing.
        #expect(try desk.enroll(asked.encoded, from: phone.publicKey, at: Self.t0 + 5, in: storage) == .waiting)
        let listed = try desk.pending(for: office, at: Self.t0 + 10, in: storage)
        #expect(listed == [DeskMessage.HeldRequest(receivedAt: Self.t0, request: asked.encoded)])

        let certs = [try certificate(for: phone.publicKey, by: officeKey), try delegation().encoded]
        let sealed = Array(repeating: UInt8(3), count: 80)
        let left = try desk.decide(
            phone.publicKey, .certified(certificates: certs, sealedRegistryKey: sealed), by: office, at: Self.t0 + 20, in: storage)
        #expect(left.isEmpty)
        #expect(
            try desk.enroll(asked.encoded, from: phone.publicKey, at: Self.t0 + 30, in: storage)
                == .certified(certificates: certs, sealedRegistryKey: sealed))
    }

    @Test func aRequestIsHeldOnlyFromItsOwnKey() throws {
        let desk = EnrollmentDesk(authority: authority.publicKey)
        let storage = MemoryDesk()
        let someoneElses = try request(DeviceKey.generate())
        #expect(throws: SyncError.deskRefused("request_not_for_this_key")) {
            try desk.enroll(someoneElses.encoded, from: DeviceKey.generate().publicKey, at: Self.t0, in: storage)
        }
        var forged = someoneElses.encoded
        forged[forged.count - 1] ^= 1
        #expect(throws: SyncError.self) { try desk.enroll(forged, from: someoneElses.subject, at: Self.t0, in: storage) }
        #expect(storage.all().isEmpty)
    }

    @Test func onlyAnAdminCoveringEveryScopeSeesOrDecidesIt() throws {
        let desk = EnrollmentDesk(authority: authority.publicKey)
        let storage = MemoryDesk()
        let phone = DeviceKey.generate()
        _ = try desk.enroll(try request(phone).encoded, from: phone.publicKey, at: Self.t0, in: storage)
        let teacher = DeskSeat(key: DeviceKey.generate().publicKey, role: .teacher, scopes: [Self.school])
        #expect(throws: SyncError.deskRefused("not_an_admin")) { try desk.pending(for: teacher, at: Self.t0, in: storage) }
        let west = DeskSeat(key: DeviceKey.generate().publicKey, role: .schoolAdmin, scopes: [Self.otherSchool])
        #expect(try desk.pending(for: west, at: Self.t0, in: storage).isEmpty)
        #expect(throws: SyncError.deskRefused("outside_your_scopes")) {
            try desk.decide(phone.publicKey, .rejected(reason: "x"), by: west, at: Self.t0, in: storage)
        }
        #expect(throws: SyncError.deskRefused("no_such_request")) {
            try desk.decide(DeviceKey.generate().publicKey, .rejected(reason: "x"), by: office, at: Self.t0, in: storage)
        }
    }

    @Test func theDeskKeepsOnlyACertificateTheDecidingAdminSignedThatChains() throws {
        let desk = EnrollmentDesk(authority: authority.publicKey)
        let storage = MemoryDesk()
        let phone = DeviceKey.generate()
        _ = try desk.enroll(try request(phone).encoded, from: phone.publicKey, at: Self.t0, in: storage)
        let sealed = Array(repeating: UInt8(3), count: 80)
        let delegation = try delegation().encoded
        let cases: [([[UInt8]], [UInt8], String)] = [
            ([try certificate(for: DeviceKey.generate().publicKey, by: officeKey), delegation], sealed, "for another device"),
            ([try certificate(for: phone.publicKey, by: DeviceKey.generate()), delegation], sealed, "not signed by you"),
            ([try certificate(for: phone.publicKey, by: officeKey)], sealed, "unknown_issuer"),
            ([try certificate(for: phone.publicKey, by: officeKey, scopes: [Self.otherSchool]), delegation], sealed, "delegation"),
            ([try certificate(for: phone.publicKey, by: officeKey), delegation], [], "no registry key"),
        ]
        for (certs, box, why) in cases {
            #expect(throws: SyncError.self, "\(why)") {
                try desk.decide(
                    phone.publicKey, .certified(certificates: certs, sealedRegistryKey: box), by: office, at: Self.t0, in: storage)
            }
        }
        #expect(try desk.enroll(try request(phone).encoded, from: phone.publicKey, at: Self.t0 + 1, in: storage) == .waiting)
    }

    @Test func aRejectionIsToldOnceThenTheDeviceMayAskAgain() throws {
        let desk = EnrollmentDesk(authority: authority.publicKey)
        let storage = MemoryDesk()
        let phone = DeviceKey.generate()
        let asked = try request(phone).encoded
        _ = try desk.enroll(asked, from: phone.publicKey, at: Self.t0, in: storage)
        _ = try desk.decide(phone.publicKey, .rejected(reason: "不是本校教师"), by: office, at: Self.t0 + 1, in: storage)
        #expect(try desk.enroll(asked, from: phone.publicKey, at: Self.t0 + 2, in: storage) == .rejected(reason: "不是本校教师"))
        #expect(try desk.enroll(asked, from: phone.publicKey, at: Self.t0 + 3, in: storage) == .waiting)
    }

    @Test func anAdminSeesTheDevicesOfItsScopesOnly() throws {
        let desk = EnrollmentDesk(authority: authority.publicKey)
        let storage = MemoryDesk()
        func device(_ scopes: [ScopeID], behind: UInt64) -> ServedDevice {
            ServedDevice(
                scopes: [.admin] + scopes,
                seen: .init(key: DeviceKey.generate().publicKey, lastSeen: Self.t0, behind: behind, oldestUnseen: Self.t0 - 1))
        }
        let ours = [device([Self.school], behind: 0), device([Self.school], behind: 4), device([Self.town], behind: 1)]
        let theirs = [device([Self.otherSchool], behind: 2), device([Self.school, Self.otherSchool], behind: 2), device([], behind: 0)]
        storage.served.withLock { $0 = theirs + ours }
        let seen = try desk.seen(by: office, at: Self.t0, in: storage)
        #expect(Set(seen.map(\.key)) == Set(ours.map(\.seen.key)))
        #expect(seen.map(\.key.bytes) == seen.map(\.key.bytes).sorted { $0.lexicographicallyPrecedes($1) })
        let teacher = DeskSeat(key: DeviceKey.generate().publicKey, role: .teacher, scopes: [Self.school])
        #expect(throws: SyncError.deskRefused("not_an_admin")) {
            try desk.answer(.status, from: teacher.key, seat: teacher, at: Self.t0, in: storage)
        }
    }

    @Test func theHoldingAreaIsBoundedAndRateLimited() throws {
        var desk = EnrollmentDesk(authority: authority.publicKey)
        desk.perMinute = 3
        desk.maxHeld = 5
        let storage = MemoryDesk()
        func ask(_ at: UInt64) throws -> DeskMessage.EnrollmentAnswer {
            let key = DeviceKey.generate()
            return try desk.enroll(try request(key).encoded, from: key.publicKey, at: at, in: storage)
        }
        for i in 0..<3 { #expect(try ask(Self.t0 + UInt64(i)) == .waiting) }
        #expect(throws: SyncError.overLimit("enrollment_rate")) { try ask(Self.t0 + 10) }
        for i in 0..<2 { #expect(try ask(Self.t0 + 61_000 + UInt64(i)) == .waiting) }
        #expect(throws: SyncError.overLimit("enrollment_desk_full")) { try ask(Self.t0 + 200_000) }
        #expect(storage.all().count == 5)
        // A month later the old requests are gone and new ones are taken.
        #expect(try ask(Self.t0 + desk.keepMs + 200_000) == .waiting)
        #expect(storage.all().count == 1)
    }
}
