import BaoxueCore
import BaoxueRecords
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
    public func enroll(_ directory: String, name: String, role: Role, scopes: [ScopeID], key: DeviceKey = .generate()) throws -> Replica {
        let now = Replica.nowMilliseconds()
        let cert = try Certificate.issue(by: authority, subject: key.publicKey, role: role, validFrom: now - 86_400_000,
                                         validUntil: now + 365 * 86_400_000, name: name, scopes: scopes)
        return try Replica.createEnrolled(at: directory, key: key, authority: authority.publicKey, certificate: cert)
    }

    public func makeRelay() throws -> Replica {
        try enroll(relayDirectory, name: "东镇中继", role: .relay, scopes: [try ScopeID(Self.township)])
    }

    /// Teacher `i`, in school `i % schools`.
    public func makeDevice(_ i: Int, schools: Int) throws -> Replica {
        try enroll(deviceDirectory(i), name: "教师\(i)", role: .teacher, scopes: [Self.school(i % schools)])
    }

    /// `count` visit records by `replica` in `scope`, each its own signed change.
    public static func writeVisits(_ replica: Replica, scope: ScopeID, count: Int, tag: String) throws -> [ChangeID] {
        var ids: [ChangeID] = []
        let date = try SimpleDate(unixMilliseconds: Replica.nowMilliseconds())
        for n in 0..<count {
            let visit = Event(child: RecordID.derived("\(scope.value)-child-\(n % 50)"), date: date, body: .visit(
                Visit(participants: ["教师"], householdFound: true, childSeen: n % 2 == 0, spokeTo: "家长", agreed: "\(tag)-\(n)")))
            ids.append(try replica.write(scope: scope, payload: try RecordPayload(ops: [.event(visit)]).encoded()).id)
        }
        return ids
    }
}
