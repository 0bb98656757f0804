/// Punctuation that differs between the languages (full-width in Chinese).
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum Punctuation: String, Message {
    case clauseSeparator, listSeparator, thenClause, colonThen, commaThen, colon, closingParenthesis

    public var text: (zh: String, en: String) {
        switch self {
        case .clauseSeparator: ("；", "; ")
        case .listSeparator: ("、", ", ")
        case .thenClause: ("；{1}", "; {1}")
        case .colonThen: ("：{1}", ": {1}")
        case .commaThen: ("，{1}", ", {1}")
        case .colon: ("：", ": ")
        case .closingParenthesis: ("）", ")")
        }
    }
}
