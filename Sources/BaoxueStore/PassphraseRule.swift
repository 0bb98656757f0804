import CZxcvbn
import Foundation

/// What a passphrase protecting a key must be: at least 8 characters, and not guessable — zxcvbn's
/// estimate (dictionaries of common passwords, names, keyboard patterns, repeats, dates) of at
/// least 28 bits, about its score 3 ("safely unguessable") when every guess costs an Argon2id run.
/// One rule for the authority key and a device's lock.
public enum PassphraseRule {
    public static let minimumLength = 8
    public static let minimumBits = 28.0

    /// Bits of entropy zxcvbn estimates for `passphrase`, `avoid` counting as words an attacker knows
    /// (the product's and the district's names).
    public static func estimatedBits(_ passphrase: String, avoiding avoid: [String] = []) -> Double {
        let words = (["baoxue", "保学", "控辍保学"] + avoid).map { strdup($0) }
        defer { for w in words { free(w) } }
        var list: [UnsafePointer<CChar>?] = words.map { UnsafePointer($0) } + [nil]
        return passphrase.withCString { p in list.withUnsafeMutableBufferPointer { ZxcvbnMatch(p, $0.baseAddress, nil) } }
    }

    /// Throws the first reason `passphrase` may not protect a key.
    public static func check(_ passphrase: String, avoiding avoid: [String] = []) throws(StoreError) {
        guard passphrase.count >= minimumLength else { throw .passphraseTooShort(minimum: minimumLength, actual: passphrase.count) }
        guard estimatedBits(passphrase, avoiding: avoid) >= minimumBits else { throw .weakPassphrase }
    }
}
