/// The fast reader's events: `{"event":{"_0":{…}}}` with every body kind. An optional
/// field is absent or has a value; a `null` (which JSONDecoder reads as absent) is left
/// to JSONDecoder, like everything else the reader does not know.
extension PayloadScanner {
    mutating func event() -> Event? {
        var child: RecordID??, subject: RecordID??, date: SimpleDate?, body: EventBody?, amends: OpID??, amendReason: String??
        guard object({ s, key in
            switch key {
            case "child": Self.once(&child, s.text(RecordID.self).map(Optional.some))
            case "subject": Self.once(&subject, s.text(RecordID.self).map(Optional.some))
            case "date": Self.once(&date, s.text(SimpleDate.self))
            case "body": Self.once(&body, s.eventBody())
            case "amends": Self.once(&amends, s.text(OpID.self).map(Optional.some))
            case "amendReason": Self.once(&amendReason, s.string().map(Optional.some))
            default: false
            }
        }), let date, let body else { return nil }
        return Event(child: child ?? nil, subject: subject ?? nil, date: date, body: body, amends: amends ?? nil, amendReason: amendReason ?? nil)
    }

    private mutating func eventBody() -> EventBody? {
        oneOf { s, kind in
            switch kind {
            case "visit": s.wrapped { s in s.visit() }.map(EventBody.visit)
            case "absence": s.wrapped { s in s.absence() }.map(EventBody.absence)
            case "leave": s.wrapped { s in s.leave() }.map(EventBody.leave)
            case "persuasion": s.wrapped { s in s.persuasion() }.map(EventBody.persuasion)
            case "homeTeaching": s.wrapped { s in s.homeTeaching() }.map(EventBody.homeTeaching)
            case "householdCheck": s.wrapped { s in s.householdCheck() }.map(EventBody.householdCheck)
            case "verificationLetter": s.wrapped { s in s.verificationLetter() }.map(EventBody.verificationLetter)
            case "followUp": s.wrapped { s in s.followUp() }.map(EventBody.followUp)
            default: nil
            }
        }
    }

    private mutating func visit() -> Visit? {
        var participants: [String]?, location: String??, householdFound: Bool?, childSeen: Bool?, spokeTo: String?
        var reasonOut: String??, agreed: String?, nextContact: SimpleDate??, evidence: [String]?
        guard object({ s, key in
            switch key {
            case "participants": Self.once(&participants, s.array { s in s.string() })
            case "location": Self.once(&location, s.string().map(Optional.some))
            case "householdFound": Self.once(&householdFound, s.bool())
            case "childSeen": Self.once(&childSeen, s.bool())
            case "spokeTo": Self.once(&spokeTo, s.string())
            case "reasonOut": Self.once(&reasonOut, s.string().map(Optional.some))
            case "agreed": Self.once(&agreed, s.string())
            case "nextContact": Self.once(&nextContact, s.text(SimpleDate.self).map(Optional.some))
            case "evidence": Self.once(&evidence, s.array { s in s.string() })
            default: false
            }
        }), let participants, let householdFound, let childSeen, let spokeTo, let agreed, let evidence else { return nil }
        return Visit(participants: participants, location: location ?? nil, householdFound: householdFound, childSeen: childSeen,
                     spokeTo: spokeTo, reasonOut: reasonOut ?? nil, agreed: agreed, nextContact: nextContact ?? nil, evidence: evidence)
    }

    private mutating func absence() -> Absence? {
        var from: SimpleDate?, to: SimpleDate?, schoolDays: Int?, excused: Bool?
        guard object({ s, key in
            switch key {
            case "from": Self.once(&from, s.text(SimpleDate.self))
            case "to": Self.once(&to, s.text(SimpleDate.self))
            case "schoolDays": Self.once(&schoolDays, s.int())
            case "excused": Self.once(&excused, s.bool())
            default: false
            }
        }), let from, let to, let schoolDays, let excused else { return nil }
        return Absence(from: from, to: to, schoolDays: schoolDays, excused: excused)
    }

    private mutating func leave() -> Leave? {
        var from: SimpleDate?, to: SimpleDate?, reason: String?, approvedBy: String?
        guard object({ s, key in
            switch key {
            case "from": Self.once(&from, s.text(SimpleDate.self))
            case "to": Self.once(&to, s.text(SimpleDate.self))
            case "reason": Self.once(&reason, s.string())
            case "approvedBy": Self.once(&approvedBy, s.string())
            default: false
            }
        }), let from, let to, let reason, let approvedBy else { return nil }
        return Leave(from: from, to: to, reason: reason, approvedBy: approvedBy)
    }

    private mutating func persuasion() -> PersuasionAttempt? {
        var method: String?, outcome: PersuasionAttempt.Outcome?, note: String?
        guard object({ s, key in
            switch key {
            case "method": Self.once(&method, s.string())
            case "outcome": Self.once(&outcome, s.string().flatMap(PersuasionAttempt.Outcome.init(rawValue:)))
            case "note": Self.once(&note, s.string())
            default: false
            }
        }), let method, let outcome, let note else { return nil }
        return PersuasionAttempt(method: method, outcome: outcome, note: note)
    }

    private mutating func homeTeaching() -> HomeTeachingSession? {
        var classHours: Int?, teacher: String?, content: String?
        guard object({ s, key in
            switch key {
            case "classHours": Self.once(&classHours, s.int())
            case "teacher": Self.once(&teacher, s.string())
            case "content": Self.once(&content, s.string())
            default: false
            }
        }), let classHours, let teacher, let content else { return nil }
        return HomeTeachingSession(classHours: classHours, teacher: teacher, content: content)
    }

    private mutating func householdCheck() -> HouseholdCheck? {
        var address: String?, childrenFound: Int?, finding: HouseholdCheck.Finding?
        guard object({ s, key in
            switch key {
            case "address": Self.once(&address, s.string())
            case "childrenFound": Self.once(&childrenFound, s.int())
            case "finding": Self.once(&finding, s.string().flatMap(HouseholdCheck.Finding.init(rawValue:)))
            default: false
            }
        }), let address, let childrenFound, let finding else { return nil }
        return HouseholdCheck(address: address, childrenFound: childrenFound, finding: finding)
    }

    private mutating func verificationLetter() -> VerificationLetter? {
        var sentTo: String?, reason: String?
        guard object({ s, key in
            switch key {
            case "sentTo": Self.once(&sentTo, s.string())
            case "reason": Self.once(&reason, s.string())
            default: false
            }
        }), let sentTo, let reason else { return nil }
        return VerificationLetter(sentTo: sentTo, reason: reason)
    }

    private mutating func followUp() -> FollowUp? {
        var months: Int?, attending: Bool?, note: String?
        guard object({ s, key in
            switch key {
            case "months": Self.once(&months, s.int())
            case "attending": Self.once(&attending, s.bool())
            case "note": Self.once(&note, s.string())
            default: false
            }
        }), let months, let attending, let note else { return nil }
        return FollowUp(months: months, attending: attending, note: note)
    }
}
