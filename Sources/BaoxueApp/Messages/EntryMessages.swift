/// Recording field work: entry kinds, their forms' labels and choices.
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum EntryMessages: String, Message {
    case absence, leave, returnFromLeave, visit, persuasionAttempt, homeTeachingSession, verificationLetter, fieldSet, caseOpened,
        followUp, focusGroups, peopleResponsibleForCase, childRecordRestored, childRecordVoided, recordedChildSignedEntryId, caseId,
        attachment, noSuchChild, photoCouldNotBeKept, back, save, recordAbsence, firstDay, lastDay, schoolDays, excusedLabel, unexcused,
        excusedChoice, recordVisit, date, whoWentCommaSeparated, householdFound, childSeen, spokeToEGMother, whatWasAgreed,
        nextContactOptional, photosOptionalAtMostMb, recordLeave, leaveFirstDay, leaveLastDay, reasonEGIllness, approvedBy,
        returnFromLeaveTitle, thisChildHasNoLeave, whichLeave, backAtSchoolOn, recordPersuasionAttempt, thisChildHasNoOpen, caseText,
        dateOfContact, howEGAtHome, outcome, note, recordHomeTeachingSession, classHours, teacher, whatWasTaught, closeOutLedgerEntry,
        thisChildIsOnNo, ledger, noteEGBackAnd, evidencePhotosRequiredAtMost, statusSetTo, caseClosedAs, closedOutOf, whatFirstDay,
        whatLastDay, whatSchoolDays, whatVisitDate, whatWhoWent, whatNextContact, whatLeaveFrom, whatLeaveTo, whatReason, whatApprovedBy,
        whatReturnDate, whatAttemptDate, whatMethod, whatSessionDate, whatClassHours, whatTeacher, whatTaught, whatCloseOutNote, yes, no,
        lastDayBeforeFirst, closeOutNeedsEvidence, enterDate, enterText, numberInRange, chooseOneOf

    public var text: (zh: String, en: String) {
        switch self {
        case .absence: ("缺课", "absence")
        case .leave: ("请假", "leave")
        case .returnFromLeave: ("销假", "return from leave")
        case .visit: ("家访", "visit")
        case .persuasionAttempt: ("劝返", "persuasion attempt")
        case .homeTeachingSession: ("送教上门", "home-teaching session")
        case .verificationLetter: ("核查函", "verification letter")
        case .fieldSet: ("修改 {1}", "field {1} set")
        case .caseOpened: ("立案（一人一案）", "case opened")
        case .followUp: ("返校后跟踪", "follow-up")
        case .focusGroups: ("重点群体", "focus groups")
        case .peopleResponsibleForCase: ("案卷责任人", "people responsible for the case")
        case .childRecordRestored: ("恢复儿童记录", "child record restored")
        case .childRecordVoided: ("作废儿童记录（{1}）", "child record voided ({1})")
        case .recordedChildSignedEntryId: ("已记录{1}（儿童 {2}，已签名）。记录项编号 {3}", "recorded: {1} (child {2}, signed). Entry id {3}")
        case .caseId: ("。案卷编号 {1}", ". Case id {1}")
        case .attachment: ("。附件 {1}…", ". Attachment {1}…")
        case .noSuchChild: ("找不到这个儿童。", "no such child.")
        case .photoCouldNotBeKept: ("无法保存照片，请重试。", "the photo could not be kept: try again.")
        case .back: ("返回", "Back")
        case .save: ("保存", "Save")
        case .recordAbsence: ("记录缺课", "Record an absence")
        case .firstDay: ("第一天", "First day")
        case .lastDay: ("最后一天", "Last day")
        case .schoolDays: ("上学日天数", "School days")
        case .excusedLabel: ("是否请假", "Excused?")
        case .unexcused: ("未请假", "Unexcused")
        case .excusedChoice: ("已请假", "Excused")
        case .recordVisit: ("记录家访", "Record a visit")
        case .date: ("家访日期", "Date")
        case .whoWentCommaSeparated: ("参加人员（逗号分隔）", "Who went (comma-separated)")
        case .householdFound: ("找到住户", "Household found")
        case .childSeen: ("见到儿童", "Child seen")
        case .spokeToEGMother: ("谈话对象（如 母亲）", "Spoke to (e.g. mother)")
        case .whatWasAgreed: ("商定事项", "What was agreed")
        case .nextContactOptional: ("下次联系日期（可不填）", "Next contact (optional)")
        case .photosOptionalAtMostMb: ("照片（可不填，最多 3 张，每张最多 8 MB）", "Photos (optional, 3 at most, 8 MB each)")
        case .recordLeave: ("记录请假", "Record a leave")
        case .leaveFirstDay: ("请假开始", "First day")
        case .leaveLastDay: ("请假结束", "Last day")
        case .reasonEGIllness: ("事由（如 病假）", "Reason (e.g. illness)")
        case .approvedBy: ("批准人", "Approved by")
        case .returnFromLeaveTitle: ("销假", "Return from leave")
        case .thisChildHasNoLeave: ("这个儿童没有未销的假。", "This child has no leave to end.")
        case .whichLeave: ("哪一次请假", "Which leave")
        case .backAtSchoolOn: ("返校日期", "Back at school on")
        case .recordPersuasionAttempt: ("记录劝返", "Record a persuasion attempt")
        case .thisChildHasNoOpen: ("这个儿童还没有劝返案卷。请学校管理员先立案（一人一案）。", "This child has no open case: a school admin opens one first.")
        case .caseText: ("劝返案卷", "Case")
        case .dateOfContact: ("日期", "Date")
        case .howEGAtHome: ("方式（如 入户、电话）", "How (e.g. at home, by phone)")
        case .outcome: ("结果", "Outcome")
        case .note: ("情况说明", "Note")
        case .recordHomeTeachingSession: ("记录送教上门", "Record a home-teaching session")
        case .classHours: ("课时", "Class hours")
        case .teacher: ("送教教师", "Teacher")
        case .whatWasTaught: ("教学内容", "What was taught")
        case .closeOutLedgerEntry: ("销号", "Close out a ledger entry")
        case .thisChildIsOnNo: ("这个儿童不在任何台账上。", "This child is on no ledger.")
        case .ledger: ("台账", "Ledger")
        case .noteEGBackAnd: ("销号说明（如 已返校并连续在校）", "Note (e.g. back and attending)")
        case .evidencePhotosRequiredAtMost: ("佐证材料照片（必填，最多 3 张，每张最多 8 MB）", "Evidence photos (required, 3 at most, 8 MB each)")
        case .statusSetTo: ("状态改为{1}", "status set to {1}")
        case .caseClosedAs: ("结案（{1}）", "case closed ({1})")
        case .closedOutOf: ("{1}销号", "closed out of {1}")
        case .whatFirstDay: ("开始日期", "first day")
        case .whatLastDay: ("结束日期", "last day")
        case .whatSchoolDays: ("上学日天数", "school days")
        case .whatVisitDate: ("家访日期", "visit date")
        case .whatWhoWent: ("参加家访的人", "who went")
        case .whatNextContact: ("下次联系日期", "next contact date")
        case .whatLeaveFrom: ("请假开始日期", "first day of leave")
        case .whatLeaveTo: ("请假结束日期", "last day of leave")
        case .whatReason: ("事由", "the reason")
        case .whatApprovedBy: ("批准人", "who approved it")
        case .whatReturnDate: ("返校日期", "return date")
        case .whatAttemptDate: ("劝返日期", "date of the attempt")
        case .whatMethod: ("方式", "how it was done")
        case .whatSessionDate: ("送教日期", "session date")
        case .whatClassHours: ("课时", "class hours")
        case .whatTeacher: ("送教教师", "the teacher")
        case .whatTaught: ("教学内容", "what was taught")
        case .whatCloseOutNote: ("销号说明", "a note")
        case .yes: ("是", "Yes")
        case .no: ("否", "No")
        case .lastDayBeforeFirst: ("结束日期不能早于开始日期。", "the last day cannot be before the first.")
        case .closeOutNeedsEvidence: ("销号必须附佐证材料照片。", "a close-out needs an evidence photo.")
        case .enterDate: ("请填写{1}，如 2026-12-02。", "enter the {1}, e.g. 2026-12-02.")
        case .enterText: ("请填写{1}。", "enter {1}.")
        case .numberInRange: ("{1}应为 {2} 到 {3}。", "{1}: {2} to {3}.")
        case .chooseOneOf: ("请选择：{1}。", "choose one of: {1}.")
        }
    }
}
