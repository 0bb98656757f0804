extension Event {
    /// Time-independent checks of an event's fields.
    public func validate() throws(RecordsError) {
        if let reason = amendReason { try Schema.text("amendReason", reason, required: true) }
        if amends != nil && amendReason == nil { throw .missingField("amendReason") }
        if amends == nil && amendReason != nil { throw .missingField("amends") }
        let kind = body.eventKind
        if kind.requiresChild && child == nil { throw .missingField("child") }
        if kind.requiresSubject && subject == nil { throw .missingField(kind == .householdCheck ? "survey" : "case") }
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
            guard (1...366).contains(a.schoolDays) else { throw .invalidField("schoolDays", reason: "1–366") }
        case .leave(let l):
            guard l.from <= l.to else { throw .invalidField("to", reason: "before from") }
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

    /// The date check at the edge: an event may not be dated after `today`
    /// plus the clock tolerance (days). Replicas apply it against the
    /// signed change's own timestamp, so every replica decides alike.
    public func validate(notAfter today: SimpleDate, toleranceDays: Int = 1) throws(RecordsError) {
        guard date.dayNumber <= today.dayNumber + toleranceDays else { throw .invalidField("date", reason: "in the future") }
    }
}
