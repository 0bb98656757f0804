import BaoxueCore
import BaoxueSodium

/// A secret sealed under a passphrase, as a small text file (mode 0600):
/// `<header>`, `argon2id <ops> <memory bytes>`, `salt <hex>`, `nonce <hex>`,
/// `box <hex>`, one per line. The authority key file and a locked device's
/// key file share it. Reading refuses Argon2id costs outside sane bounds, so
/// a crafted file can neither make `unlock` allocate 4 TB nor make guessing cheap.
enum PassphraseSealedFile {
    struct Parsed {
        let cost: PasswordBox.Cost
        let salt: [UInt8]
        let nonce: [UInt8]
        let box: [UInt8]
    }

    /// Seals `secret` under `passphrase` with a fresh salt and nonce; returns the file's text.
    static func seal(_ secret: [UInt8], passphrase: String, header: String, cost: PasswordBox.Cost) throws(SodiumError) -> String {
        let salt = Sodium.randomBytes(PasswordBox.saltLength)
        let nonce = Sodium.randomBytes(PasswordBox.nonceLength)
        let key = try PasswordBox.deriveKey(passphrase: Array(passphrase.utf8), salt: salt, cost: cost)
        let box = try PasswordBox.seal(secret, key: key, nonce: nonce)
        return
            "\(header)\nargon2id \(cost.operations) \(cost.memoryBytes)\nsalt \(Hex.encode(salt))\nnonce \(Hex.encode(nonce))\nbox "
                + "\(Hex.encode(box))\n"
    }

    static func parse(_ text: String, header: String) -> Parsed? {
        let lines = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        guard lines.count == 5, lines[0] == [header], lines[1].count == 3, lines[1][0] == "argon2id",
            let ops = UInt64(lines[1][1]), let memory = Int(lines[1][2]), ops >= 1, ops <= 16, memory >= 8 << 20, memory <= 4 << 30,
            lines[2].count == 2, lines[2][0] == "salt", let salt = try? Hex.decode(lines[2][1]),
            lines[3].count == 2, lines[3][0] == "nonce", let nonce = try? Hex.decode(lines[3][1]),
            lines[4].count == 2, lines[4][0] == "box", let box = try? Hex.decode(lines[4][1])
        else { return nil }
        return Parsed(cost: PasswordBox.Cost(operations: ops, memoryBytes: memory), salt: salt, nonce: nonce, box: box)
    }

    /// The secret, or nil when the passphrase is wrong or the box was altered.
    static func open(_ parsed: Parsed, passphrase: String) -> [UInt8]? {
        guard let key = try? PasswordBox.deriveKey(passphrase: Array(passphrase.utf8), salt: parsed.salt, cost: parsed.cost) else {
            return nil
        }
        return PasswordBox.open(parsed.box, key: key, nonce: parsed.nonce)
    }
}
