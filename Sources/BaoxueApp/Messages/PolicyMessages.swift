/// District policies, privacy (school keys, transfers) and the device passphrase.
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum PolicyMessages: String, Message {
    case noDistrictGiven, rulesInForceForOn, inForceFrom, builtInFengnanNotice, noDistrictHasPublishedPolicy, publishedPolicies,
        inForceFromChange, unexcusedSchoolDaysInRow, leaveLongerThanThisMany, contactAtLeastEveryThis, homeTeachingSessionsMonthAt,
        classHoursSession, classHoursSemesterAtLeast, minutesClassHour, daysWithoutPersuasionAttemptBefore, firstAgeOfCompulsoryEducation,
        lastAgeOfCompulsoryEducation, ageReferenceDayMonth, ageReferenceDayDay, notEncryptedSchoolAdminRuns,
        transferredChildrensHistoryThisDevice, encryptedThisDeviceHoldsEpoch, encryptedThisDeviceHoldsNo, changesNotReadableYet,
        membersLackKeyRunKeys, deviceWasRevokedOrLeft, keyWasSealedToNew, lockedDeviceKeyAndData, warningRecordChangesWrittenBefore,
        publishedRulesOfInForce, recordedButNotInEffect, devicePassphrase, noSchoolScopeInThis, rebuilding, unlocked,
        destroyedKeysAndDataOf, revokedDevicesHoldCurrentKey

    public var text: (zh: String, en: String) {
        switch self {
        case .noDistrictGiven: ("（未指定区县）", "(no district given)")
        case .rulesInForceForOn: ("{1} 在 {2} 执行的规定：", "rules in force for {1} on {2}:")
        case .inForceFrom: ("（{1} 起施行）", " (in force from {1})")
        case .builtInFengnanNotice: ("（内置默认：丰南区通知）", " (built-in: the Fengnan notice)")
        case .noDistrictHasPublishedPolicy: ("本机尚未收到任何区县发布的规定。", "no district has published a policy here yet.")
        case .publishedPolicies: ("已发布的规定：", "published policies:")
        case .inForceFromChange: ("  {1}，{2} 起施行（变更 {3}）", "  {1}, in force from {2} (change {3})")
        case .unexcusedSchoolDaysInRow: ("连续无故缺课几天纳入疑似辍学台账", "unexcused school days in a row that open the ledger")
        case .leaveLongerThanThisMany: ("请假超过几天须家访", "leave longer than this many days needs a visit")
        case .contactAtLeastEveryThis: ("长期请假或在台账期间至少每几天联系一次", "contact at least every this many days")
        case .homeTeachingSessionsMonthAt: ("送教上门每月至少几次", "home-teaching sessions a month, at least")
        case .classHoursSession: ("送教每次几课时", "class hours a session")
        case .classHoursSemesterAtLeast: ("送教每学期至少几课时", "class hours a semester, at least")
        case .minutesClassHour: ("每课时几分钟", "minutes a class hour")
        case .daysWithoutPersuasionAttemptBefore: ("劝返案卷几天无劝返记录即提醒", "days without a persuasion attempt before a case is flagged")
        case .firstAgeOfCompulsoryEducation: ("义务教育起始年龄（周岁）", "first age of compulsory education")
        case .lastAgeOfCompulsoryEducation: ("义务教育截止年龄（周岁）", "last age of compulsory education")
        case .ageReferenceDayMonth: ("年龄计算基准日：月", "age reference day: month")
        case .ageReferenceDayDay: ("年龄计算基准日：日", "age reference day: day")
        case .notEncryptedSchoolAdminRuns:
            (
                "{1}：未加密。学校管理员运行 baoxue keys grant --scope {1} 开始加密。",
                "{1}: not encrypted. The school admin runs baoxue keys grant --scope {1} to start."
            )
        case .transferredChildrensHistoryThisDevice:
            (
                "{1}：转入儿童的既往记录，本机持有 {2} 把儿童密钥（只能读这些儿童）",
                "{1}: transferred children's history; this device holds {2} child key(s) (those children only)"
            )
        case .encryptedThisDeviceHoldsEpoch:
            (
                "{1}：已加密，本机持有第 {2} 代密钥（最新第 {3} 代）",
                "{1}: encrypted, this device holds epoch {2} (newest {3})"
            )
        case .encryptedThisDeviceHoldsNo: ("{1}：已加密，本机还没有密钥，请学校管理员授予", "{1}: encrypted, this device holds no key yet; ask the school admin")
        case .changesNotReadableYet: ("{1} 条变更暂不能读", "{1} changes not readable yet")
        case .membersLackKeyRunKeys: ("{1} 名成员缺少密钥，请运行 keys grant", "{1} members lack the key: run keys grant")
        case .deviceWasRevokedOrLeft:
            (
                "{1}：有设备被吊销或已离开本校，已换用新一代密钥并发给其余成员",
                "{1}: a device was revoked or left the school; a new key was sealed to the remaining members"
            )
        case .keyWasSealedToNew: ("{1}：已把密钥发给 {2} 名新成员", "{1}: the key was sealed to {2} new member(s)")
        case .lockedDeviceKeyAndData:
            (
                "已锁定 {1}：设备密钥和数据密钥已用口令封存，查询表已清除。运行 baoxue unlock 解锁。",
                "locked {1}: the device key and data keys are sealed under the passphrase and the views are cleared."
                    + " Run baoxue unlock to unlock."
            )
        case .warningRecordChangesWrittenBefore:
            (
                "注意：日志中有 {1} 条在加密前写入的记录变更仍可读。",
                "warning: {1} record changes written before encryption are still readable in the log."
            )
        case .publishedRulesOfInForce:
            (
                "已发布 {1} 的规定，自 {2} 起施行；将随同步传到各设备。",
                "published the rules of {1}, in force from {2}; they travel with every sync."
            )
        case .recordedButNotInEffect:
            (
                "已记录，但未生效（被隔离）。运行 baoxue quarantine 查看原因。",
                "recorded but not in effect (quarantined); run baoxue quarantine."
            )
        case .devicePassphrase: ("请输入本机解锁口令：", "device passphrase: ")
        case .noSchoolScopeInThis: ("副本中还没有任何学校范围。", "no school scope in this replica yet.")
        case .rebuilding: ("  重建中：{1}/{2}\n", "  rebuilding: {1}/{2}\n")
        case .unlocked: ("已解锁。", "unlocked.")
        case .destroyedKeysAndDataOf: ("已销毁 {1} 的密钥和数据。", "destroyed the keys and data of {1}.")
        case .revokedDevicesHoldCurrentKey:
            (
                "已吊销的设备 {1} 仍持有当前密钥，请运行 keys grant --rotate",
                "revoked device(s) {1} hold the current key: run keys grant --rotate"
            )
        }
    }
}
