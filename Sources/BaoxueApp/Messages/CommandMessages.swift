/// The command line's own words: usage errors and replica maintenance.
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum CommandMessages: String, Message {
    case openCases, langMustBeZhOr, changesWithInvalidSignature, rebuilding, rebuiltViewTables, usageErrorRunBaoxueHelp

    public var text: (zh: String, en: String) {
        switch self {
        case .openCases: ("共 {1} 个未结案案卷", "{1} open case(s)")
        case .langMustBeZhOr: ("--lang 只能是 zh 或 en", "--lang must be zh or en")
        case .changesWithInvalidSignature: ("共 {1} 条，签名无效 {2} 条", "{1} change(s), {2} with invalid signature")
        case .rebuilding: ("  重建中：{1}/{2}\n", "  rebuilding: {1}/{2}\n")
        case .rebuiltViewTables: ("已重建 {1} 张查询表。", "rebuilt {1} view tables.")
        case .usageErrorRunBaoxueHelp: ("参数错误：{1}。运行 baoxue --help 查看用法。", "usage error: {1}. Run baoxue --help for usage.")
        }
    }
}
