import ArgumentParser
import BaoxueApp
import BaoxueRecords

/// `baoxue policy`: a district's thresholds as a signed, dated fact (trust.md §9).
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "区县控辍规定（缺课天数、家访、送教等门槛）/ the district's thresholds (absence days, visits, home teaching)",
        subcommands: [PolicyShow.self, PolicyPublish.self]
    )
}

struct PolicyShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "查看某日执行的规定 / the rules in force on a day")
    @OptionGroup var options: GlobalOptions
    @Option(help: "区县范围，如 丰南区（默认本机证书的范围）/ the district scope (default: this device's)") var district: String?
    @Option(help: "日期 YYYY-MM-DD（默认今天）/ the day (default today)") var on: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            let shown = try PolicyCommands.show(directory: options.directory, district: district, on: try Parse.date(on, option: "--on"))
            options.json ? Output.json(shown) : print(shown.text(options.language))
        }
    }
}

struct PolicyPublish: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "（区县管理员）发布本区县的规定，自某日起施行 / (district admin) publish the district's rules from a day on",
        discussion: """
            未给出的门槛沿用该日已执行的规定。施行日期不能早于今天：新规定不改写过去。
            Thresholds not given keep those in force on that day. The date may not be before today: a policy never rewrites the past.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "区县范围（默认本机证书的范围）/ the district scope (default: this device's)") var district: String?
    @Option(help: "施行日期 YYYY-MM-DD（默认今天）/ in force from (default today)") var effective: String?
    @Option(help: "连续无故缺课几天纳入台账（1–30）/ unexcused days that open the ledger") var absenceDays: Int?
    @Option(help: "请假超过几天须家访（1–183）/ leave days needing a visit") var leaveDays: Int?
    @Option(help: "至少每几天联系一次（1–92）/ contact interval in days") var contactDays: Int?
    @Option(help: "送教每月至少几次（1–31）/ home-teaching sessions a month") var sessionsPerMonth: Int?
    @Option(help: "送教每次几课时（1–12）/ class hours a session") var hoursPerSession: Int?
    @Option(help: "送教每学期至少几课时（1–600）/ class hours a semester") var hoursPerSemester: Int?
    @Option(help: "每课时几分钟（10–120）/ minutes a class hour") var classHourMinutes: Int?
    @Option(help: "劝返案卷几天无进展即提醒（1–92）/ days before a stalled case is flagged") var caseAttemptDays: Int?
    @Option(help: "义务教育年龄，如 6-15 / compulsory ages, e.g. 6-15") var ages: String?
    @Option(help: "年龄计算基准日，如 08-31 / age reference day, e.g. 08-31") var ageReference: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            var values: [DistrictPolicy.Field: Int] = [:]
            let given: [(DistrictPolicy.Field, Int?)] = [
                (.absenceDays, absenceDays), (.leaveDaysRequiringVisit, leaveDays), (.contactIntervalDays, contactDays),
                (.sessionsPerMonth, sessionsPerMonth), (.classHoursPerSession, hoursPerSession),
                (.classHoursPerSemester, hoursPerSemester), (.classHourMinutes, classHourMinutes),
                (.caseAttemptIntervalDays, caseAttemptDays),
            ]
            for case (let field, let v?) in given { values[field] = v }
            if let ages {
                let (first, last) = try pair(ages, "-", option: "--ages")
                (values[.firstAge], values[.lastAge]) = (first, last)
                guard first <= last else { throw .invalidArgument(option: "--ages", value: ages) }
            }
            if let ageReference {
                (values[.referenceMonth], values[.referenceDay]) = try pair(ageReference, "-", option: "--age-reference")
            }
            let (policy, applied) = try PolicyCommands.publish(
                directory: options.directory, district: district, effective: try Parse.date(effective, option: "--effective"),
                values: values)
            if options.json {
                Output.json(["district": policy.district.value, "effective": policy.effective.description, "applied": "\(applied)"])
                return
            }
            print(
                applied
                    ? l.say(PolicyMessages.publishedRulesOfInForce, policy.district, policy.effective)
                    : l.say(PolicyMessages.recordedButNotInEffect)
            )
        }
    }

    private func pair(_ text: String, _ separator: Character, option: String) throws(AppError) -> (Int, Int) {
        let parts = text.split(separator: separator).map { Int($0) }
        guard parts.count == 2, let a = parts[0], let b = parts[1] else { throw .invalidArgument(option: option, value: text) }
        return (a, b)
    }
}
