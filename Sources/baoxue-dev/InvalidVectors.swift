import BaoxueCore
import Foundation

/// Malformed encodings, each with the error name a conforming decoder reports.
enum InvalidVectors {
    static func make(from good: Change, key: DeviceKey) throws -> [[String: Any]] {
        let bytes = good.encoded
        var out: [[String: Any]] = []
        func add(_ name: String, _ b: [UInt8], _ error: String) {
            out.append(["name": name, "encoded": Hex.encode(b), "error": error])
        }
        func resigned(_ body: [UInt8]) -> [UInt8] { body + key.sign(body).bytes }
        let body = Array(good.signedBytes)

        add("empty input", [], "truncated")
        add("truncated inside the signature", Array(bytes.dropLast(1)), "truncated")
        add("truncated inside the author key", Array(bytes.prefix(20)), "truncated")
        add("one trailing byte", bytes + [0], "trailing_bytes")
        var m = bytes; m[0] = 0x43
        add("bad magic", m, "bad_magic")
        m = body; m[2] = 0x02
        add("record kind is not a change", resigned(m), "bad_magic")
        m = body; m[3] = 1
        add("version 1 (before Protocol v2)", resigned(m), "unknown_version")
        m = body; m[3] = 3
        add("unknown version 3", resigned(m), "unknown_version")
        m = body; for i in 36..<44 { m[i] = 0 }
        add("seq 0", resigned(m), "sequence_zero")
        m = body; m[36] = 0x80
        add("seq above 2^63-1", resigned(m), "value_out_of_range")
        m = body; m[44] = 0xff
        add("hlc milliseconds of 2^47 or more", resigned(m), "value_out_of_range")
        m = body; m[53] ^= 0x01
        add("hlc counter altered after signing", m + good.signature.bytes, "bad_signature")
        var s = bytes; s[s.count - 1] ^= 0x01
        add("signature altered", s, "bad_signature")
        // Scope starts at offset 55 (length byte at 54).
        m = body; m[54] = 0
        add("scope of length 0", m + good.signature.bytes, "length_out_of_range")
        m = body; m[55] = 0xff
        add("scope not UTF-8", resigned(m), "invalid_text")
        m = body; m[55] = 0x0a
        add("scope with a control character", resigned(m), "invalid_text")
        let depsAt = 55 + good.scope.utf8.count
        m = body; m[depsAt] = 65
        add("65 deps announced", m + good.signature.bytes, "length_out_of_range")
        let payloadAt = depsAt + 1
        m = body; m[payloadAt] = 0xff; m[payloadAt + 1] = 0xff; m[payloadAt + 2] = 0xff; m[payloadAt + 3] = 0xff
        add("payload length 0xFFFFFFFF (negative as int32)", m + good.signature.bytes, "length_out_of_range")
        m = body; m[payloadAt] = 0; m[payloadAt + 1] = 0x10; m[payloadAt + 2] = 0; m[payloadAt + 3] = 1
        add("payload length 1 MiB + 1", m + good.signature.bytes, "length_out_of_range")

        let two = [VectorMaker.dep(2), VectorMaker.dep(1)].sorted()
        var w = Array(body.prefix(depsAt))
        w.append(2); w += two[1].bytes; w += two[0].bytes; w += [0, 0, 0, 0]
        add("deps not ascending", resigned(w), "deps_not_canonical")
        w = Array(body.prefix(depsAt))
        w.append(2); w += two[0].bytes; w += two[0].bytes; w += [0, 0, 0, 0]
        add("duplicate dep", resigned(w), "deps_not_canonical")
        var nfd = Array(body.prefix(54))
        let decomposed = Array("e\u{301}".utf8)
        nfd.append(UInt8(decomposed.count)); nfd += decomposed; nfd += [0, 0, 0, 0, 0]
        add("scope not in NFC (e + combining acute)", resigned(nfd), "invalid_text")
        return out
    }
}
