extension Event {
    /// Time-independent checks of an event's fields.
    public func validate() throws(RecordsError) {
        if let reason = amendReason { try Schema.text("amendReason", reason, required: true) }
        if amends != nil && amendReason == nil { throw .missingField("amendReason") }
        if amends == nil && amendReason != nil { throw .missingField("amends") }
        let kind = body.eventKind
        if kind.requiresChild && child == nil { throw .missingField("child") }
        if kind.requiresSubject && subject == nil { throw .missingField(kind == .householdCheck ? "survey" : "case") }
        if let subject, subject.hex.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) {
            throw .invalidField(kind == .householdCheck ? "survey" : "case", reason: "the all-zero id names nothing")
        }
        switch body {
        case .visit(let v):
            guard !v.participants.isEmpty else { throw .missingField("participants") }
            guard v.participants.count <= RecordOp.maxListLength else { throw .payloadTooLarge }
            for p in v.participants { try Schema.text("participants", p, required: true) }
            try Schema.text("spokeTo", v.spokeTo, required: v.householdFound)
            try Schema.text("agreed", v.agreed, required: false)
            if let next = v.nextContact, next < date { throw .invalidField("nextContact", reason: "before the visit") }
            try Evidence.validate(v.evidence)
        case .absence(let a):
            guard a.from <= a.to else { throw .invalidField("to", reason: "before from") }
            let days = a.to.dayNumber - a.from.dayNumber + 1
            guard (1...366).contains(a.schoolDays) else { throw .invalidField("schoolDays", reason: "1–366") }
            guard a.schoolDays <= days else { throw .invalidField("schoolDays", reason: "more than the \(days) day(s) from from to to") }
        case .leave(let l):
            guard l.from <= l.to else { throw .invalidField("to", reason: "before from") }
            guard l.to.dayNumber - l.from.dayNumber < Self.maxLeaveDays else {
                throw .invalidField("to", reason: "a leave lasts at most \(Self.maxLeaveDays) days (longer is a suspension)")
            }
            try Schema.text("reason", l.reason, required: true)
            try Schema.text("approvedBy", l.approvedBy, required: true)
        case .persuasion(let p):
            try Schema.text("method", p.method, required: true)
            try Schema.text("note", p.note, required: false)
        case .homeTeaching(let h):
            guard (1...8).contains(h.classHours) else { throw .invalidField("classHours", reason: "1–8 per session") }
            try Schema.text("teacher", h.teacher, required: true)
            try Schema.text("content", h.content, required: false)
        case .householdCheck(let h):
            try Schema.text("address", h.address, required: true)
            guard (0...30).contains(h.childrenFound) else { throw .invalidField("childrenFound", reason: "0–30") }
        case .verificationLetter(let v):
            try Schema.text("sentTo", v.sentTo, required: true)
            try Schema.text("reason", v.reason, required: true)
        case .followUp(let f):
            guard [1, 3, 6].contains(f.months) else { throw .invalidField("months", reason: "1, 3 or 6") }
        }
    }

    /// The longest leave: one semester. A child away longer is suspended (休学), a status.
    public static let maxLeaveDays = 183
    /// How far back an entry may be dated from the day it is signed: two school years, enough to
    /// enter last year's paper ledgers, not enough for a typo's 1990.
    public static let maxBackdateDays = 731
    /// How far ahead a planned date (a leave's end, a visit's next contact) may lie.
    public static let maxPlanDays = 366

    /// The checks against the day the change was signed (`today`, by the signing device's clock;
    /// every replica reads the same clock from the signed change, so all decide alike): no day
    /// after `today` plus the tolerance, none before `today` less `maxBackdateDays`; an absence
    /// ends by then; a leave or a next contact is planned at most `maxPlanDays` ahead.
    public func validate(signedOn today: SimpleDate, toleranceDays: Int = 1) throws(RecordsError) {
        let latest = today.dayNumber + toleranceDays, earliest = today.dayNumber - Self.maxBackdateDays
        func check(_ field: String, _ day: SimpleDate, notAfter last: Int = latest) throws(RecordsError) {
            guard day.dayNumber <= last else { throw .invalidField(field, reason: "in the future") }
            guard day.dayNumber >= earliest else {
                throw .invalidField(field, reason: "more than \(Self.maxBackdateDays) days before it was signed")
            }
        }
        try check("date", date)
        switch body {
        case .absence(let a):
            try check("from", a.from)
            try check("to", a.to)
        case .leave(let l):
            try check("from", l.from, notAfter: latest + Self.maxPlanDays)
            try check("to", l.to, notAfter: latest + Self.maxPlanDays)
        case .visit(let v):
            if let next = v.nextContact { try check("nextContact", next, notAfter: date.dayNumber + Self.maxPlanDays) }
        default:
            break
        }
    }
}
