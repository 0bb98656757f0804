/// A signed change: one author's contribution to the replicated log.
///
/// Invariants (all checked by `sign` and `decode`, so no other `Change` can
/// exist): `seq ≥ 1`; deps strictly ascending, at most 64; payload at most
/// 1 MiB; `signature` verifies under `author` over `signedBytes`;
/// `id == BLAKE2b-256(signedBytes)`; `encoded == signedBytes + signature`.
public struct Change: Hashable, Sendable {
    public let version: UInt8
    public let author: PublicKey
    public let seq: UInt64
    public let timestamp: HLCTimestamp
    public let scope: ScopeID
    /// Ids of the causal heads the author had seen, ascending.
    public let deps: [ChangeID]
    /// Opaque to this layer: CRDT operations, later an encrypted envelope.
    public let payload: [UInt8]
    public let signature: Signature
    public let id: ChangeID
    /// The canonical bytes: the signed body followed by the 64-byte signature.
    public let encoded: [UInt8]

    /// The bytes the signature covers and the id hashes.
    public var signedBytes: ArraySlice<UInt8> { encoded.dropLast(Signature.length) }

    /// Creates and signs a change. Deps may come in any order; duplicates are an error.
    public static func sign(
        by key: DeviceKey,
        seq: UInt64,
        timestamp: HLCTimestamp,
        scope: ScopeID,
        deps: [ChangeID],
        payload: [UInt8]
    ) throws(CoreError) -> Change {
        let sortedDeps = deps.sorted()
        let body = try ChangeCodec.encodeBody(
            author: key.publicKey, seq: seq, timestamp: timestamp,
            scope: scope, deps: sortedDeps, payload: payload
        )
        let signature = key.sign(body)
        return Change(
            version: ChangeFormat.version, author: key.publicKey, seq: seq, timestamp: timestamp,
            scope: scope, deps: sortedDeps, payload: payload, signature: signature,
            id: ChangeID(hashing: body[...]), encoded: body + signature.bytes
        )
    }

    /// Decodes and fully verifies bytes from anywhere (network, file, peer).
    public static func decode(_ bytes: [UInt8]) throws(CoreError) -> Change {
        try ChangeCodec.decode(bytes, verifySignature: true)
    }

    /// Decodes and fully verifies, answering checks made before from `memo` (the simulator's replicas share one).
    public static func decode(_ bytes: [UInt8], memo: SignatureMemo?) throws(CoreError) -> Change {
        try ChangeCodec.decode(bytes, verifySignature: true, memo: memo)
    }

    /// Decodes bytes announced under `expectedID`, refusing any other content.
    public static func decode(_ bytes: [UInt8], expectedID: ChangeID) throws(CoreError) -> Change {
        let change = try decode(bytes)
        guard change.id == expectedID else { throw .idMismatch }
        return change
    }

    /// Decodes and checks structure and id, not the signature: for routing a change
    /// (is it one we asked for, in the right scope?) before the store, which verifies
    /// every signature before storing, sees it. Never store what only this accepted.
    public static func decodeStructure(_ bytes: [UInt8]) throws(CoreError) -> Change {
        try ChangeCodec.decode(bytes, verifySignature: false)
    }

    /// Decodes bytes this replica verified before it stored them; skips the
    /// signature check but still checks the structure.
    public static func decodeVerified(_ bytes: [UInt8]) throws(CoreError) -> Change {
        try ChangeCodec.decode(bytes, verifySignature: false)
    }

    init(
        version: UInt8, author: PublicKey, seq: UInt64, timestamp: HLCTimestamp, scope: ScopeID,
        deps: [ChangeID], payload: [UInt8], signature: Signature, id: ChangeID, encoded: [UInt8]
    ) {
        self.version = version
        self.author = author
        self.seq = seq
        self.timestamp = timestamp
        self.scope = scope
        self.deps = deps
        self.payload = payload
        self.signature = signature
        self.id = id
        self.encoded = encoded
    }

    public static func == (a: Change, b: Change) -> Bool { a.encoded == b.encoded }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
