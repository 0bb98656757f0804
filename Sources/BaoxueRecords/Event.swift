/// An immutable fact about a child or a file: once written it never changes.
/// A correction is a new event with `amends` and `amendReason`; both stay.
public struct Event: Sendable, Equatable {
    /// The child it is about (nil for a household check that found no child).
    public let child: RecordID?
    /// The case, household or survey it belongs to, if any.
    public let subject: RecordID?
    public let date: SimpleDate
    public let body: EventBody
    public let amends: OpID?
    public let amendReason: String?

    public init(
        child: RecordID?, subject: RecordID? = nil, date: SimpleDate, body: EventBody,
        amends: OpID? = nil, amendReason: String? = nil
    ) {
        self.child = child
        self.subject = subject
        self.date = date
        self.body = body
        self.amends = amends
        self.amendReason = amendReason
    }
}

/// What kind of event, with its own fields.
public enum EventBody: Sendable, Equatable {
    case visit(Visit)
    case absence(Absence)
    case leave(Leave)
    case persuasion(PersuasionAttempt)
    case homeTeaching(HomeTeachingSession)
    case householdCheck(HouseholdCheck)
    case verificationLetter(VerificationLetter)
    case followUp(FollowUp)

    /// Which kind of event this is.
    public var eventKind: EventKind {
        switch self {
        case .visit: .visit
        case .absence: .absence
        case .leave: .leave
        case .persuasion: .persuasion
        case .homeTeaching: .homeTeaching
        case .householdCheck: .householdCheck
        case .verificationLetter: .verificationLetter
        case .followUp: .followUp
        }
    }

    /// Stable code stored in the views.
    public var kind: String { eventKind.rawValue }
}

/// 家访 / 入户: a home visit.
public struct Visit: Sendable, Equatable {
    public var participants: [String]
    public var location: String?
    public var householdFound: Bool
    public var childSeen: Bool
    public var spokeTo: String
    public var reasonOut: String?
    public var agreed: String
    public var nextContact: SimpleDate?
    /// BLAKE2b-256 hex of attachments (photos, signed statements).
    public var evidence: [String]

    public init(
        participants: [String], location: String? = nil, householdFound: Bool, childSeen: Bool, spokeTo: String,
        reasonOut: String? = nil, agreed: String, nextContact: SimpleDate? = nil, evidence: [String] = []
    ) {
        self.participants = participants
        self.location = location
        self.householdFound = householdFound
        self.childSeen = childSeen
        self.spokeTo = spokeTo
        self.reasonOut = reasonOut
        self.agreed = agreed
        self.nextContact = nextContact
        self.evidence = evidence
    }
}

/// 缺课: days missed from `from` to `to`; unexcused ones count toward the ledger rule.
public struct Absence: Sendable, Equatable {
    public var from: SimpleDate
    public var to: SimpleDate
    public var schoolDays: Int
    public var excused: Bool
    public init(from: SimpleDate, to: SimpleDate, schoolDays: Int, excused: Bool) {
        self.from = from
        self.to = to
        self.schoolDays = schoolDays
        self.excused = excused
    }
}

/// 请假: a leave request; over the policy's days it requires visits and regular contact.
public struct Leave: Sendable, Equatable {
    public var from: SimpleDate
    public var to: SimpleDate
    public var reason: String
    public var approvedBy: String
    public init(from: SimpleDate, to: SimpleDate, reason: String, approvedBy: String) {
        self.from = from
        self.to = to
        self.reason = reason
        self.approvedBy = approvedBy
    }
}

/// One persuasion attempt of a case (劝返).
public struct PersuasionAttempt: Sendable, Equatable {
    /// How an attempt ended, with the words a teacher uses.
    public enum Outcome: String, Labelled {
        case returned, agreedToReturn, refused, noContact
        public var chinese: String {
            switch self {
            case .returned: "已返校"
            case .agreedToReturn: "同意返校"
            case .refused: "拒绝返校"
            case .noContact: "未联系上"
            }
        }
    }
    public var method: String
    public var outcome: Outcome
    public var note: String
    public init(method: String, outcome: Outcome, note: String) {
        self.method = method
        self.outcome = outcome
        self.note = note
    }
}

/// 送教上门: one home-teaching session; a class hour is the policy's minutes.
public struct HomeTeachingSession: Sendable, Equatable {
    public var classHours: Int
    public var teacher: String
    public var content: String
    public init(classHours: Int, teacher: String, content: String) {
        self.classHours = classHours
        self.teacher = teacher
        self.content = content
    }
}

/// One household checked in a shoe-leather survey (铁脚板摸排).
public struct HouseholdCheck: Sendable, Equatable {
    /// What the survey team found at the door.
    public enum Finding: String, Labelled {
        case allAttending, noHukou, noStudentRegistration, notAttending, householdAbsent
        public var chinese: String {
            switch self {
            case .allAttending: "均在校"
            case .noHukou: "无户籍"
            case .noStudentRegistration: "无学籍"
            case .notAttending: "未入学或未在校"
            case .householdAbsent: "家中无人"
            }
        }
    }
    public var address: String
    public var childrenFound: Int
    public var finding: Finding
    public init(address: String, childrenFound: Int, finding: Finding) {
        self.address = address
        self.childrenFound = childrenFound
        self.finding = finding
    }
}

/// 核查函: sent to the education authority of the child's household-registration place.
public struct VerificationLetter: Sendable, Equatable {
    public var sentTo: String
    public var reason: String
    public init(sentTo: String, reason: String) {
        self.sentTo = sentTo
        self.reason = reason
    }
}

/// 留得住: is the returned child still attending after 1, 3 or 6 months?
public struct FollowUp: Sendable, Equatable {
    public var months: Int
    public var attending: Bool
    public var note: String
    public init(months: Int, attending: Bool, note: String) {
        self.months = months
        self.attending = attending
        self.note = note
    }
}
