import BaoxueRecords
import BaoxueTrust

/// A message of the catalog: one case of an area's enum (`SyncMessages`, `ErrorMessages` …) with its text in every
/// language the software speaks.
///
/// The CLI and the field app say everything through `Language.say`, so a message is written, translated and checked
/// once. Invariant (checked by `MessageCatalogTests`): both languages are present, and they use the same placeholders
/// `{1}`…`{n}`, each argument at least once.
public protocol Message: CaseIterable, RawRepresentable, Sendable where RawValue == String {
    /// The Chinese and English templates.
    var text: (zh: String, en: String) { get }
}

extension Message {
    /// The template in `language`.
    public func template(_ language: Language) -> String { language == .zh ? text.zh : text.en }

    /// The placeholder numbers a template uses, in order of appearance.
    public static func placeholders(in template: String) -> [Int] {
        var found: [Int] = []
        var digits: String?
        for c in template {
            if c == "{" {
                digits = ""
            } else if c == "}", let d = digits {
                if let n = Int(d) { found.append(n) }
                digits = nil
            } else if digits != nil {
                if c.isASCII && c.isNumber { digits! += String(c) } else { digits = nil }
            }
        }
        return found
    }
}

extension Language {
    /// The message in this language, its placeholders `{1}`…`{n}` replaced by the arguments in order.
    ///
    /// An argument is inserted as string interpolation would insert it; a `{2}` inside an argument is not expanded.
    public func say<M: Message>(_ message: M, _ arguments: Any...) -> String {
        let template = message.template(self)
        guard !arguments.isEmpty else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let n = Int(after[..<close]), n >= 1, n <= arguments.count {
                out += String(describing: arguments[n - 1])
                rest = after[after.index(after: close)...]
            } else {
                out += "{"
                rest = after
            }
        }
        return out + rest
    }

    /// The items joined as a list in this language (“甲、乙” or “a, b”).
    public func list<S: Sequence>(_ items: S) -> String where S.Element: StringProtocol {
        items.map { String($0) }.joined(separator: say(Punctuation.listSeparator))
    }
}

extension Language {
    /// The label people read for a domain value: its Chinese name, or its English code.
    public func label<T: Labelled>(_ value: T) -> String { self == .zh ? value.chinese : value.rawValue }

    /// The label as words for a form's choices: its Chinese name, or its English code spelled out
    /// (`agreedToReturn` → "agreed to return").
    public func phrase<T: Labelled>(_ value: T) -> String {
        guard self == .en else { return value.chinese }
        return value.rawValue.reduce(into: "") { out, c in out += c.isUppercase ? " " + c.lowercased() : String(c) }
    }
}

extension Language {
    /// The label people read for a role.
    public func label(_ role: Role) -> String { self == .zh ? role.chinese : role.english }

    /// A record field as people call it: the label a school form gives it in Chinese, its code in English.
    public func fieldName(_ field: String) -> String { self == .zh ? RecordRuleText.fieldLabels[field] ?? field : field }
}
