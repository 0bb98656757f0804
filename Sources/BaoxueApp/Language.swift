/// The language of user-facing text: Chinese (zh-Hans) unless asked otherwise.
public enum Language: String, Sendable, CaseIterable {
    case zh, en

    /// `--lang` wins; otherwise `LANG`/`LC_ALL` starting with `en` selects
    /// English; everything else is Chinese.
    public static func resolve(flag: String?, environment: [String: String]) -> Language {
        if let flag, let chosen = Language(rawValue: flag.lowercased().prefix(2).description) { return chosen }
        for name in ["LC_ALL", "LANG"] {
            if let value = environment[name], !value.isEmpty {
                return value.lowercased().hasPrefix("en") ? .en : .zh
            }
        }
        return .zh
    }
}
