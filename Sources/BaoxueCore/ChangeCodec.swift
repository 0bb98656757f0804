import BaoxueSodium

/// The canonical encoding of changes, format version 1.
///
/// One byte sequence per change; no floats; every length explicit and
/// bounded; big-endian integers. Decoding checks every rule the encoder
/// obeys, so `decode(encode(x)) == x` and any byte sequence that decodes
/// re-encodes to itself.
enum ChangeCodec {
    static func encodeBody(
        author: PublicKey, seq: UInt64, timestamp: HLCTimestamp,
        scope: ScopeID, deps: [ChangeID], payload: [UInt8]
    ) throws(CoreError) -> [UInt8] {
        guard seq != 0 else { throw .sequenceZero }
        guard seq <= ChangeFormat.maxSeq else { throw .valueOutOfRange(field: "seq") }
        guard deps.count <= ChangeFormat.maxDeps else {
            throw .lengthOutOfRange(field: "deps", value: deps.count, allowed: 0...ChangeFormat.maxDeps)
        }
        guard isStrictlyAscending(deps) else { throw .depsNotCanonical }
        guard payload.count <= ChangeFormat.maxPayloadBytes else {
            throw .lengthOutOfRange(field: "payload", value: payload.count, allowed: 0...ChangeFormat.maxPayloadBytes)
        }
        let scopeBytes = scope.utf8
        var w = ByteWriter(capacity: ChangeFormat.fixedBodyBytes + scopeBytes.count + deps.count * 32 + payload.count + 64)
        w.raw(ChangeFormat.magic)
        w.u8(ChangeFormat.kind)
        w.u8(ChangeFormat.version)
        w.raw(author.bytes)
        w.u64(seq)
        w.u64(timestamp.milliseconds)
        w.u16(timestamp.counter)
        w.u8(UInt8(scopeBytes.count))
        w.raw(scopeBytes)
        w.u8(UInt8(deps.count))
        for d in deps { w.raw(d.bytes) }
        w.u32(UInt32(payload.count))
        w.raw(payload)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8], verifySignature: Bool, memo: SignatureMemo? = nil) throws(CoreError) -> Change {
        guard bytes.count <= ChangeFormat.maxEncodedBytes else {
            throw .lengthOutOfRange(field: "change", value: bytes.count, allowed: 0...ChangeFormat.maxEncodedBytes)
        }
        var r = ByteReader(bytes)
        guard Array(try r.take(2, "magic")) == ChangeFormat.magic else { throw .badMagic }
        guard try r.u8("kind") == ChangeFormat.kind else { throw .badMagic }
        let version = try r.u8("version")
        guard version == ChangeFormat.version else { throw .unknownVersion(version) }
        let author = try PublicKey(bytes: Array(try r.take(32, "author")))
        let seq = try r.u64("seq")
        guard seq != 0 else { throw .sequenceZero }
        guard seq <= ChangeFormat.maxSeq else { throw .valueOutOfRange(field: "seq") }
        let ms = try r.u64("hlc.milliseconds")
        let counter = try r.u16("hlc.counter")
        let timestamp = try HLCTimestamp(milliseconds: ms, counter: counter)
        let scopeLength = Int(try r.u8("scope.length"))
        let scope = try ScopeID(utf8: try r.take(scopeLength, "scope"))
        let depCount = Int(try r.u8("deps.count"))
        guard depCount <= ChangeFormat.maxDeps else {
            throw .lengthOutOfRange(field: "deps", value: depCount, allowed: 0...ChangeFormat.maxDeps)
        }
        var deps: [ChangeID] = []
        deps.reserveCapacity(depCount)
        for _ in 0..<depCount { deps.append(try ChangeID(bytes: Array(try r.take(32, "deps")))) }
        guard isStrictlyAscending(deps) else { throw .depsNotCanonical }
        let payloadLength = Int(try r.u32("payload.length"))
        guard payloadLength <= ChangeFormat.maxPayloadBytes else {
            throw .lengthOutOfRange(field: "payload", value: payloadLength, allowed: 0...ChangeFormat.maxPayloadBytes)
        }
        let payload = Array(try r.take(payloadLength, "payload"))
        let bodyEnd = r.offset
        let signature = try Signature(bytes: Array(try r.take(Signature.length, "signature")))
        try r.expectEnd()
        let body = bytes[..<bodyEnd]
        if verifySignature {
            guard memo.verify(signature: signature.bytes[...], message: body, publicKey: author.bytes[...]) else {
                throw .badSignature
            }
        }
        return Change(
            version: version, author: author, seq: seq, timestamp: timestamp, scope: scope,
            deps: deps, payload: payload, signature: signature,
            id: ChangeID(hashing: body), encoded: bytes
        )
    }

    private static func isStrictlyAscending(_ ids: [ChangeID]) -> Bool {
        zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }
    }
}
