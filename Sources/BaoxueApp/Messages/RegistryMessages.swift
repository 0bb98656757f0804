/// Registry imports, the registry comparison and village sweeps (摸排).
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum RegistryMessages: String, Message {
    case registryComparisonChildrenMatchIn, povertyHousehold, householdRegistrationNoStudentRegistration, registeredNotInSchoolSuspected,
        inSchoolNotRegisteredRegister, registeredHereHouseholdElsewhereFor, registeredHouseholdInDistrictBut, onHouseholdListButNot,
        rowsNotCompared, writtenForChildrenSuspectedCases, comparedOnlyNothingWrittenAdd, fileIsEmpty, or, columnsWhereHeaderHasQuote,
        sameChildAsLineDuplicate, noName, idNumberIsInvalidLength, noIdNumberAndNo, genderMustBeOr, genderDoesNotMatchId,
        birthDateIsInvalid, gradeMustBe, phoneIsInvalid, fieldIsInvalid, fileWasEncodedConvertedTo, lineNotImported,
        rowsChildrenAddedUpdatedAlready, peopleOfHouseholdListAre, fixRowsNotImportedIn, noIdNumberAndNoStudent, commandLine,
        allChildrenInSchool, childWithoutHouseholdRegistration, childWithoutStudentRegistration, childNotInSchool, nobodyHome, survey,
        householdsCheckedSchoolAgeChildren, surveyAction, householdCheck, void, voidOperation, recorded, foundInSurvey, sweeps,
        householdsChildren, startSweep, village, date, teamCommaSeparatedOptional, start, surveyTitle, noSuchSweep, recordHousehold,
        addressOrHeadOfHousehold, childrenOfSchoolAgeFound, finding, saveHousehold, childWithoutPapersRecordedProvisionally, childsName,
        whereFound, guardianOptional, recordProvisionally, surveyOfVillageOn, unknownFocusGroup, focusColumnTakesYesNo, whatVillage,
        whatSurveyDate, whatAddress, whatChildName, whatWhereFound, whatChildrenFound

    public var text: (zh: String, en: String) {
        switch self {
        case .registryComparisonChildrenMatchIn: ("四查三比对：完全一致 {1} 人", "registry comparison: {1} children match in every list")
        case .povertyHousehold: (" ⚑ 家庭困难", " ⚑ poverty household")
        case .householdRegistrationNoStudentRegistration:
            (
                "有户籍、无学籍（疑似失学）",
                "household registration, no student registration (suspected never enrolled)"
            )
        case .registeredNotInSchoolSuspected: ("有学籍、不在校（疑似辍学）", "registered, not in school (suspected dropout)")
        case .inSchoolNotRegisteredRegister: ("在校、无学籍（人籍分离，请补办学籍）", "in school, not registered (register them)")
        case .registeredHereHouseholdElsewhereFor: ("有学籍、户籍不在本地（随迁子女，仅供核对）", "registered here, household elsewhere (for information)")
        case .registeredHouseholdInDistrictBut:
            (
                "有学籍、户籍在本区但不在户籍名单中（请核对户籍名单）",
                "registered, household in the district but not on the household list (check the list)"
            )
        case .onHouseholdListButNot:
            (
                "户籍名单中不在义务教育年龄（{1} 周岁，以 {2} 计）：{3} 人，未作为儿童比对或写入",
                "on the household list but not of compulsory-education age ({1} on {2}): {3}, neither compared nor" + " written"
            )
        case .rowsNotCompared: ("{1}：{2} 行未比对（", "{1}: {2} rows not compared (")
        case .writtenForChildrenSuspectedCases:
            (
                "已写入 {1} 名儿童：疑似失学、疑似辍学已进入台账，家庭困难已标注。",
                "written for {1} children: suspected cases are on the ledger, poverty flagged."
            )
        case .comparedOnlyNothingWrittenAdd:
            (
                "仅比对，未写入。核对无误后加 --apply 写入台账。",
                "compared only, nothing written. Add --apply to put them on the ledgers."
            )
        case .fileIsEmpty: ("文件是空的", "the file is empty")
        case .or: ("或", " or ")
        case .columnsWhereHeaderHasQuote:
            (
                "有 {1} 列，表头有 {2} 列（单元格里的逗号要加英文双引号）",
                "{1} columns where the header has {2} (quote cells that contain a comma)"
            )
        case .sameChildAsLineDuplicate: ("与第 {1} 行是同一个儿童（重复行）", "the same child as line {1} (duplicate row)")
        case .noName: ("缺少姓名", "no name")
        case .idNumberIsInvalidLength: ("身份证号“{1}”无效（位数、日期或校验位不对）", "ID number '{1}' is invalid (length, date or check digit)")
        case .noIdNumberAndNo: ("缺少身份证号和学籍号，无法确定是哪个儿童", "no ID number and no student number: cannot tell which child this is")
        case .genderMustBeOr: ("性别“{1}”应为 男 或 女", "gender '{1}' must be 男 or 女")
        case .genderDoesNotMatchId: ("性别与身份证号不符", "gender does not match the ID number")
        case .birthDateIsInvalid: ("出生日期“{1}”无效", "birth date '{1}' is invalid")
        case .gradeMustBe: ("年级“{1}”应为 1–9 年级", "grade '{1}' must be 1–9")
        case .phoneIsInvalid: ("电话“{1}”无效", "phone '{1}' is invalid")
        case .fieldIsInvalid: ("字段 {1} 无效：{2}", "field {1} is invalid: {2}")
        case .fileWasEncodedConvertedTo: ("文件为 {1} 编码，已转换为 UTF-8。", "the file was {1}-encoded; converted to UTF-8.")
        case .lineNotImported: ("第 {1} 行未导入：{2}", "line {1} not imported: {2}")
        case .rowsChildrenAddedUpdatedAlready:
            (
                "共 {1} 行：新增 {2} 人，更新 {3} 人，已是最新 {4} 人，未导入 {5} 行（范围 {6}）。",
                "{1} rows: {2} children added, {3} updated, {4} already up to date, {5} rows not imported (scope {6})."
            )
        case .peopleOfHouseholdListAre:
            (
                "户籍名单中 {1} 人不在义务教育年龄，未作为儿童导入。",
                "{1} people of the household list are not of compulsory-education age and were not imported as" + " children."
            )
        case .fixRowsNotImportedIn:
            (
                "请在原表中改正未导入的行后再次导入；已导入的不会重复。",
                "Fix the rows not imported in the original sheet and import again; nothing is imported twice."
            )
        case .noIdNumberAndNoStudent:
            (
                "缺少身份证号和学籍号，无法确定是哪个儿童；没有证件的儿童请加 --provisional 临时登记",
                "no ID number and no student number: cannot tell which child this is; add --provisional for a child" + " without papers"
            )
        case .commandLine: ("命令行", "command line")
        case .allChildrenInSchool: ("适龄儿童均在校", "all children in school")
        case .childWithoutHouseholdRegistration: ("有儿童无户籍", "a child without household registration")
        case .childWithoutStudentRegistration: ("有儿童无学籍", "a child without student registration")
        case .childNotInSchool: ("有儿童未在校", "a child not in school")
        case .nobodyHome: ("家中无人", "nobody home")
        case .survey: ("摸排 {1}：{2}，{3}", "survey {1}: {2}, {3}")
        case .householdsCheckedSchoolAgeChildren: ("已查 {1} 户，发现适龄儿童 {2} 人", "{1} households checked, {2} school-age children found")
        case .surveyAction: ("摸排", "survey")
        case .householdCheck: ("入户摸排", "household check")
        case .void: ("作废", "void")
        case .voidOperation: ("作废 {1}", "void {1}")
        case .recorded: ("已记录。", "Recorded.")
        case .foundInSurvey: ("摸排发现：{1} {2}", "found in a survey: {1} {2}")
        case .sweeps: ("进行中的摸排", "Sweeps")
        case .householdsChildren: ("{1} · 已查 {2} 户，见到儿童 {3} 名", "{1} · {2} households, {3} children")
        case .startSweep: ("开始新的摸排", "Start a sweep")
        case .village: ("村名", "Village")
        case .date: ("日期", "Date")
        case .teamCommaSeparatedOptional: ("同行人员（逗号分隔，可不填）", "Team (comma-separated, optional)")
        case .start: ("开始摸排", "Start")
        case .surveyTitle: ("摸排", "Survey")
        case .noSuchSweep: ("找不到这次摸排。", "no such sweep.")
        case .recordHousehold: ("登记一户", "Record a household")
        case .addressOrHeadOfHousehold: ("门牌或户主", "Address or head of household")
        case .childrenOfSchoolAgeFound: ("见到的适龄儿童人数", "Children of school age found")
        case .finding: ("情况", "Finding")
        case .saveHousehold: ("保存这一户", "Save household")
        case .childWithoutPapersRecordedProvisionally: ("发现无证儿童（临时登记）", "A child without papers (recorded provisionally)")
        case .childsName: ("儿童姓名", "Child's name")
        case .whereFound: ("在哪一户找到", "Where found")
        case .guardianOptional: ("监护人（可不填）", "Guardian (optional)")
        case .recordProvisionally: ("临时登记", "Record provisionally")
        case .surveyOfVillageOn: ("摸排：{1} {2}", "Survey: {1} {2}")
        case .unknownFocusGroup: ("重点群体“{1}”不认识；可填：{2}", "unknown focus group '{1}'; use: {2}")
        case .focusColumnTakesYesNo: ("“{1}”一栏应填 是 或 否，不是“{2}”", "the {1} column takes 是 or 否, not '{2}'")
        case .whatVillage: ("村名", "the village")
        case .whatSurveyDate: ("摸排日期", "survey date")
        case .whatAddress: ("门牌或户主", "the address or head of household")
        case .whatChildName: ("儿童姓名", "the child's name")
        case .whatWhereFound: ("在哪一户找到", "where the child was found")
        case .whatChildrenFound: ("见到的适龄儿童人数", "children found")
        }
    }
}
