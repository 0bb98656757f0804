import BaoxueCore
import BaoxueRecords

/// Maps record operations to the `Operation` permissions check, and checks
/// one change's operations against its author's certificate.
public enum Permissions {
    public static func operation(of op: RecordOp) -> Operation {
        switch op {
        case .set, .registryDefault, .add, .remove: return .editRecord
        case .void: return .voidRecord
        case .closeOut: return .closeOut
        case .event(let e): return operation(of: e.body.eventKind)
        }
    }

    /// The operation recording an event of `kind` is: the one rule the CLI's role check and every replica's gate use.
    public static func operation(of kind: EventKind) -> Operation {
        switch kind {
        case .visit, .householdCheck, .followUp: .recordVisit
        case .absence, .leave, .homeTeaching: .recordSchoolEvent
        case .persuasion: .recordPersuasion
        case .verificationLetter: .issueLetter
        }
    }

    /// Throws unless `cert` lets its holder countersign receipts in `scope` (a relay covering it).
    public static func checkWitness(scope: ScopeID, under cert: Certificate) throws(TrustError) {
        guard cert.covers(scope) else { throw .outsideScope(scope) }
        guard Operation.witness.allowedRoles.contains(cert.role) else { throw .roleForbids(role: cert.role, operation: .witness) }
    }

    /// Throws unless `cert` gives the district-admin powers (rulings, trust.md §8).
    public static func checkAdminister(under cert: Certificate) throws(TrustError) {
        guard Operation.administer.allowedRoles.contains(cert.role) else { throw .roleForbids(role: cert.role, operation: .administer) }
    }

    /// Throws unless `cert` lets its holder publish the policy of `district` (trust.md §9): a district
    /// admin whose certificate covers the district.
    public static func checkPolicy(district: ScopeID, under cert: Certificate) throws(TrustError) {
        try checkAdminister(under: cert)
        guard cert.covers(district) else { throw .outsideScope(district) }
    }

    /// Throws unless `cert` lets its holder publish the figures of `school` (trust.md §10): a school or
    /// district admin whose certificate covers it.
    public static func checkFigures(school: ScopeID, under cert: Certificate) throws(TrustError) {
        try check(operations: [.publishFigures], scope: school, under: cert)
    }

    /// Throws the first reason `cert` does not allow `operations` in `scope`: the check a relay
    /// makes on an encrypted payload from the operations its envelope declares (privacy.md §3).
    public static func check(operations: [Operation], scope: ScopeID, under cert: Certificate) throws(TrustError) {
        guard cert.covers(scope) else { throw .outsideScope(scope) }
        for operation in operations where !operation.allowedRoles.contains(cert.role) {
            throw .roleForbids(role: cert.role, operation: operation)
        }
    }

    /// Throws the first reason `cert` does not allow `ops` in `scope`.
    public static func check(_ ops: [RecordOp], scope: ScopeID, under cert: Certificate) throws(TrustError) {
        guard cert.covers(scope) else { throw .outsideScope(scope) }
        for op in ops {
            let operation = operation(of: op)
            guard operation.allowedRoles.contains(cert.role) else { throw .roleForbids(role: cert.role, operation: operation) }
        }
    }
}
