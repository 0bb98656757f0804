import BaoxueCore
import BaoxueSodium

/// The district authority's signing key on disk, sealed under a passphrase
/// (Argon2id + XSalsa20-Poly1305, `PasswordBox`); mode 0600 like a device key.
///
/// Format, one field per line: `baoxue-authority-key-v1`, `argon2id <ops>
/// <memory bytes>`, `salt <32 hex>`, `nonce <48 hex>`, `box <96 hex>` (the
/// 32-byte seed sealed). A copied file without the passphrase gives an
/// attacker only an offline guessing game at ~1 s and 256 MiB per guess.
public enum AuthorityKeyFile {
    static let header = "baoxue-authority-key-v1"

    public static func create(at path: String, key: DeviceKey, passphrase: String, cost: PasswordBox.Cost = .moderate) throws(StoreError) {
        try PassphraseRule.check(passphrase)
        guard let text = try? PassphraseSealedFile.seal(key.seed, passphrase: passphrase, header: header, cost: cost) else {
            throw .keyFileMalformed(path: path)
        }
        try KeyFile.writeNew(Array(text.utf8), at: path)
    }

    public static func load(at path: String, passphrase: String) throws(StoreError) -> DeviceKey {
        guard let parsed = PassphraseSealedFile.parse(try KeyFile.readPrivate(at: path), header: header) else {
            throw .keyFileMalformed(path: path)
        }
        guard let seed = PassphraseSealedFile.open(parsed, passphrase: passphrase) else { throw .wrongPassphrase(path: path) }
        guard let device = try? DeviceKey(seed: seed) else { throw .keyFileMalformed(path: path) }
        return device
    }
}
