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
        guard !passphrase.isEmpty else { throw .weakPassphrase }
        let salt = Sodium.randomBytes(PasswordBox.saltLength), nonce = Sodium.randomBytes(PasswordBox.nonceLength)
        guard let box = try? PasswordBox.seal(key.seed, key: try derive(passphrase, salt, cost, path), nonce: nonce) else {
            throw .keyFileMalformed(path: path)
        }
        let text = "\(header)\nargon2id \(cost.operations) \(cost.memoryBytes)\nsalt \(Hex.encode(salt))\nnonce \(Hex.encode(nonce))\nbox \(Hex.encode(box))\n"
        try KeyFile.writeNew(Array(text.utf8), at: path)
    }

    public static func load(at path: String, passphrase: String) throws(StoreError) -> DeviceKey {
        let lines = try KeyFile.readPrivate(at: path).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        guard lines.count == 5, lines[0] == [header], lines[1].count == 3, lines[1][0] == "argon2id",
              let ops = UInt64(lines[1][1]), let memory = Int(lines[1][2]), ops >= 1, ops <= 16, memory >= 8 << 20, memory <= 4 << 30,
              lines[2].count == 2, lines[2][0] == "salt", let salt = try? Hex.decode(lines[2][1]),
              lines[3].count == 2, lines[3][0] == "nonce", let nonce = try? Hex.decode(lines[3][1]),
              lines[4].count == 2, lines[4][0] == "box", let box = try? Hex.decode(lines[4][1])
        else { throw .keyFileMalformed(path: path) }
        let key = try derive(passphrase, salt, PasswordBox.Cost(operations: ops, memoryBytes: memory), path)
        guard let seed = PasswordBox.open(box, key: key, nonce: nonce) else { throw .wrongPassphrase(path: path) }
        guard let device = try? DeviceKey(seed: seed) else { throw .keyFileMalformed(path: path) }
        return device
    }

    private static func derive(_ passphrase: String, _ salt: [UInt8], _ cost: PasswordBox.Cost, _ path: String) throws(StoreError) -> [UInt8] {
        do {
            return try PasswordBox.deriveKey(passphrase: Array(passphrase.utf8), salt: salt, cost: cost)
        } catch {
            throw .keyFileMalformed(path: path)
        }
    }
}
