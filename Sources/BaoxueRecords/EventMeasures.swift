/// What reports filter and sum on, read from an event's body once when the views store it,
/// so no query ever parses a stored event (the views keep the event's format-2 bytes).
extension EventBody {
    /// The days an absence or leave covers.
    public var span: (from: SimpleDate, to: SimpleDate)? {
        switch self {
        case .absence(let a): (a.from, a.to)
        case .leave(let l): (l.from, l.to)
        default: nil
        }
    }

    /// The count the kind has: school days missed, class hours taught, children found, months after return.
    public var amount: Int? {
        switch self {
        case .absence(let a): a.schoolDays
        case .homeTeaching(let h): h.classHours
        case .householdCheck(let h): h.childrenFound
        case .followUp(let f): f.months
        default: nil
        }
    }

    /// The outcome the kind records, as its stable code: `excused`/`unexcused`, a persuasion's
    /// outcome, a household check's finding, `attending`/`notAttending`.
    public var code: String? {
        switch self {
        case .absence(let a): a.excused ? "excused" : "unexcused"
        case .persuasion(let p): p.outcome.rawValue
        case .householdCheck(let h): h.finding.rawValue
        case .followUp(let f): f.attending ? "attending" : "notAttending"
        default: nil
        }
    }
}
