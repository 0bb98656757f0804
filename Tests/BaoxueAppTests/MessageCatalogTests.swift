import BaoxueApp
import BaoxueRecords
import BaoxueTrust
import Testing

/// The message catalog the CLI and the field app share (issue 23): every message in both languages, with the same
/// placeholders; Chinese without field identifiers; English without Chinese except where it quotes what a person types;
/// and `Language.say` filling placeholders in order without expanding its arguments.
@Suite struct MessageCatalogTests {
    /// One row per message: its catalog and case, and its two templates.
    struct Entry {
        let key: String
        let zh: String
        let en: String
    }

    static func rows<M: Message>(_: M.Type) -> [Entry] {
        M.allCases.map { Entry(key: "\(M.self).\($0.rawValue)", zh: $0.text.zh, en: $0.text.en) }
    }

    static let all: [Entry] =
        rows(ErrorMessages.self) + rows(SyncMessages.self) + rows(ChildMessages.self) + rows(EntryMessages.self)
        + rows(ScreenMessages.self) + rows(ReportMessages.self) + rows(RegistryMessages.self) + rows(TrustMessages.self)
        + rows(PolicyMessages.self) + rows(DemoMessages.self) + rows(CommandMessages.self) + rows(Punctuation.self)
        + rows(OperationNames.self) + rows(ConsoleMessages.self) + rows(EnrollmentMessages.self)

    /// Chinese messages that leave out a technical detail the English one carries (the rule that Chinese
    /// messages name no identifiers), each with what it leaves out.
    static let chineseOmits: [String: Set<Int>] = ["ErrorMessages.recordContentBreaksFormat": [1, 2]]

    /// English messages that quote Chinese: the values a person types or a registry export holds.
    static let englishQuotesChinese: Set<String> = [
        "RegistryMessages.focusColumnTakesYesNo", "RegistryMessages.genderMustBeOr", "ErrorMessages.nameScopeSchoolWithScope",
        "ScreenMessages.chooseEnglish", "ScreenMessages.language",
    ]

    static func placeholders(_ template: String) -> [Int] { ErrorMessages.placeholders(in: template) }

    static func isHan(_ s: Unicode.Scalar) -> Bool { (0x4E00...0x9FFF).contains(s.value) }

    @Test func everyMessageHasBothLanguagesWithTheSamePlaceholders() {
        #expect(Self.all.count > 600)
        for e in Self.all {
            #expect(!e.zh.isEmpty && !e.en.isEmpty, "\(e.key) lacks a language")
            let en = Set(Self.placeholders(e.en))
            let zh = Set(Self.placeholders(e.zh))
            #expect(en == Set(en.isEmpty ? [] : Array(1...en.count)), "\(e.key): English placeholders \(en.sorted()) are not {1}…{n}")
            #expect(zh == en.subtracting(Self.chineseOmits[e.key] ?? []), "\(e.key): Chinese \(zh.sorted()) vs English \(en.sorted())")
        }
    }

    @Test func chineseMessagesNameNoFieldIdentifiersAndEnglishOnesHoldNoChinese() {
        let identifier = /\b[a-z]+[A-Z][A-Za-z]*/
        for e in Self.all {
            // Commands and options (`baoxue keys grant`, `--scope`) are what a person types; a camelCase word is a field.
            #expect(e.zh.firstMatch(of: identifier) == nil, "\(e.key): \(e.zh)")
            if !Self.englishQuotesChinese.contains(e.key) {
                #expect(!e.en.unicodeScalars.contains(where: Self.isHan), "\(e.key): \(e.en)")
            }
        }
        for key in Self.englishQuotesChinese {
            let e = Self.all.first { $0.key == key }
            #expect(e?.en.unicodeScalars.contains(where: Self.isHan) == true, "\(key) is listed but quotes no Chinese")
        }
    }

    @Test func mostChineseMessagesAreInChinese() {
        let words = Self.all.filter { $0.zh.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) }
        let latinOnly = words.filter { !$0.zh.unicodeScalars.contains(where: Self.isHan) }
        // Left in Latin letters on purpose: the language switch's own name, the page's `lang`.
        #expect(latinOnly.map(\.key) == ["ScreenMessages.htmlLanguage"])
    }

    @Test func noTwoEntriesOfACatalogSayTheSameThing() {
        var seen: [String: String] = [:]
        for e in Self.all {
            let catalog = e.key.split(separator: ".")[0]
            let text = "\(catalog)|\(e.zh)|\(e.en)"
            #expect(seen[text] == nil, "\(e.key) repeats \(seen[text] ?? "")")
            seen[text] = e.key
        }
    }

    @Test func everyOperationHasANameInBothLanguages() {
        #expect(Set(OperationNames.allCases.map(\.rawValue)) == Set(Operation.allCases.map(\.rawValue)))
        #expect(Language.zh.label(Operation.recordVisit) == "记录家访、入户摸排或返校跟踪")
        #expect(Language.en.label(Operation.closeOut) == "close out a ledger entry")
    }

    @Test func domainValuesReadAsLabelsAndPhrases() {
        #expect(Language.zh.label(Ledger.dropout) == Ledger.dropout.chinese)
        #expect(Language.en.label(Ledger.dropout) == "dropout")
        #expect(Language.en.phrase(PersuasionAttempt.Outcome.agreedToReturn) == "agreed to return")
        #expect(Language.zh.phrase(PersuasionAttempt.Outcome.agreedToReturn) == "同意返校")
        #expect(Language.zh.fieldName("guardianPhone") == "监护人电话" && Language.en.fieldName("guardianPhone") == "guardianPhone")
    }

    @Test func sayFillsPlaceholdersInOrderAndLeavesArgumentsAlone() {
        #expect(
            Language.zh.say(ErrorMessages.invalidChoice, "--lang", "fr", Language.zh.list(["zh", "en"]))
                == "参数 --lang 的值“fr”无效，可选：zh、en。")
        #expect(
            Language.en.say(ErrorMessages.invalidChoice, "--lang", "fr", Language.en.list(["zh", "en"]))
                == "invalid value 'fr' for --lang; choose one of: zh, en.")
        // An argument that looks like a placeholder is inserted as typed, never expanded.
        #expect(Language.en.say(ChildMessages.reasonIs, "{1}{2}") == "reason: {1}{2}")
        #expect(Language.zh.say(ReportMessages.monthlyReportFor, "2026-11", "2026-11-01", 30) == "一月一报告 2026-11（2026-11-01 至 30）")
        #expect(Language.en.say(EntryMessages.numberInRange, "class hours", 1, 8) == "class hours: 1 to 8.")
        #expect(ErrorMessages.placeholders(in: "{2} a {1} {x} {12}") == [2, 1, 12])
    }
}
