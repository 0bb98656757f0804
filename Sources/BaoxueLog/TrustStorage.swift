import BaoxueCore
import BaoxueTrust

/// What the trust gate (`TrustGate`) reads of what applied `_admin` changes taught a log, and
/// where it keeps what they teach: SQLite tables on a replica, `TrustBook` in memory (tests, and a
/// relay cluster's copy of PostgreSQL's trust tables).
///
/// Invariants every storage keeps: only certificates, revocations and rulings from applied changes
/// are stored (the gate checked them first); storing one twice changes nothing.
public protocol TrustStorage {
    /// Whether a certificate with exactly these bytes is stored.
    mutating func holdsCertificate(_ encoded: [UInt8]) throws -> Bool
    /// The stored certificates of `subject`.
    mutating func certificates(of subject: PublicKey) throws -> [Certificate]
    /// The stored certificates that may issue others (delegations), any subject.
    mutating func delegations() throws -> [Certificate]
    /// The earliest time (ms) `subject` is revoked from, if it is.
    mutating func revocation(of subject: PublicKey) throws -> UInt64?
    /// Whether a district admin accepted `id` despite its clock (a stored `acceptClock` ruling).
    mutating func clockAccepted(_ id: ChangeID) throws -> Bool
    /// Whether a district admin upheld `id`, one half of an equivocation (a stored `uphold` ruling).
    mutating func upheld(_ id: ChangeID) throws -> Bool
    mutating func store(_ certificate: Certificate) throws
    mutating func store(_ revocation: Revocation, in change: ChangeID) throws
    mutating func store(_ ruling: Ruling, in change: ChangeID) throws
}

/// A `TrustStorage` in dictionaries: the gate's reference storage in tests, and what one relay
/// process of a cluster holds of PostgreSQL's trust tables (`epoch`: how far it has read them).
public struct TrustBook: TrustStorage, Sendable {
    /// Certificates by their bytes, in the order learnt.
    public private(set) var certificates: [[UInt8]: Certificate] = [:]
    private var bySubject: [PublicKey: [Certificate]] = [:]
    /// Kept as they are stored: a cluster builds a gate over this book for every run of its rules.
    private var delegated: [Certificate] = []
    private var revokedAt: [PublicKey: UInt64] = [:]
    /// The stored revocations and rulings, with the change that carried each (what a storage writes).
    public private(set) var revocations: [(Revocation, ChangeID)] = []
    public private(set) var rulings: [(Ruling, ChangeID)] = []
    private var acceptedClocks: Set<ChangeID> = []
    private var upheldChanges: Set<ChangeID> = []
    /// How far this book has read a shared storage's trust tables (PostgreSQL's `log_trust_epoch`);
    /// the host sets it, the gate never reads it.
    public var epoch: Int64 = 0
    /// What `store` added since the host last wrote it out (`saved()`), in the order stored.
    public private(set) var unsaved: [Entry] = []

    /// One thing the book holds, as a shared storage writes it.
    public enum Entry: Sendable {
        case certificate(Certificate)
        case revocation(Revocation, in: ChangeID)
        case ruling(Ruling, in: ChangeID)
    }

    public init() {}

    /// Forgets `unsaved`: the host wrote it out, or read it from the shared storage.
    public mutating func saved() { unsaved = [] }

    public mutating func holdsCertificate(_ encoded: [UInt8]) throws -> Bool { certificates[encoded] != nil }
    public mutating func certificates(of subject: PublicKey) throws -> [Certificate] { bySubject[subject] ?? [] }
    public mutating func delegations() throws -> [Certificate] { delegated }
    public mutating func revocation(of subject: PublicKey) throws -> UInt64? { revokedAt[subject] }
    public mutating func clockAccepted(_ id: ChangeID) throws -> Bool { acceptedClocks.contains(id) }
    public mutating func upheld(_ id: ChangeID) throws -> Bool { upheldChanges.contains(id) }

    public mutating func store(_ certificate: Certificate) throws {
        guard certificates[certificate.encoded] == nil else { return }
        certificates[certificate.encoded] = certificate
        bySubject[certificate.subject, default: []].append(certificate)
        if certificate.mayIssue { delegated.append(certificate) }
        unsaved.append(.certificate(certificate))
    }

    public mutating func store(_ revocation: Revocation, in change: ChangeID) throws {
        guard !revocations.contains(where: { $0.0 == revocation }) else { return }
        revocations.append((revocation, change))
        unsaved.append(.revocation(revocation, in: change))
        revokedAt[revocation.subject] = min(revokedAt[revocation.subject] ?? .max, revocation.revokedAt)
    }

    public mutating func store(_ ruling: Ruling, in change: ChangeID) throws {
        guard !rulings.contains(where: { $0.0 == ruling }) else { return }
        rulings.append((ruling, change))
        unsaved.append(.ruling(ruling, in: change))
        switch ruling.kind {
        case .acceptClock: acceptedClocks.insert(ruling.target)
        case .uphold: upheldChanges.insert(ruling.target)
        }
    }
}
