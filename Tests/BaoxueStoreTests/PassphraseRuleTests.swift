import BaoxueStore
import Testing

/// One passphrase rule for the authority key and a device's lock: 8 characters at least, and not
/// what zxcvbn finds guessable (common passwords, repeats, keyboard runs, the product's name).
@Suite struct PassphraseRuleTests {
    @Test func shortAndGuessablePassphrasesAreRefusedWithTheirReason() throws {
        #expect(throws: StoreError.passphraseTooShort(minimum: 8, actual: 7)) { try PassphraseRule.check("abcdefg") }
        for weak in ["11111111", "password1", "qwertyuiop", "12345678", "baoxue2026"] {
            #expect(throws: StoreError.weakPassphrase, "\(weak)") { try PassphraseRule.check(weak) }
        }
        for strong in ["丰南教育局-长口令", "correct horse battery staple", "长城永不倒-2026"] { try PassphraseRule.check(strong) }
        #expect(PassphraseRule.estimatedBits("dongzhen-school-2026", avoiding: ["dongzhen"])
                < PassphraseRule.estimatedBits("dongzhen-school-2026"), "words of the district count as known")
    }
}
