/// Ledgers and the monthly and quarterly reports: column headings, sheet names, notes.
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum ReportMessages: String, Message {
    case no, name, gender, dateOfBirth, idNumber, idNumberLast, school, grade, classText, householdRegistration, residence, guardian,
        phone, onLedgerSince, status, reason, measuresTaken, responsible, visits, persuasionAttempts, agreed, monthlyReport,
        quarterlyReview, written, noteTheseFilesHoldMinors, filesHoldFullIdNumbers, idNumbersKeepOnlyTheir, summary, allChildren,
        focusGroups, schools, statusHeading, since, focusGroupsHeading, group, noSuchReportFile, kind, monthly, quarterly, none,
        schoolSince, moreNotListedMonthsReport, reports, periodExample, makeReport, download, ledgersAndReports, latestAttempt,
        monthlyReportFor, quarterlyReviewFor, schoolFigures, noSchool, childrenColumn, enrolledColumn, suspectedOpenColumn,
        dropoutsOpenColumn, enteredLedgerColumn, closedOutColumn, returnedColumn, visitsColumn, persuasionAttemptsColumn,
        homeTeachingSessionsColumn, homeTeachingHoursColumn, absencesColumn, lettersColumn, conflictsColumn, verified,
        verificationFailed, manifestSummary, allSchools, manifestSignatureInvalid, fileMissingFromReport, fileChangedSinceSigned,
        fileNotInManifest, recomputeMissingHeads, recomputeOnNewerReplica, recomputedIdentical, recomputedDiffers, signedLine,
        recomputedLine, chart, monthChartTitle, quarterChartTitle, figuresPublished, figuresPublishedCounts,
        figuresPublishedNotice, publishHeading, publishExplain, publishMonth, publishButton

    public var text: (zh: String, en: String) {
        switch self {
        case .verified:
            (
                "核验通过：{1} 个文件与签名清单一致，签名设备指纹 {2}（请与导出人手机上显示的指纹核对）。",
                "verified: {1} file(s) match the signed manifest; signing device fingerprint {2} (compare it with the one on the"
                    + " exporter's phone)."
            )
        case .verificationFailed: ("核验未通过，这份报表不可采信：", "verification FAILED, do not rely on this report:")
        case .manifestSummary:
            ("{1} {2}（{3} 至 {4}），{5}；按 {6} 个日志末端计算；导出时间 {7}。", "{1} {2} ({3} to {4}), {5}; computed from {6} log head(s); exported {7}.")
        case .allSchools: ("全部学校", "all schools")
        case .manifestSignatureInvalid:
            (
                "签名清单的签名无效：清单被改动过，或不是所列设备签的。请向导出人索取原件。",
                "the manifest's signature is not valid: it was altered, or not signed by the device it names. Ask the exporter for the"
                    + " original."
            )
        case .fileMissingFromReport: ("缺少文件“{1}”。", "file \"{1}\" is missing.")
        case .fileChangedSinceSigned: ("文件“{1}”与签名时不一致，已被改动。", "file \"{1}\" differs from what was signed: it was changed.")
        case .fileNotInManifest: ("文件“{1}”不在签名清单中，不属于这份报表。", "file \"{1}\" is not in the signed manifest: it is not part of this report.")
        case .recomputeMissingHeads:
            (
                "本机缺少这份报表所依据的 {1} 个日志末端，无法重新计算：请先与导出人所在学校同步。",
                "this replica lacks {1} of the log heads the report was computed from, so it cannot recompute it: sync with the"
                    + " exporter's school first."
            )
        case .recomputeOnNewerReplica:
            (
                "注意：本机含有导出之后才同步到的记录，下面的差异可能来自这些新记录（例如补录的家访）。",
                "note: this replica holds changes synced after the export; differences below may come from them (a visit entered late,"
                    + " say)."
            )
        case .recomputedIdentical: ("在本机重新计算：{1} 个文件与报表完全一致。", "recomputed on this replica: all {1} file(s) are identical to the report.")
        case .recomputedDiffers: ("在本机重新计算：{1} 个文件与报表不同：{2}", "recomputed on this replica: {1} file(s) differ from the report: {2}")
        case .signedLine: ("    报表中：{1}", "    report:     {1}")
        case .recomputedLine: ("    重新计算：{1}", "    recomputed: {1}")
        case .no: ("序号", "no.")
        case .name: ("姓名", "name")
        case .gender: ("性别", "gender")
        case .dateOfBirth: ("出生日期", "date of birth")
        case .idNumber: ("身份证号", "ID number")
        case .idNumberLast: ("身份证号（后四位）", "ID number (last 4)")
        case .school: ("学校", "school")
        case .grade: ("年级", "grade")
        case .classText: ("班级", "class")
        case .householdRegistration: ("户籍地", "household registration")
        case .residence: ("现住址", "residence")
        case .guardian: ("监护人", "guardian")
        case .phone: ("联系电话", "phone")
        case .onLedgerSince: ("在册起始日", "on the ledger since")
        case .status: ("当前状态", "status")
        case .reason: ("辍学（失学）原因", "reason")
        case .measuresTaken: ("已采取措施", "measures taken")
        case .responsible: ("责任人", "responsible")
        case .visits: ("家访 {1} 次", "{1} visit(s)")
        case .persuasionAttempts: ("劝返 {1} 次", "{1} persuasion attempt(s)")
        case .agreed: ("约定：{1}", "agreed: {1}")
        case .monthlyReport: ("月报", "monthly-report")
        case .quarterlyReview: ("季度复核", "quarterly-review")
        case .written: ("已写入：", "written: ")
        case .noteTheseFilesHoldMinors:
            (
                "注意：报表含未成年人个人信息，请按规定保管，勿通过微信等外传。",
                "Note: these files hold minors' personal information; keep them as the rules require and do not forward" + " them."
            )
        case .filesHoldFullIdNumbers:
            (
                "报表含完整身份证号（--full-id），请格外小心保管。",
                "The files hold full ID numbers (--full-id): take extra care of them."
            )
        case .idNumbersKeepOnlyTheir:
            (
                "身份证号只保留后四位；确需完整号码时加 --full-id。",
                "ID numbers keep only their last four digits; add --full-id if the full number is really needed."
            )
        case .summary: ("汇总", "summary")
        case .chart: ("图表", "chart")
        case .figuresPublished:
            (
                "已上报 {1} {2} 的月度汇总数（只含计数，不含任何儿童信息）：随同步经乡镇中继传到区县和省级中继。",
                "Published the figures of {1} for {2} (counts only, no child): they travel by sync through the township relay "
                    + "to the district and province."
            )
        case .figuresPublishedNotice:
            ("已上报 {1} 的月度汇总数：请同步，使其经乡镇中继传到区县。", "The figures of {1} are published: sync so they travel to the district.")
        case .publishHeading: ("上报月度汇总数", "Publish the month's figures")
        case .publishExplain:
            (
                "把月报汇总表的数字（只有计数，没有任何儿童信息）签名上报，区县和省级中继无需密钥即可查看。月份须已结束。",
                "Signs the monthly summary's counts (no child's data) for the district and province, which read them without any key. "
                    + "The month must be over."
            )
        case .publishMonth: ("月份（例如 2026-11）", "Month (e.g. 2026-11)")
        case .publishButton: ("签名上报", "Sign and publish")
        case .figuresPublishedCounts:
            (
                "适龄儿童 {1} 人，疑似辍学/失学在册 {2}，辍学在册 {3}，本月劝返复学 {4}，送教上门 {5} 课时。",
                "{1} children, {2} suspected and {3} dropouts on the ledgers, {4} returned this month, {5} home-teaching class hours."
            )
        case .monthChartTitle: ("各校本月台账情况", "ledgers per school this month")
        case .quarterChartTitle: ("各校本季度台账情况", "ledgers per school this quarter")
        case .allChildren: ("适龄儿童台账", "all children")
        case .focusGroups: ("重点群体台账", "focus groups")
        case .schools: ("各校复核", "schools")
        case .statusHeading: ("状态", "status")
        case .since: ("状态日期", "since")
        case .focusGroupsHeading: ("重点群体", "focus groups")
        case .group: ("群体", "group")
        case .noSuchReportFile: ("没有这个报表文件。", "no such report file.")
        case .kind: ("报表种类", "Kind")
        case .monthly: ("月报", "Monthly")
        case .quarterly: ("季度复核", "Quarterly")
        case .none: ("无", "none")
        case .schoolSince: ("{1} · 自 {2} 起在册", "{1} · since {2}")
        case .moreNotListedMonthsReport: ("另有 {1} 名未列出：完整名单在月报的台账表中。", "{1} more not listed: the month's report holds the whole register.")
        case .reports: ("报表", "Reports")
        case .periodExample: ("期间（如 2026-11 或 2026-Q4）", "Period (e.g. 2026-11 or 2026-Q4)")
        case .makeReport: ("生成报表", "Make the report")
        case .download: ("下载", "download")
        case .ledgersAndReports: ("台账与报表", "Ledgers and reports")
        case .latestAttempt: ("（最近：{1}，{2}）", " (latest: {1}, {2})")
        case .monthlyReportFor: ("一月一报告 {1}（{2} 至 {3}）", "monthly report {1} ({2} to {3})")
        case .quarterlyReviewFor: ("一季度一复核 {1}（{2} 至 {3}）", "quarterly report {1} ({2} to {3})")
        case .schoolFigures:
            (
                "【{1}】适龄儿童 {2} 人，在校 {3}；疑似辍学/失学在册 {4}，辍学在册 {5}；本期新进台账 {6}，销号 {7}，劝返复学 {8}；家访 {9} 次，劝返 {10} 次，送教上门 {11}"
                    + " 次 {12} 课时；待核实冲突 {13}",
                "[{1}] {2} children, {3} enrolled; open: {4} suspected, {5} dropouts; in the period: {6} entered a"
                    + " ledger, {7} closed out, {8} returned; {9} visits, {10} persuasion attempts, {11} home-teaching"
                    + " sessions ({12} class hours); {13} conflicts to settle"
            )
        case .noSchool: ("未填学校", "no school")
        case .childrenColumn: ("适龄儿童", "children")
        case .enrolledColumn: ("在校", "enrolled")
        case .suspectedOpenColumn: ("疑似辍学/失学在册", "suspected open")
        case .dropoutsOpenColumn: ("辍学在册", "dropouts open")
        case .enteredLedgerColumn: ("本期新进台账", "entered a ledger")
        case .closedOutColumn: ("本期销号", "closed out")
        case .returnedColumn: ("劝返复学", "returned")
        case .visitsColumn: ("家访", "visits")
        case .persuasionAttemptsColumn: ("劝返次数", "persuasion attempts")
        case .homeTeachingSessionsColumn: ("送教上门次数", "home-teaching sessions")
        case .homeTeachingHoursColumn: ("送教课时", "home-teaching hours")
        case .absencesColumn: ("缺课记录", "absences")
        case .lettersColumn: ("核查函", "letters")
        case .conflictsColumn: ("待核实冲突", "conflicts")
        }
    }
}
