/// A child's file, the work lists and the conflicts to settle.
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum ChildMessages: String, Message {
    case homeTeachingBook, classHoursThisMonthPolicy, short, child, inConflictToSettle, focusGroups, none, provisionalId, registryImport,
        statusReasonBy, toClosedOut, onOpen, herePartsExportBaoxueAttachment, syncingOfPartsHere, notOnThisDeviceArrives, void,
        backOnLeaveUntil, id, leaveToApprovedBy, familyFound, nobodyHome, childSeen, childNotSeen, spokeTo, whyOutOfSchool, agreed,
        nextContact, attachments, homeTeachingClassHours, verificationLetterTo, caseText, opened, responsible, open, settleConflict,
        recordChildProvisionally, provisional, childCannotBeMergedInto, isNotProvisionalRecordAwaiting, isNotRegistryRecordMerge,
        transferChild, todaysWork, onLeaveLongerThanPolicy, onLeaveSince, notContactedWithinPolicysInterval, neverContacted, lastContact,
        homeTeachingShortThisMonth, sessionsThisMonth, casesWithoutAttemptWithinPolicys, since, settled, formIsIncomplete,
        nothingToSettle, twoPeopleChangedThisAt, by, thisOneIsRight, conflicts, sourceMustBeXuejiOr, written, attachmentsHeading,
        statusUnknown, grade, provisionalToBeMerged, children, ledgerMustBeSuspectedOr, sinceLabel, openEntries, childId,
        recordedProvisionallyChildIdOnce, mergedEntryIdBaoxueVoid, giveRestoreOrReasonNot, sayWhyWithReason, conflictCount,
        reportMustBeMonthlyOr, surveyId, visit, voidedLedgerEntry, absenceFromTo, excused, unexcused, persuasionOutcome, householdCheck,
        followUpAfterMonths, attending, notAttending, reasonIs, closedAs, settledConflictOf, mergedSection, statusesSection,
        ledgersSection, casesSection, recordsSection, attachmentsSection, concurrentValues, transferRecorded, conflictIn, childAdded,
        childUpdated, childUnchanged

    public var text: (zh: String, en: String) {
        switch self {
        case .homeTeachingBook: ("送教上门工作手册：{1}，{2}", "home-teaching book: {1}, {2}")
        case .classHoursThisMonthPolicy: ("本月合计 {1} 课时，政策要求每月至少 {2} 课时", "{1} class hour(s) this month; the policy asks at least {2}")
        case .short: ("（不足）", " (short)")
        case .child: ("儿童 {1}", "child {1}")
        case .inConflictToSettle: ("（有冲突，待核实）", " (in conflict: to settle)")
        case .focusGroups: ("重点群体：", "focus groups: ")
        case .none: ("：无", ": none")
        case .provisionalId: ("{1}（临时登记：{2}）　编号 {3}", "{1} (provisional: {2})  id {3}")
        case .registryImport: ("名册导入", "registry import")
        case .statusReasonBy: ("（{1}）— {2}", " ({1}) — {2}")
        case .toClosedOut: ("至 {1} 销号", "to {1}, closed out")
        case .onOpen: ("起，在册", "on, open")
        case .herePartsExportBaoxueAttachment:
            (
                "{1}… 已在本机（{2} 段）；导出：baoxue attachment export {1}",
                "{1}… here ({2} part(s)); export: baoxue attachment export {1}"
            )
        case .syncingOfPartsHere: ("{1}… 正在同步：已到 {2}/{3} 段", "{1}… syncing: {2} of {3} part(s) here")
        case .notOnThisDeviceArrives:
            (
                "{1}… 不在本机（同步后到达，或只在拍摄的设备上）",
                "{1}… not on this device (arrives with a sync, or only on the device that took it)"
            )
        case .void: ("[已作废] ", "[void] ")
        case .backOnLeaveUntil: ("（{1} 销假，请假至 {2}）", " (back on {1}; leave until {2})")
        case .id: ("　编号 {1}", "  id {1}")
        case .leaveToApprovedBy: ("请假 {1} 至 {2}：{3}（批准人 {4}）", "leave {1} to {2}: {3} (approved by {4})")
        case .familyFound: ("见到家人", "family found")
        case .nobodyHome: ("家中无人", "nobody home")
        case .childSeen: ("见到儿童", "child seen")
        case .childNotSeen: ("未见到儿童", "child not seen")
        case .spokeTo: ("交谈对象：{1}", "spoke to: {1}")
        case .whyOutOfSchool: ("不在校原因：{1}", "why out of school: {1}")
        case .agreed: ("约定：{1}", "agreed: {1}")
        case .nextContact: ("下次联系 {1}", "next contact {1}")
        case .attachments: ("附件 {1} 个：", "{1} attachment(s): ")
        case .homeTeachingClassHours: ("送教上门 {1} 课时（{2}）", "home teaching, {1} class hour(s) ({2})")
        case .verificationLetterTo: ("核查函 发往 {1}：{2}", "verification letter to {1}: {2}")
        case .caseText: ("案卷 {1}", "case {1}")
        case .opened: ("（{1} 立案）", " (opened {1})")
        case .responsible: ("责任人：", "responsible: ")
        case .open: ("未结案", "open")
        case .settleConflict: ("核实冲突", "settle a conflict")
        case .recordChildProvisionally: ("临时登记儿童", "record a child provisionally")
        case .provisional: ("临时登记", "provisional")
        case .childCannotBeMergedInto: ("不能把儿童并入其本身", "a child cannot be merged into itself")
        case .isNotProvisionalRecordAwaiting: ("{1} 不是待合并的临时登记（只有临时登记、未合并、未作废的记录可以合并）", "{1} is not a provisional record awaiting a merge")
        case .isNotRegistryRecordMerge:
            (
                "{1} 不是有身份证号或学籍号的正式记录，请并入正式记录",
                "{1} is not a registry record; merge into the child's registry record"
            )
        case .transferChild: ("办理转学", "transfer a child")
        case .todaysWork: ("{1} 今日工作", "today's work, {1}")
        case .onLeaveLongerThanPolicy: ("请假超过规定天数、尚未家访", "on leave longer than the policy allows, not yet visited")
        case .onLeaveSince: ("，请假自 {1}", ", on leave since {1}")
        case .notContactedWithinPolicysInterval: ("超过规定间隔未联系", "not contacted within the policy's interval")
        case .neverContacted: ("，从未联系", ", never contacted")
        case .lastContact: ("，上次联系 {1}", ", last contact {1}")
        case .homeTeachingShortThisMonth: ("本月送教不足", "home teaching short this month")
        case .sessionsThisMonth: ("，本月 {1} 次", ", {1} session(s) this month")
        case .casesWithoutAttemptWithinPolicys: ("劝返案卷超过规定天数无劝返记录", "cases without an attempt within the policy's interval")
        case .since: ("，自 {1}", ", since {1}")
        case .settled: ("已核实。", "Settled.")
        case .formIsIncomplete: ("提交的内容不完整。", "the form is incomplete.")
        case .nothingToSettle: ("没有待核实的冲突。", "Nothing to settle.")
        case .twoPeopleChangedThisAt: ("两人同时改了这一项。哪个是对的？", "Two people changed this at the same time. Which is right?")
        case .by: ("记录人：", "by ")
        case .thisOneIsRight: ("以此为准", "This one is right")
        case .conflicts: ("冲突", "Conflicts")
        case .sourceMustBeXuejiOr: ("--source 只能是 xueji（学籍）或 huji（户籍）", "--source must be xueji or huji")
        case .written: ("已写入 {1}/{2}\n", "written {1}/{2}\n")
        case .attachmentsHeading: ("附件：", "attachments:")
        case .statusUnknown: ("状态未知", "status unknown")
        case .grade: ("{1} 年级", "grade {1}")
        case .provisionalToBeMerged: (" （临时登记，待合并）", " (provisional, to be merged)")
        case .children: ("共 {1} 人", "{1} child(ren)")
        case .ledgerMustBeSuspectedOr: ("台账只能是 疑似辍学（suspected）或 辍学（dropout）", "the ledger must be suspected or dropout")
        case .sinceLabel: ("自", "since")
        case .openEntries: ("共 {1} 人在册", "{1} open entr(ies)")
        case .childId: ("儿童编号 {1}", " Child id {1}")
        case .recordedProvisionallyChildIdOnce:
            (
                "已临时登记。儿童编号 {1}。知道身份证号后，用 baoxue child merge {2} --into 正式记录 合并。",
                "recorded provisionally. Child id {1}. Once the ID number is known, merge it: baoxue child merge {2}" + " --into CHILD"
            )
        case .mergedEntryIdBaoxueVoid: ("已合并。编号 {1}（如合并有误，用 baoxue void 撤销）", "merged. Entry id {1} (baoxue void undoes it)")
        case .giveRestoreOrReasonNot: ("--restore 与 --reason 只能选一个", "give --restore or --reason, not both")
        case .sayWhyWithReason: ("请用 --reason 写明作废原因（如 重复录入）", "say why with --reason")
        case .conflictCount: ("共 {1} 处冲突", "{1} conflict(s)")
        case .reportMustBeMonthlyOr: ("报表只能是 monthly 或 quarterly", "the report must be monthly or quarterly")
        case .surveyId: ("摸排编号 {1}", "survey id {1}")
        case .visit: ("家访（{1}）", "visit ({1})")
        case .voidedLedgerEntry: ("{1} {2}（已作废：{3}，不计入台账）", "{1} {2} (voided: {3}; never counted)")
        case .absenceFromTo: ("缺课 {1} 至 {2}，{3} 个上学日，{4}", "absence {1} to {2}, {3} school day(s), {4}")
        case .excused: ("已请假", "excused")
        case .unexcused: ("未请假", "unexcused")
        case .persuasionOutcome: ("劝返（{1}）：{2}", "persuasion ({1}): {2}")
        case .householdCheck: ("入户摸排 {1}：{2}，儿童 {3} 人", "household check {1}: {2}, {3} child(ren)")
        case .followUpAfterMonths: ("返校后 {1} 个月跟踪：{2}", "follow-up after {1} month(s): {2}")
        case .attending: ("在校", "attending")
        case .notAttending: ("未在校", "not attending")
        case .reasonIs: ("原因：{1}", "reason: {1}")
        case .closedAs: ("已结案：{1}", "closed: {1}")
        case .settledConflictOf: ("核实冲突（{1}）", "settled conflict ({1})")
        case .mergedSection: ("已并入的临时登记", "provisional records merged in")
        case .statusesSection: ("状态记录", "statuses")
        case .ledgersSection: ("台账", "ledger entries")
        case .casesSection: ("劝返案卷", "cases")
        case .recordsSection: ("工作记录", "records")
        case .attachmentsSection: ("附件", "attachments")
        case .concurrentValues: ("{1}（{2}）的{3}有 {4} 个并发值：", "{1} ({2}): {3} has {4} concurrent values:")
        case .transferRecorded:
            (
                "已办理转学：儿童 {1} 从 {2} 转入 {3}。\n转入学校的成员同步后即可查看该儿童的 {4} 条既往记录（仅此儿童，无需重新加密）；转出学校记为\"转出\"，转入学校记为\"转入\"。\n"
                    + "变更：转学档案 {5}…，转出 {6}…，转入 {7}…",
                "transfer recorded: child {1} from {2} to {3}.\nOnce they sync, the new school's members read this"
                    + " child's {4} earlier records (this child only, nothing re-encrypted); the old school records \""
                    + "transferred out\", the new one \"transferred in\".\nChanges: history {5}…, out {6}…, in {7}…"
            )
        case .conflictIn: (" ⚠ 冲突：{1}", " ⚠ conflict: {1}")
        case .childAdded: ("已登记。", "added.")
        case .childUpdated: ("已更新。", "updated.")
        case .childUnchanged: ("信息未变。", "nothing changed.")
        }
    }
}
