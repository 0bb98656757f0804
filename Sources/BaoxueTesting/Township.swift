import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueSodium
import BaoxueStore
import BaoxueTrust
import Foundation

/// A synthetic township on disk for relay tests and the load generator: an
/// authority, a relay replica enrolled as a relay, and teacher replicas
/// enrolled in their schools — set up the way `enroll accept` does it
/// (authority pinned, own certificate as the first `_admin` change).
public struct Township: Sendable {
    public let root: String
    public let authority: DeviceKey
    public static let township = "丰南区/东镇"

    public init(root: String, authority: DeviceKey = .generate()) {
        self.root = root
        self.authority = authority
    }

    public var relayDirectory: String { root + "/relay" }
    public func deviceDirectory(_ i: Int) -> String { root + "/device-\(i)" }
    public static func school(_ i: Int) -> ScopeID { try! ScopeID("\(township)/学校\(i)") }

    /// Creates and enrolls a replica: `relay` for the township, else a teacher of `school`.
    @discardableResult
    public func enroll(
        _ directory: String, name: String, role: Role, scopes: [ScopeID], key: DeviceKey = .generate(), mayIssue: Bool = false
    ) throws -> Replica {
        let now = Replica.nowMilliseconds()
        let cert = try Certificate.issue(
            by: authority, subject: key.publicKey, role: role, mayIssue: mayIssue, validFrom: now - 86_400_000,
            validUntil: now + 365 * 86_400_000, name: name, scopes: scopes)
        return try Replica.createEnrolled(at: directory, key: key, authority: authority.publicKey, certificate: cert)
    }

    public func makeRelay() throws -> Replica {
        try enroll(relayDirectory, name: "东镇中继", role: .relay, scopes: [try ScopeID(Self.township)])
    }

    /// Teacher `i`, in school `i % schools`; `keyed`: holding its school's key (enrolled devices
    /// write no record in clear), as after its school admin's grant.
    public func makeDevice(_ i: Int, schools: Int, keyed: Bool = true) throws -> Replica {
        let device = try enroll(deviceDirectory(i), name: "教师\(i)", role: .teacher, scopes: [Self.school(i % schools)])
        if keyed { try provision(device, scopes: [Self.school(i % schools)]) }
        return device
    }

    /// The key every device of `scope` is given here (derived, so all devices of a school share it).
    public func schoolKey(_ scope: ScopeID) throws -> ScopeKey {
        try ScopeKey(
            scope: scope, bytes: Blake2b.hash(Array("baoxue/testing/school-key".utf8) + scope.utf8, length: 32, key: authority.seed))
    }

    /// Seals each school's key to `replica` as a school admin would: a one-off school-admin
    /// certificate and a member grant (epoch 1, to the device and the authority) written into
    /// its log, so they reach the relay and the others with its first sync.
    public func provision(_ replica: Replica, scopes: [ScopeID]) throws {
        let now = Replica.nowMilliseconds()
        for scope in scopes {
            let admin = DeviceKey.generate()
            let cert = try Certificate.issue(
                by: authority, subject: admin.publicKey, role: .schoolAdmin, validFrom: now - 86_400_000,
                validUntil: now + 365 * 86_400_000, name: "校管理员", scopes: [scope])
            _ = try replica.log.appendAuthored(by: admin, scope: .admin, payload: AdminPayload.certificate(cert).encoded, now: now)
            let grant = try MemberGrant.make(try schoolKey(scope), epoch: 1, to: [replica.key.publicKey, authority.publicKey])
            _ = try replica.log.appendAuthored(by: admin, scope: scope, payload: grant.encoded, now: now)
        }
    }

    /// `count` visit records by `replica` in `scope`, each its own signed change.
    public static func writeVisits(_ replica: Replica, scope: ScopeID, count: Int, tag: String) throws -> [ChangeID] {
        var ids: [ChangeID] = []
        let date = try SimpleDate(unixMilliseconds: Replica.nowMilliseconds())
        for n in 0..<count {
            let visit = Event(
                child: RecordID.derived("\(scope.value)-child-\(n % 50)"), date: date,
                body: .visit(
                    Visit(participants: ["教师"], householdFound: true, childSeen: n % 2 == 0, spokeTo: "家长", agreed: "\(tag)-\(n)")))
            ids.append(try replica.write(scope: scope, payload: try RecordPayload(ops: [.event(visit)]).encoded()).id)
        }
        return ids
    }
}
