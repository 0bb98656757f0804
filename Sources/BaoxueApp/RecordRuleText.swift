import BaoxueRecords

/// The record rules' refusals in a teacher's words: each field by the label a school form gives
/// it and each reason in Chinese, so no field identifier reaches a Chinese message. The rules
/// themselves keep English reasons, which are what every replica stores for a rejected op.
enum RecordRuleText {
    static let fieldLabels: [String: String] = [
        "name": "姓名", "gender": "性别", "birthDate": "出生日期", "idNumber": "身份证号", "studentNumber": "学籍号",
        "hukouPlace": "户籍地", "residence": "现住址", "guardianName": "监护人", "guardianPhone": "监护人电话", "phone": "电话",
        "school": "学校", "grade": "年级", "className": "班级", "village": "村（居）", "status": "状态", "voided": "作废原因",
        "provisional": "临时登记（如何发现）", "mergedInto": "已并入",
        "date": "日期", "from": "起始日期", "to": "结束日期", "schoolDays": "缺课天数", "reason": "原因", "approvedBy": "批准人",
        "participants": "参加人员", "spokeTo": "交谈对象", "agreed": "约定事项", "nextContact": "下次联系日期", "evidence": "佐证材料",
        "method": "劝返方式", "note": "说明", "classHours": "课时", "teacher": "送教教师", "content": "送教内容", "address": "地址",
        "childrenFound": "儿童人数", "sentTo": "发往单位", "months": "跟踪月数", "case": "案卷", "survey": "摸排", "leave": "请假记录",
        "returned": "返校日期", "amendReason": "修订原因", "amends": "所修订的记录", "focus": "重点群体", "tags": "标签",
        "closes": "台账条目", "record": "记录编号", "child": "儿童", "placement": "安置方式", "outcome": "结果", "reasonText": "原因说明",
    ]

    /// Reasons by their fixed start; the rest of a reason (a date, a number) is carried over.
    static let reasons: [(prefix: String, chinese: @Sendable (String) -> String)] = [
        ("in the future", { _ in "不能晚于明天" }),
        ("dated in the future", { _ in "日期不能晚于明天" }),
        ("more than \(Event.maxBackdateDays) days before", { _ in "早于两个学年以前（\(Event.maxBackdateDays) 天），请核对年份" }),
        ("dated more than \(Event.maxBackdateDays) days", { _ in "日期早于两个学年以前（\(Event.maxBackdateDays) 天），请核对年份" }),
        ("more than the ", { rest in "超过起止日期之间的天数（\(rest.filter(\.isNumber)) 天）" }),
        ("a leave lasts at most", { _ in "请假最长 \(Event.maxLeaveDays) 天；更长时间不在校请把状态改为休学" }),
        ("before from", { _ in "早于起始日期" }),
        ("before the visit", { _ in "早于家访日期" }),
        ("before the leave began", { _ in "早于请假开始日期" }),
        ("before the child was born (", { rest in "早于儿童的出生日期（\(rest.dropLast())）" }),
        ("already ended on ", { rest in "已于 \(rest) 销假，不能再次销假" }),
        ("not a leave of this child", { _ in "不是这个儿童的请假记录，请用 baoxue audit 查看记录项编号" }),
        ("no such case", { _ in "在本机找不到；请核对案卷编号，或先用 baoxue case open 立案、同步后重试" }),
        ("the case of another child", { _ in "属于另一个儿童，请核对案卷编号" }),
        ("the case is closed", { _ in "已结案，不能再记录劝返或再次结案" }),
        ("the all-zero id names nothing", { _ in "编号无效" }),
        ("1–366", { _ in "应为 1–366" }),
        ("1–8 per session", { _ in "每次应为 1–8 课时" }),
        ("0–30", { _ in "应为 0–30" }),
        ("1, 3 or 6", { _ in "应为 1、3 或 6" }),
        ("grade 1–9", { _ in "应为 1–9 年级" }),
        ("male or female", { _ in "应为 男 或 女" }),
        ("not a real date", { _ in "不是真实的日期" }),
        ("must be yyyy-MM-dd", { _ in "日期格式应为 2026-09-01" }),
        ("must be 18 characters", { _ in "应为 18 位" }),
        ("first 17 must be digits", { _ in "前 17 位应为数字" }),
        ("check digit does not match", { _ in "校验位不对，请核对号码" }),
        ("birth date is not a real date", { _ in "其中的出生日期不是真实日期" }),
        ("digits and hyphen only", { _ in "只能包含数字和一个连字符" }),
        ("not a mobile or landline number", { _ in "不是手机号（11 位）或座机号（以 0 开头）" }),
        ("longer than", { _ in "太长" }),
        ("control characters", { _ in "含有不可见的控制字符" }),
        ("unknown focus group", { _ in "不是已知的重点群体：" + FocusGroup.allCases.map(\.chinese).joined(separator: "、") }),
        ("unknown reason category", { _ in "不是已知的原因：" + ReasonCategory.allCases.map(\.chinese).joined(separator: "、") }),
        ("unknown placement", { _ in "不是已知的安置方式：" + Placement.allCases.map(\.chinese).joined(separator: "、") }),
        ("unknown field of", { _ in "不是这类记录的字段" }),
        ("a ledger status is not set by a registry", { _ in "不能由名册导入设为台账状态" }),
        ("not set by a registry", { _ in "不能由名册导入设置" }),
        ("attachments are", { _ in "附件编号无效" }),
        ("must be 32 lower-case hex digits", { _ in "应为 32 位编号" }),
        ("a close-out names", { _ in "一次销号应对应 1–64 个台账条目；如儿童不在台账上则无需销号" }),
    ]

    /// "<label>：<reason>" in Chinese, with no identifier; English keeps the field and reason as written.
    static func invalid(_ field: String, _ reason: String, _ l: Language) -> String {
        let label = fieldLabels[field] ?? "填写的内容"
        let chinese =
            reasons.first { reason.hasPrefix($0.prefix) }.map { $0.chinese(String(reason.dropFirst($0.prefix.count))) }
            ?? "不符合规则"
        return l.say(ErrorMessages.fieldIsInvalidBecause, l == .zh ? label : field, l == .zh ? chinese : reason)
    }

    static func missing(_ field: String, _ l: Language) -> String {
        l.say(ErrorMessages.requiredFieldMissing, l == .zh ? fieldLabels[field] ?? "必填项" : field)
    }
}
