/// The constants of the canonical change encoding, format version 2
/// (`Protocol/changes.md` is the normative text). Version 2 is Protocol v2: its record
/// payloads are format 2 (`Protocol/records.md`); version-1 changes are refused.
public enum ChangeFormat {
    /// "BX": every Baoxue record starts with these two bytes.
    public static let magic: [UInt8] = [0x42, 0x58]
    /// Record kind 0x01 = change. Other kinds (certificates, receipts) use
    /// other values, so a signature over one kind is never valid as another.
    public static let kind: UInt8 = 0x01
    public static let version: UInt8 = 2
    public static let maxDeps = 64
    public static let maxPayloadBytes = 1 << 20
    public static let maxSeq = UInt64(Int64.max)
    /// Fixed part of the body: magic, kind, version, author, seq, hlc, and the
    /// three length fields.
    public static let fixedBodyBytes = 2 + 1 + 1 + 32 + 8 + 8 + 2 + 1 + 1 + 4
    /// The largest possible encoded change; decoders refuse anything longer
    /// before looking further.
    public static let maxEncodedBytes = fixedBodyBytes + ScopeID.maxBytes + maxDeps * 32 + maxPayloadBytes + 64
}
