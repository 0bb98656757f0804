import BaoxueApp
import BaoxueRecords

/// One kind of entry about a child as a form: its controls (given what the child has open, so a
/// 销假 offers only leaves not yet ended), what it starts with, and how what was typed becomes a
/// `FieldEntry` — or, field by field, what to correct, in the user's words.
///
/// Invariant: `parse` only reads and checks; the record rules (`ReplicaCommands.record`, the same
/// as the CLI's) then check again, and nothing is written unless both pass.
struct EntryForm: Sendable {
    /// What typed values became: an entry and the day it happened (nil: today), or errors by field.
    enum Parsed {
        case entry(FieldEntry, date: SimpleDate?)
        case invalid([String: String])
    }

    /// The form's last path component: `/child/<id>/<path>`.
    let path: String
    let title: @Sendable (Language) -> String
    /// Why the form cannot be used now (no open leave to end), or nil.
    let unavailable: @Sendable (ChildActions, Language) -> String?
    let controls: @Sendable (ChildActions, Language) -> [Control]
    let defaults: @Sendable (ChildActions, Prefill) -> [String: String]
    let parse: @Sendable (FormValues, ChildActions, Language) -> Parsed

    var hasPhoto: Bool { controls(ChildActions.none, .zh).contains { $0.isPhoto } }

    /// What a new form starts from: today's date and who is recording (the certificate's name).
    struct Prefill {
        let today: String
        let who: String
    }
}

extension ChildActions {
    /// No open leave, case or ledger entry: enough to list a form's controls.
    static let none = ChildActions(name: "", leaves: [], cases: [], ledgers: [])
}

/// What a person typed into a form, read field by field with the checks every form shares; each
/// check that fails leaves its message under the field, and the form is refused as a whole.
struct FormValues {
    let fields: [String: String]
    /// Saved uploads by field: the paths `ReplicaCommands.record` reads them from.
    let files: [String: [String]]
    let language: Language
    private(set) var errors: [String: String] = [:]

    init(fields: [String: String], files: [String: [String]] = [:], language: Language) {
        self.fields = fields.mapValues { $0.trimmingCharacters(in: .whitespaces) }
        self.files = files
        self.language = language
    }

    subscript(_ field: String) -> String { fields[field] ?? "" }

    mutating func fail(_ field: String, _ message: String) { errors[field] = errors[field] ?? message }

    /// A date such as 2026-12-02; `optional` lets it be empty.
    mutating func date(_ field: String, _ what: some Message, optional: Bool = false) -> SimpleDate? {
        if optional, self[field].isEmpty { return nil }
        guard let d = try? SimpleDate(self[field]) else {
            fail(field, language.say(EntryMessages.enterDate, language.say(what)))
            return nil
        }
        return d
    }

    /// Text that must not be empty (the record rules bound its length).
    mutating func text(_ field: String, _ what: some Message) -> String {
        if self[field].isEmpty { fail(field, language.say(EntryMessages.enterText, language.say(what))) }
        return self[field]
    }

    mutating func number(_ field: String, _ what: some Message, in range: ClosedRange<Int>) -> Int? {
        guard let n = Int(self[field]), range.contains(n) else {
            fail(field, language.say(EntryMessages.numberInRange, language.say(what), range.lowerBound, range.upperBound))
            return nil
        }
        return n
    }

    /// One of `allowed` (value, label in this form's language); the message lists the choices.
    mutating func choice(_ field: String, _ allowed: [(String, String)]) -> String? {
        guard allowed.contains(where: { $0.0 == self[field] }) else {
            fail(field, language.say(EntryMessages.chooseOneOf, language.list(allowed.map(\.1))))
            return nil
        }
        return self[field]
    }
}
