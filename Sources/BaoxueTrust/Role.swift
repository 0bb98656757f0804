/// What a certificate lets its holder do (`Protocol/trust.md`, "Roles").
public enum Role: UInt8, CaseIterable, Sendable, Codable {
    case teacher = 1
    case liaison = 2
    case schoolAdmin = 3
    case relay = 4
    case districtAdmin = 5

    public var chinese: String {
        switch self {
        case .teacher: "教师"
        case .liaison: "村联络员"
        case .schoolAdmin: "学校管理员"
        case .relay: "乡镇中继"
        case .districtAdmin: "区县管理员"
        }
    }

    public var english: String {
        switch self {
        case .teacher: "teacher"
        case .liaison: "village liaison"
        case .schoolAdmin: "school admin"
        case .relay: "township relay"
        case .districtAdmin: "district admin"
        }
    }
}

/// An operation a change performs, as permissions see it.
public enum Operation: String, CaseIterable, Sendable, Codable {
    /// Set or change fields and sets of a record (child, household, case file, survey).
    case editRecord
    /// Record a home visit, a household check (摸排) or a follow-up.
    case recordVisit
    /// Record an absence, a leave or a home-teaching session (school-side facts).
    case recordSchoolEvent
    /// Record a persuasion-to-return attempt (劝返).
    case recordPersuasion
    /// Issue a verification letter (核查函).
    case issueLetter
    /// Void a record entered by mistake.
    case voidRecord
    /// Close out a ledger entry (销号).
    case closeOut
    /// Resolve an equivocation, certify devices, revoke them.
    case administer
    /// Countersign a receipt for changes a relay stored first (trust.md §6).
    case witness
    /// Hand a scope's key to its members, or rotate it after a revocation (privacy.md §2).
    case grantKeys
    /// Publish a school's month of figures in clear, counts only (trust.md §10).
    case publishFigures

    /// Its bit in a sealed payload's declared operations (privacy.md §3.1), fixed here rather than
    /// by declaration order, so adding an operation never changes what signed payloads meant.
    public var bit: UInt16 {
        switch self {
        case .editRecord: 1 << 0
        case .recordVisit: 1 << 1
        case .recordSchoolEvent: 1 << 2
        case .recordPersuasion: 1 << 3
        case .issueLetter: 1 << 4
        case .voidRecord: 1 << 5
        case .closeOut: 1 << 6
        case .administer: 1 << 7
        case .witness: 1 << 8
        case .grantKeys: 1 << 9
        case .publishFigures: 1 << 10
        }
    }

    /// The table of `Protocol/trust.md` and the README: which roles may perform it.
    public var allowedRoles: Set<Role> {
        switch self {
        case .editRecord: [.teacher, .liaison, .schoolAdmin, .districtAdmin]
        case .recordVisit: [.teacher, .liaison, .schoolAdmin, .districtAdmin]
        case .recordSchoolEvent: [.teacher, .schoolAdmin, .districtAdmin]
        case .recordPersuasion: [.teacher, .liaison, .schoolAdmin, .districtAdmin]
        case .issueLetter: [.schoolAdmin, .districtAdmin]
        case .voidRecord: [.teacher, .schoolAdmin, .districtAdmin]
        case .closeOut: [.schoolAdmin, .districtAdmin]
        case .administer: [.districtAdmin]
        case .witness: [.relay]
        case .grantKeys: [.schoolAdmin, .districtAdmin]
        case .publishFigures: [.schoolAdmin, .districtAdmin]
        }
    }
}
