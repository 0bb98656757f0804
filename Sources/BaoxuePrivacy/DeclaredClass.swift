import BaoxueRecords
import BaoxueTrust

/// All a sealed payload's header says in clear about what its change does: the class of
/// operations it may contain (privacy.md §3.1). It is what the relay's role check needs and no
/// more: which of the three tiers of the role table (trust.md §4) the author claims.
///
/// Invariant: each class contains the one below it, and a role allows a class exactly when it
/// allows every operation in it, so "the author's role allows the class" is the relay's whole check;
/// every reader checks after decrypting that each op belongs to the declared class.
/// Writers declare the highest class the author's role allows, not the class of the ops, so the
/// byte repeats what the author's certificate already says and reveals nothing of the content.
public enum DeclaredClass: UInt8, Sendable, CaseIterable, Comparable {
    /// Edits, visits (摸排, follow-ups), persuasion: every role of a school may write these.
    case field = 1
    /// Also absences, leave, home teaching, and voids: not a village liaison.
    case school = 2
    /// Also verification letters, close-outs (销号), key grants and transfers: admins only.
    case admin = 3

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// The operations a change of this class may perform.
    public var operations: [Operation] {
        switch self {
        case .field: [.editRecord, .recordVisit, .recordPersuasion]
        case .school: Self.field.operations + [.recordSchoolEvent, .voidRecord]
        case .admin: Self.school.operations + [.issueLetter, .closeOut, .grantKeys]
        }
    }

    /// The lowest class containing `operation`; nil for those never sealed (administer, witness).
    public static func of(_ operation: Operation) -> DeclaredClass? {
        allCases.first { $0.operations.contains(operation) }
    }

    /// The lowest class containing every op of `payload`.
    public static func covering(_ payload: RecordPayload) -> DeclaredClass {
        payload.ops.map { of(Permissions.operation(of: $0)) ?? .admin }.max() ?? .field
    }

    /// The highest class `role` allows; nil for a role that writes no record (a relay).
    public static func highest(for role: Role) -> DeclaredClass? {
        allCases.reversed().first { $0.operations.allSatisfy { $0.allowedRoles.contains(role) } }
    }

    /// Throws unless every op of `payload` belongs to this class.
    public func check(covers payload: RecordPayload) throws(PrivacyError) {
        let outside = payload.ops.map(Permissions.operation(of:)).filter { !operations.contains($0) }
        guard outside.isEmpty else { throw .undeclaredOperation(Set(outside.map(\.rawValue)).sorted().joined(separator: ",")) }
    }
}
