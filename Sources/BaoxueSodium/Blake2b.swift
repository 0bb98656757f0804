import CSodium

/// BLAKE2b through libsodium's `crypto_generichash` (unkeyed unless a key is given).
public enum Blake2b {
    /// Hash of `input` with `length` output bytes (16...64).
    public static func hash(_ input: ArraySlice<UInt8>, length: Int = 32, key: [UInt8] = []) -> [UInt8] {
        Sodium.ready()
        precondition(length >= Int(crypto_generichash_BYTES_MIN) && length <= Int(crypto_generichash_BYTES_MAX))
        var out = [UInt8](repeating: 0, count: length)
        let rc = input.withUnsafeBufferPointer { inp in
            key.withUnsafeBufferPointer { k in
                crypto_generichash(&out, length, inp.baseAddress, UInt64(inp.count), k.baseAddress, k.count)
            }
        }
        // Fails only on lengths outside libsodium's bounds, checked above (and a key over 64 bytes).
        precondition(rc == 0, "crypto_generichash failed: key of \(key.count) bytes")
        return out
    }

    public static func hash(_ input: [UInt8], length: Int = 32, key: [UInt8] = []) -> [UInt8] {
        hash(input[...], length: length, key: key)
    }
}
